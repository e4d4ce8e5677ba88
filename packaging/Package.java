import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.spi.ToolProvider;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/// Builds Hearth's app image and installers for the OS it runs on, from the jars in `app/target`
/// (`hearth-app.jar` and `lib/`). A single-file Java program, so the same code runs on Linux, macOS and Windows:
///
///     java packaging/Package.java [--types app-image,deb,rpm] [--version 0.1.0]
///
/// The `package` Maven profile runs it (`./mvnw -Ppackage -DskipTests package`). Steps:
/// 1. jlink a runtime of the JDK modules Hearth needs plus JavaFX's modules from the platform's JavaFX jars, and copy
///    JavaFX's native libraries into it (`lib/` or, on Windows, `bin/`); the runtime keeps `bin/java`.
/// 2. Every other jar goes on the class path; the java-llama.cpp jar is copied without the native libraries of the
///    other platforms.
/// 3. `jpackage --type app-image`, then each installer from that image (`--app-image`).
///
/// Outputs in `packaging/target/`: `Hearth/` (Linux app image), `Hearth.app` (macOS) or `Hearth/` (Windows), and the
/// installers. Work files in `packaging/target/work/`.
public final class Package {
    static final String NAME = "Hearth";
    static final String PACKAGE = "hearth";
    static final String ID = "dev.hearth.Hearth";
    static final String MAIN_CLASS = "dev.hearth.app.Main";
    static final String DESCRIPTION = "A desktop workbench for running and inspecting local language models";
    /// The `.deb`'s `Maintainer` field is `<vendor> <<email>>`; without an address jpackage writes `Hearth <Unknown>`.
    static final String DEB_MAINTAINER_NAME = "Hearth developers";
    static final String DEB_MAINTAINER_EMAIL = "hearth@localhost";
    /// Windows Installer needs one fixed upgrade code, so that a new version replaces the old one.
    static final String WIN_UPGRADE_UUID = "6f7c1f52-3a57-4c5e-9d39-1b0c2f1e7a11";
    /// JVM options written to the launcher's `.cfg` (the launcher ignores `JDK_JAVA_OPTIONS`).
    static final List<String> JAVA_OPTIONS = List.of("--enable-native-access=ALL-UNNAMED,javafx.graphics", "-Xss4m");
    /// JDK modules: what Hearth and its libraries use (stack notes; `jdeps` misses what they load by reflection),
    /// `jdk.management` and `jdk.httpserver` for the metrics and local-server features, `jdk.charsets` for text in
    /// legacy encodings, `jdk.localedata` for non-English number and date formats (only the locales below).
    /// A library added later that needs another module: add it here (the app fails with NoClassDefFoundError for a
    /// `java.*`/`jdk.*` class otherwise; `./packaging/smoke-test.sh` runs the CLI and the window from the image).
    static final List<String> JDK_MODULES = List.of("java.base", "java.desktop", "java.logging", "java.naming",
            "java.net.http", "java.sql", "java.xml", "java.management", "java.prefs", "jdk.unsupported", "jdk.zipfs",
            "jdk.charsets", "jdk.localedata", "jdk.management", "jdk.httpserver");
    static final String LOCALES = "en,de,fr,es,it,pt,nl,sv,da,nb,fi,pl,cs,ru,uk,tr,ja,zh,ko";

    enum Os { LINUX, MAC, WINDOWS }

    final Path root;
    final Path appTarget;
    final Path out;
    final Path work;
    final Os os = currentOs();
    final String version;

