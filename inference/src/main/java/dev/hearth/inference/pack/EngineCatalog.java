package dev.hearth.inference.pack;

import dev.hearth.inference.EngineException;
import dev.hearth.inference.NativeLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jspecify.annotations.Nullable;

/// The engines Hearth can run models on: `b4916` (java-llama.cpp's library, always there), the engine packs shipped
/// with Hearth (built-in folders) and the packs the user installed into `<data>/engines/<name>/`.
///
/// Nothing here loads a library: verifying that a pack loads is the caller's job, in a worker process
/// ([#stage] → load it there → [#commit], or [#discard] when it fails).
public final class EngineCatalog {
    /// The name of java-llama.cpp's built-in b4916 engine.
    public static final String B4916 = "b4916";

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._+-]{0,127}");
    private static final long MAX_FILE_BYTES = 4L << 30;

    private final List<Path> builtInFolders;
    private final Path installFolder;

    /// @param builtInFolders folders whose subfolders are engine packs shipped with Hearth (missing ones are skipped)
    /// @param installFolder `<data>/engines`, where installed packs live
    public EngineCatalog(List<Path> builtInFolders, Path installFolder) {
        this.builtInFolders = List.copyOf(builtInFolders);
        this.installFolder = installFolder;
    }

    /// One engine.
    ///
    /// @param name its name (`b4916`, a built-in pack's folder name, an installed pack's name)
    /// @param builtIn shipped with Hearth (cannot be removed)
    /// @param build the llama.cpp build (`b4916`, or the release the pack's metadata names)
    /// @param backends the backends its files show (`CPU`, `Vulkan`, `CUDA`, …)
    /// @param directory the pack folder; null for b4916
    public record Entry(String name, boolean builtIn, String build, List<String> backends, @Nullable Path directory) {
        public Entry {
            backends = List.copyOf(backends);
        }

        /// Whether this engine can load `architecture`, as far as can be told before loading: b4916 knows a fixed
        /// list (newer architectures such as `qwen3` are refused); a pack's llama.cpp judges for itself at load.
        public boolean mayLoad(String architecture) {
            return directory != null || dev.hearth.inference.llama.LlamaLibrary.b4916Knows(architecture);
        }

        /// The library a worker for this engine loads.
        public NativeLibrary library(Path cacheFolder) {
            return directory == null ? NativeLibrary.bundled(cacheFolder) : NativeLibrary.pack(directory);
        }
    }

    /// Every engine: b4916 first, then the built-in packs, then the installed ones (by name). A folder that is not
    /// a readable pack is left out.
    public List<Entry> list() {
        var all = new ArrayList<Entry>();
        all.add(new Entry(B4916, true, B4916, List.of("CPU"), null));
        for (var folder : builtInFolders) all.addAll(packsIn(folder, true));
        for (var e : packsIn(installFolder, false)) {
            if (all.stream().noneMatch(a -> a.name().equals(e.name()))) all.add(e);
        }
        return all;
    }

    /// The engine called `name`.
    public Optional<Entry> find(String name) {
        return list().stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /// The engine a model runs on when none is named: with GPU layers asked for, the first pack with a GPU backend;
    /// else b4916 for the architectures it knows (the zero-setup engine every earlier run used), and the first pack
    /// (built-in before installed) for the ones only a current llama.cpp knows. `architecture` may be unknown (null).
    public Entry defaultFor(@Nullable String architecture, boolean gpuLayers) {
        var all = list();
        var packs = all.stream().filter(e -> e.directory() != null).toList();
        if (gpuLayers) {
            var gpu = packs.stream().filter(e -> e.backends().stream().anyMatch(b -> !b.equals("CPU") && !b.equals("BLAS")))
                    .findFirst();
            if (gpu.isPresent()) return gpu.get();
        }
        if (architecture != null && !all.getFirst().mayLoad(architecture) && !packs.isEmpty())
            return packs.getFirst();
        return all.getFirst();
    }

    /// Asks a library what it has, in a process of its own (a bad library may crash the one that loads it).
    @FunctionalInterface
    public interface Probe {
        dev.hearth.inference.EngineCapabilities probe(NativeLibrary library);
    }

    /// An engine just installed and what its worker found.
    public record Installed(Entry entry, dev.hearth.inference.EngineCapabilities capabilities) {
        /// Whether the pack has a GPU backend that found no device here (a driver or runtime library missing).
        public boolean gpuBackendWithoutDevice() {
            return entry.backends().stream().anyMatch(b -> !b.equals("CPU"))
                    && capabilities.devices().stream().noneMatch(d -> d.kind() != dev.hearth.inference.Device.Kind.CPU);
        }
    }

    /// Installs a pack (tarball or folder, see [#stage]) as `name` (null: [#defaultName]): checks it is a build this
    /// Hearth speaks, loads it with `probe`, then moves it into `<data>/engines/<name>/`. The staged copy is always
    /// removed afterwards. `hearth engines install` and Settings → Engines both install through here.
    ///
    /// @throws IllegalArgumentException not a pack, a build of another generation, a bad or taken name
    /// @throws EngineException the pack does not load (its kind and detail say why)
    /// @throws UncheckedIOException the files could not be copied or moved
    public Installed install(Path source, @Nullable String name, Probe probe) {
        if (name != null) checkName(name);
        PackFolder staged;
        try {
            staged = stage(source);
        } catch (EngineException e) {
            throw new IllegalArgumentException("not an engine pack: " + e.getMessage(), e);
        }
        try {
            if (!PackFolder.SUPPORTED_BUILDS.contains(staged.build()))
                throw new IllegalArgumentException("this pack is llama.cpp " + staged.build() + "; this Hearth speaks "
                        + String.join(", ", PackFolder.SUPPORTED_BUILDS) + " (node-llama-cpp "
                        + PackFolder.NODE_LLAMA_CPP_VERSION + " packs)");
            var engineName = checkName(name != null ? name : defaultName(staged, source));
            if (find(engineName).isPresent())
                throw new IllegalArgumentException("an engine called '" + engineName + "' exists already (remove it "
                        + "first, or choose another name)");
            var caps = probe.probe(NativeLibrary.pack(staged.directory()));
            return new Installed(commit(staged, engineName), caps);
        } finally {
            discard(staged.directory());
        }
    }

    /// Checks an engine name: lower-case letters, digits, `.`, `_`, `-`, at most 64 characters, not a path.
    public static String checkName(String name) {
        if (!NAME.matcher(name).matches() || name.contains(".."))
            throw new IllegalArgumentException("an engine name is 1-64 of a-z, 0-9, '.', '_', '-' (starting with a"
                    + " letter or digit), got '" + name + "'");
        return name;
    }

    /// The name a pack gets when the user gives none: its package's platform part (`linux-x64-cuda`), else the
    /// source's file name without extensions.
    public static String defaultName(PackFolder pack, Path source) {
        var pkg = pack.packageName();
        String base = !pkg.isBlank() ? pkg.substring(pkg.lastIndexOf('/') + 1)
                : source.getFileName().toString().replaceFirst("\\.(tgz|tar\\.gz)$", "");
        var name = base.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-").replaceAll("^[^a-z0-9]+", "");
        return name.isEmpty() ? "engine" : name.substring(0, Math.min(64, name.length()));
    }

    /// Copies a pack (a tarball from `npm pack`, an unpacked npm package folder, or a folder of the libraries and
    /// `_nlcBuildMetadata.json`) into a staging folder under `<data>/engines/` and reads it. Only plain files with
    /// plain names are taken, flat; names in the archive never become paths. Nothing is loaded.
    public PackFolder stage(Path source) {
        try {
            Files.createDirectories(installFolder);
            var staging = Files.createTempDirectory(installFolder, ".staging-");
            try {
                if (Files.isDirectory(source)) copyFolder(source, staging);
                else if (Files.isRegularFile(source)) unpackTarball(source, staging);
                else throw new IllegalArgumentException("no such file or folder: " + source);
                return PackFolder.inspect(staging);
            } catch (RuntimeException | IOException e) {
                discard(staging);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install from " + source + ": " + e.getMessage(), e);
        }
    }

    /// Moves a staged pack (already verified by loading it) to `<data>/engines/<name>/`.
    public Entry commit(PackFolder staged, String name) {
        checkName(name);
        if (name.equals(B4916) || list().stream().anyMatch(e -> e.name().equals(name)))
            throw new IllegalArgumentException("an engine called '" + name + "' exists already (hearth engines rm "
                    + name + " first, or choose another name with --name)");
        var target = installFolder.resolve(name);
        try {
            try {
                Files.move(staged.directory(), target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staged.directory(), target);
            }
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("the folder " + target + " exists already");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the engine into " + target + ": " + e.getMessage(), e);
        }
        var pack = PackFolder.inspect(target);
        return new Entry(name, false, pack.build(), pack.backends(), pack.directory());
    }

    /// Deletes a staged (or any) folder under `<data>/engines/`, quietly.
    public void discard(Path staged) {
        var dir = staged.toAbsolutePath().normalize();
        if (!dir.startsWith(installFolder.toAbsolutePath().normalize())) return;
        deleteTree(dir);
    }

    /// Removes the installed engine `name`; built-in engines cannot be removed.
    public void remove(String name) {
        var entry = find(name).orElseThrow(() -> new IllegalArgumentException("no engine called '" + name
                + "' (hearth engines list shows them)"));
        if (entry.builtIn()) throw new IllegalArgumentException("'" + name + "' comes with Hearth and cannot be removed");
        deleteTree(installFolder.resolve(checkName(name)));
    }

    private static List<Entry> packsIn(Path folder, boolean builtIn) {
        if (!Files.isDirectory(folder)) return List.of();
        try (Stream<Path> dirs = Files.list(folder)) {
            var out = new ArrayList<Entry>();
            for (var dir : dirs.filter(Files::isDirectory).sorted(Comparator.comparing(Path::toString)).toList()) {
                var name = dir.getFileName().toString();
                if (name.startsWith(".") || !NAME.matcher(name).matches()) continue;
                try {
                    var pack = PackFolder.inspect(dir);
                    out.add(new Entry(name, builtIn, pack.build(), pack.backends(), pack.directory()));
                } catch (EngineException e) {
                    // not a pack (or a damaged one): not listed
                }
            }
            return out;
        } catch (IOException e) {
            return List.of();
        }
    }

    /// Copies the pack's files: from `bins/<platform>/` when `source` is an npm package folder (or its parent
    /// holding `package/`), else from `source` itself.
    private static void copyFolder(Path source, Path target) throws IOException {
        var from = source;
        var pkg = Files.isDirectory(source.resolve("package")) ? source.resolve("package") : source;
        var bins = pkg.resolve("bins");
        if (Files.isDirectory(bins)) {
            try (Stream<Path> platforms = Files.list(bins)) {
                from = platforms.filter(p -> Files.isRegularFile(p.resolve(PackFolder.METADATA))).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(source + " has no bins/<platform>/"
                                + PackFolder.METADATA));
            }
            for (var extra : List.of("package.json", "LICENSE")) {
                if (Files.isRegularFile(pkg.resolve(extra))) Files.copy(pkg.resolve(extra), target.resolve(extra));
            }
        }
        try (Stream<Path> files = Files.list(from)) {
            for (var f : files.toList()) {
                var name = f.getFileName().toString();
                if (!Files.isRegularFile(f) || !keep(name)) continue;
                Files.copy(f, target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /// Unpacks an npm tarball: `package/bins/<platform>/<file>` (native libraries and the metadata) and
    /// `package/package.json` / `package/LICENSE`; every other entry, link or odd name is skipped.
    private static void unpackTarball(Path tarball, Path target) throws IOException {
        boolean any = false;
        try (InputStream file = Files.newInputStream(tarball);
                var gzip = new GZIPInputStream(file, 1 << 16);
                var tar = new TarArchiveInputStream(gzip)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (!entry.isFile()) continue;
                var parts = entry.getName().split("/");
                String name;
                if (parts.length == 4 && parts[0].equals("package") && parts[1].equals("bins")) name = parts[3];
                else if (parts.length == 2 && parts[0].equals("package")
                        && (parts[1].equals("package.json") || parts[1].equals("LICENSE"))) name = parts[1];
                else continue;
                if (!FILE_NAME.matcher(name).matches() || !(keep(name) || name.equals("package.json")
                        || name.equals("LICENSE")))
                    continue;
                if (entry.getSize() > MAX_FILE_BYTES) throw new IllegalArgumentException(name + " is too large");
                Files.copy(tar, target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                any = true;
            }
        } catch (java.util.zip.ZipException e) {
            throw new IllegalArgumentException(tarball.getFileName() + " is not a gzip tarball (an npm pack .tgz)");
        }
        if (!any) throw new IllegalArgumentException(tarball.getFileName() + " holds no engine pack (package/bins/…)");
    }

    private static boolean keep(String name) {
        return FILE_NAME.matcher(name).matches() && (name.equals(PackFolder.METADATA) || name.endsWith(".so")
                || name.matches(".*\\.so\\.[0-9.]+") || name.endsWith(".dylib") || name.endsWith(".dll")
                || name.equals("package.json") || name.equals("LICENSE"));
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (var p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }
}