    Package(Path root, String version) {
        this.root = root;
        this.appTarget = root.resolve("app/target");
        this.out = root.resolve("packaging/target");
        this.work = out.resolve("work");
        this.version = version;
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        String version = "0.1.0";
        List<String> types = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--root" -> root = Path.of(value(args, ++i)).toAbsolutePath().normalize();
                case "--version" -> version = value(args, ++i);
                case "--types" -> types = List.of(value(args, ++i).split(","));
                default -> fail("unknown argument " + args[i] + " (use --root DIR, --version V, --types app-image,deb,…)");
            }
        }
        var p = new Package(root, numericVersion(version));
        p.run(types != null && !types.equals(List.of("")) ? types : p.defaultTypes());
    }

    /// The option's value; empty when it is missing (Maven passes an empty property as no argument at all).
    static String value(String[] args, int i) {
        return i < args.length ? args[i].strip() : "";
    }

    /// jpackage accepts only numbers: `0.1.0-SNAPSHOT` becomes `0.1.0`.
    static String numericVersion(String v) {
        var m = java.util.regex.Pattern.compile("^(\\d+(\\.\\d+){0,2})").matcher(v);
        if (!m.find()) fail("version " + v + " does not start with a number such as 1.2.3");
        return m.group(1);
    }

    List<String> defaultTypes() {
        return switch (os) {
            case LINUX -> List.of("app-image", "deb", "rpm");
            case MAC -> List.of("app-image", "dmg");
            case WINDOWS -> List.of("app-image", "msi");
        };
    }

    void run(List<String> types) throws IOException {
        var mainJar = appTarget.resolve("hearth-app.jar");
        var lib = appTarget.resolve("lib");
        if (!Files.isRegularFile(mainJar) || !Files.isDirectory(lib))
            fail(mainJar + " or " + lib + " is missing: build first (./mvnw -DskipTests package)");
        Files.createDirectories(out);
        deleteTree(work);
        Files.createDirectories(work);

        long start = System.nanoTime();
        var runtime = runtime(lib);
        var input = input(mainJar, lib);
        var image = appImage(runtime, input);
        aotCache(image);
        say("app image: " + image + " (" + mib(sizeOf(image)) + ")");
        for (var type : types) {
            if (type.equals("app-image")) continue;
            installer(type, image);
        }
        say("done in " + (System.nanoTime() - start) / 1_000_000_000 + " s; outputs in " + out);
    }

    /// Step 1: the jlinked runtime with JavaFX's modules and native libraries.
    Path runtime(Path lib) throws IOException {
        var platform = switch (os) {
            case LINUX -> "linux";
            case WINDOWS -> "win";
            case MAC -> System.getProperty("os.arch").equals("aarch64") ? "mac-aarch64" : "mac";
        };
        List<Path> fxJars;
        try (var files = Files.list(lib)) {
            fxJars = files.filter(f -> f.getFileName().toString().matches("javafx-[a-z]+-.*-" + platform + "\\.jar"))
                    .sorted().toList();
        }
        if (fxJars.isEmpty()) fail("no JavaFX jars for " + platform + " in " + lib);
        var fxModules = fxJars.stream()
                .map(j -> "javafx." + j.getFileName().toString().split("-")[1])
                .toList();
        var runtime = work.resolve("runtime");
        var modules = new ArrayList<>(JDK_MODULES);
        modules.addAll(fxModules);
        tool("jlink",
                "--module-path", String.join(java.io.File.pathSeparator, fxJars.stream().map(Path::toString).toList()),
                "--add-modules", String.join(",", modules),
                "--include-locales=" + LOCALES,
                "--strip-debug", "--no-header-files", "--no-man-pages", "--compress", "zip-6",
                "--output", runtime.toString());
        // JavaFX looks for its native libraries next to the runtime's own (java.home/lib, or bin on Windows).
        var nativeDir = runtime.resolve(os == Os.WINDOWS ? "bin" : "lib");
        int copied = 0;
        for (var jar : fxJars) {
            try (var zip = new ZipFile(jar.toFile())) {
                for (var e : java.util.Collections.list(zip.entries())) {
                    var name = e.getName();
                    if (!e.isDirectory() && !name.contains("/") && name.matches(".*\\.(so|dylib|dll)")) {
                        try (var in = zip.getInputStream(e)) {
                            Files.copy(in, nativeDir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                        }
                        copied++;
                    }
                }
            }
        }
        if (copied == 0) fail("the JavaFX jars hold no native libraries: " + fxJars);
        say("runtime: " + String.join(",", fxModules) + " + " + JDK_MODULES.size() + " JDK modules, " + copied
                + " JavaFX native libraries (" + mib(sizeOf(runtime)) + ")");
        return runtime;
    }

    /// Step 2: the class path. JavaFX is in the runtime, so its jars stay out; java-llama.cpp keeps only this
    /// platform's native library.
    Path input(Path mainJar, Path lib) throws IOException {
        var input = work.resolve("input");
        Files.createDirectories(input);
        Files.copy(mainJar, input.resolve(mainJar.getFileName()));
        try (var files = Files.list(lib)) {
            for (var jar : files.sorted().toList()) {
                var name = jar.getFileName().toString();
                if (name.startsWith("javafx-")) continue;
                if (name.matches("llama-[0-9.]+\\.jar")) {
                    stripNatives(jar, input.resolve(name), "de/kherud/llama/");
                } else {
                    Files.copy(jar, input.resolve(name));
                }
            }
        }
        // The built-in engine pack (a current llama.cpp, ADR 0013) goes beside the jars: lib/app/engines/<pack>/,
        // where the app looks for it. Absent when the build had no npm: the image then has b4916 only.
        var engines = appTarget.resolve("engines");
        if (Files.isDirectory(engines)) {
            try (var walk = Files.walk(engines)) {
                for (var from : walk.sorted().toList()) {
                    var to = input.resolve("engines").resolve(engines.relativize(from).toString());
                    if (Files.isDirectory(from)) Files.createDirectories(to);
                    else Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } else {
            System.out.println("no app/target/engines: the image gets only the b4916 engine");
        }
        return input;
    }

    /// Copies a jar without the native libraries of other platforms: entries under `prefix<Os>/<arch>/` are kept only
    /// for this OS and architecture (java-llama.cpp's folder names: `Linux`, `Mac`, `Windows`; `x86_64`, `aarch64`).
    void stripNatives(Path jar, Path target, String prefix) throws IOException {
        var keep = prefix + switch (os) {
            case LINUX -> "Linux";
            case MAC -> "Mac";
            case WINDOWS -> "Windows";
        } + "/" + switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            case "x86", "i386", "i686" -> "x86";
            default -> System.getProperty("os.arch");
        } + "/";
        int kept = 0, dropped = 0;
        try (var zip = new ZipFile(jar.toFile());
             var zout = new ZipOutputStream(Files.newOutputStream(target))) {
            for (var e : java.util.Collections.list(zip.entries())) {
                var name = e.getName();
                boolean platformEntry = name.startsWith(prefix) && name.substring(prefix.length()).matches("[A-Z][A-Za-z-]*/.*");
                if (platformEntry && !keep.startsWith(name) && !name.startsWith(keep)) {
                    dropped++;
                    continue;
                }
                if (platformEntry && !e.isDirectory()) kept++;
                var copy = new ZipEntry(name);
                copy.setTime(e.getTime());
                zout.putNextEntry(copy);
                try (var in = zip.getInputStream(e)) {
                    in.transferTo(zout);
                }
                zout.closeEntry();
            }
        }
        if (kept == 0) fail(jar.getFileName() + " has no native library under " + keep + ": this platform is not supported");
        say(jar.getFileName() + ": kept " + keep + ", dropped " + dropped + " entries of other platforms ("
                + mib(Files.size(jar)) + " → " + mib(Files.size(target)) + ")");
    }

    /// Step 3a: the app image.
    Path appImage(Path runtime, Path input) throws IOException {
        var image = out.resolve(os == Os.MAC ? NAME + ".app" : NAME);
        deleteTree(image);
        var args = new ArrayList<>(List.of("--type", "app-image", "--name", NAME, "--app-version", version,
                "--vendor", "Hearth", "--description", DESCRIPTION,
                "--copyright", "Licensed under the Apache License, Version 2.0",
                "--input", input.toString(), "--main-jar", "hearth-app.jar", "--main-class", MAIN_CLASS,
                "--runtime-image", runtime.toString(), "--dest", out.toString(), "--icon", icon().toString()));
        for (var option : JAVA_OPTIONS) args.addAll(List.of("--java-options", option));
        switch (os) {
            case LINUX -> args.addAll(List.of("--app-content", linuxShare().toString()));
            case MAC -> args.addAll(List.of("--mac-package-identifier", ID, "--mac-app-category", "public.app-category.developer-tools",
                    "--file-associations", root.resolve("packaging/gguf.properties").toString()));
            // Hearth.exe is the window's launcher (no console); hearth-cli.exe, a console launcher, runs the CLI.
            case WINDOWS -> args.addAll(List.of("--add-launcher",
                    "hearth-cli=" + root.resolve("packaging/windows/hearth-cli.properties")));
        }
        tool("jpackage", args);
        return image;
    }

    /// Step 3a': the window's AOT cache (docs/decisions/0015), made by one headless start of the window from the image's
    /// own runtime with the launcher's class path and options, and named in the launcher's `.cfg`. Linux only for now
    /// (the only OS where it was tried); a failure leaves the image without a cache, which only means a slower start.
    void aotCache(Path image) throws IOException {
        if (os != Os.LINUX) return;
        var appDir = image.resolve("lib/app");
        var cfg = appDir.resolve(NAME + ".cfg");
        var javaCommand = image.resolve("lib/runtime/bin/java");
        if (!Files.isRegularFile(cfg) || !Files.isExecutable(javaCommand)) {
            say("SKIPPED the AOT cache: no " + cfg + " or " + javaCommand);
            return;
        }
        var lines = Files.readAllLines(cfg);
        var classPath = new ArrayList<String>();
        var options = new ArrayList<String>();
        for (var line : lines) {
            var value = line.substring(line.indexOf('=') + 1).replace("$APPDIR", appDir.toString());
            if (line.startsWith("app.classpath=")) classPath.add(value);
            if (line.startsWith("java-options=")) options.add(value);
        }
        var cache = appDir.resolve("hearth.aot");
        var home = Files.createTempDirectory(work, "aot-home");
        var command = new ArrayList<>(List.of(javaCommand.toString()));
        command.addAll(options);
        command.addAll(List.of("-XX:AOTCacheOutput=" + cache, "-Dglass.platform=Headless", "-Dprism.order=sw",
                "-cp", String.join(java.io.File.pathSeparator, classPath), MAIN_CLASS));
        say("AOT cache: " + String.join(" ", command));
        var process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("aot-training.log").toFile());
        process.environment().put("HEARTH_HOME", home.toString());
        process.environment().put("HEARTH_QUIT_WHEN_READY", "1");
        int rc;
        try {
            rc = process.start().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            rc = -1;
        }
        if (rc != 0 || !Files.isRegularFile(cache)) {
            Files.deleteIfExists(cache);
            say("SKIPPED the AOT cache: its training run failed (exit code " + rc + ", log in " + work.resolve("aot-training.log") + ")");
            return;
        }
        // after the options already there, so the launcher gives the JVM the same options as the training run
        var withCache = new ArrayList<String>();
        for (var line : lines) {
            withCache.add(line);
            if (line.equals("[JavaOptions]")) {
                withCache.add("java-options=-XX:AOTCache=$APPDIR/hearth.aot");
                withCache.add("java-options=-Xlog:aot*=off");
                withCache.add("java-options=-Xlog:cds*=off");
            }
        }
        Files.write(cfg, withCache);
        say("AOT cache: " + cache + " (" + mib(Files.size(cache)) + ")");
    }

    /// The Linux image's `share/` folder: desktop entry, MIME type, AppStream metadata, icons, licence and the script
    /// that installs them into `/usr/share` (called by the packages' own install scripts, never by `xdg-*`).
    Path linuxShare() throws IOException {
        var share = work.resolve("share");
        var linux = root.resolve("packaging/linux");
        copy(linux.resolve(ID + ".desktop"), share.resolve("applications/" + ID + ".desktop"));
        copy(linux.resolve(ID + ".mime.xml"), share.resolve("mime/packages/" + ID + ".xml"));
        copy(linux.resolve(ID + ".metainfo.xml"), share.resolve("metainfo/" + ID + ".metainfo.xml"));
        for (int size : new int[] {16, 24, 32, 48, 64, 128, 256, 512}) {
            copy(root.resolve("icons/png/hearth-" + size + ".png"),
                    share.resolve("icons/hicolor/" + size + "x" + size + "/apps/" + ID + ".png"));
        }
        copy(root.resolve("icons/hearth.svg"), share.resolve("icons/hicolor/scalable/apps/" + ID + ".svg"));
        copy(root.resolve("LICENSE"), share.resolve("doc/LICENSE"));
        copy(linux.resolve("desktop-integration.sh"), share.resolve("desktop-integration.sh"));
        share.resolve("desktop-integration.sh").toFile().setExecutable(true, false);
        return share;
    }

    /// Step 3b: one installer from the app image.
    void installer(String type, Path image) throws IOException {
        var vendor = type.equals("deb") ? DEB_MAINTAINER_NAME : "Hearth";
        var args = new ArrayList<>(List.of("--type", type, "--app-image", image.toString(), "--name", NAME,
                "--app-version", version, "--vendor", vendor, "--description", DESCRIPTION,
                "--license-file", root.resolve("LICENSE").toString(), "--dest", out.toString()));
        switch (type) {
            case "deb", "rpm" -> {
                if (os != Os.LINUX) fail("." + type + " is built on Linux only");
                var tool = type.equals("deb") ? "dpkg-deb" : "rpmbuild";
                if (!onPath(tool)) {
                    say("SKIPPED ." + type + ": " + tool + " is not installed (Debian/Ubuntu: apt-get install "
                            + (type.equals("deb") ? "dpkg-dev fakeroot" : "rpm") + "; Fedora: dnf install rpm-build)");
                    return;
                }
                // No --linux-shortcut and no --file-associations here: both make jpackage's install scripts call
                // xdg-desktop-menu/xdg-mime, which fail on minimal systems and leave the package half-installed.
                // Our own scripts (packaging/linux/<type>/) install the desktop entry, MIME type and icons instead.
                args.addAll(List.of("--linux-package-name", PACKAGE, "--linux-app-category", type.equals("deb") ? "devel" : "Development/Tools",
                        "--resource-dir", root.resolve("packaging/linux/" + type).toString()));
                if (type.equals("rpm")) args.addAll(List.of("--linux-rpm-license-type", "ASL 2.0"));
                if (type.equals("deb")) args.addAll(List.of("--linux-deb-maintainer", DEB_MAINTAINER_EMAIL));
            }
            case "msi", "exe" -> {
                if (os != Os.WINDOWS) fail("." + type + " is built on Windows only");
                args.addAll(List.of("--win-menu", "--win-menu-group", NAME, "--win-shortcut", "--win-dir-chooser",
                        "--win-upgrade-uuid", WIN_UPGRADE_UUID,
                        "--file-associations", root.resolve("packaging/gguf.properties").toString()));
            }
            case "dmg", "pkg" -> {
                if (os != Os.MAC) fail("." + type + " is built on macOS only");
            }
            default -> fail("unknown package type " + type + " (app-image, deb, rpm, msi, exe, dmg, pkg)");
        }
        var before = listOut();
        tool("jpackage", args);
        for (var f : listOut().keySet()) {
            if (!before.containsKey(f) || before.get(f) != Files.getLastModifiedTime(f).toMillis()) {
                say(type + ": " + f + " (" + mib(Files.size(f)) + ")");
            }
        }
    }

    Path icon() {
        return root.resolve(switch (os) {
            case LINUX -> "icons/png/hearth-256.png";
            case MAC -> "icons/hearth.icns";
            case WINDOWS -> "icons/hearth.ico";
        });
    }

    // ---- small helpers ----

    static void tool(String name, String... args) {
        tool(name, List.of(args));
    }

    static void tool(String name, List<String> args) {
        var tool = ToolProvider.findFirst(name).orElseThrow(() -> new IllegalStateException(
                name + " is not in this JDK; run with a full JDK 25 (JAVA_HOME)"));
        say(name + " " + String.join(" ", args));
        var outWriter = new PrintWriter(System.out, true);
        int rc = tool.run(outWriter, new PrintWriter(System.err, true), args.toArray(String[]::new));
        if (rc != 0) fail(name + " failed (exit code " + rc + ")");
    }

    static boolean onPath(String command) {
        var path = System.getenv("PATH");
        if (path == null) return false;
        for (var dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) return true;
        }
        return false;
    }

    Map<Path, Long> listOut() throws IOException {
        var map = new LinkedHashMap<Path, Long>();
        try (var files = Files.list(out)) {
            for (var f : files.filter(Files::isRegularFile).toList()) map.put(f, Files.getLastModifiedTime(f).toMillis());
        }
        return map;
    }

    static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    static long sizeOf(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1024.0 / 1024.0);
    }

    static Os currentOs() {
        var name = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (name.startsWith("windows")) return Os.WINDOWS;
        if (name.startsWith("mac")) return Os.MAC;
        return Os.LINUX;
    }

    static void say(String line) {
        System.out.println("[package] " + line);
    }

    static void fail(String message) {
        System.err.println("[package] error: " + message);
        System.exit(1);
    }
}
