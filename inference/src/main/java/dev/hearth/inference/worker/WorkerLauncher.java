package dev.hearth.inference.worker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/// The command line that starts an engine worker.
///
/// In development a worker is this JVM's `java` with this JVM's class path; inside a jpackage image (where
/// `bin/java` may be missing) it is the image's launcher, found through the system property `jpackage.app-path`.
/// A launcher exports `_JPACKAGE*` variables that make a child launcher read its arguments as JVM options, so
/// [#processBuilder()] removes every one of them from the child's environment.
///
/// @param command the program and its arguments
public record WorkerLauncher(List<String> command) {

    /// JVM options for a worker JVM: native access for the FFM binding, a small serial GC (the heap holds little;
    /// the model lives in native memory), and the JVM's own output (a crash banner) on stderr, not the protocol.
    public static final List<String> JVM_OPTIONS = List.of("--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
            "-Xss4m", "-XX:+DisplayVMOutputToStderr");

    public WorkerLauncher {
        if (command.isEmpty()) throw new IllegalArgumentException("a worker command needs a program");
        command = List.copyOf(command);
    }

    /// This JVM's `java` running `mainClass` with this JVM's class path and `args`.
    public static WorkerLauncher javaMain(String mainClass, List<String> args) {
        var cmd = new ArrayList<String>();
        cmd.add(javaExecutable());
        cmd.addAll(JVM_OPTIONS);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        return new WorkerLauncher(cmd);
    }

    /// The jpackage launcher this process was started from (system property `jpackage.app-path`), with `args`.
    public static Optional<WorkerLauncher> jpackageLauncher(List<String> args) {
        var app = System.getProperty("jpackage.app-path");
        if (app == null || app.isBlank()) return Optional.empty();
        var cmd = new ArrayList<String>();
        cmd.add(app);
        cmd.addAll(args);
        return Optional.of(new WorkerLauncher(cmd));
    }

    static String javaExecutable() {
        var home = Path.of(System.getProperty("java.home"));
        var java = home.resolve("bin").resolve(isWindows() ? "java.exe" : "java");
        if (Files.isExecutable(java)) return java.toString();
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
    }

    /// The OpenMP wait policy a worker gets unless the environment names one: llama.cpp b4916's CPU backend runs
    /// each graph on an OpenMP team, whose idle threads by default spin for a while after every `llama_decode`. Then
    /// they hold a core while the worker samples, while the app reads the token, and while another engine computes:
    /// on a busy 2-core machine generation fell to 4–10 tokens/s with spinning threads and ran at 62 with sleeping
    /// ones (ADR 0010).
    public static final String OMP_WAIT_POLICY = "PASSIVE";

    /// A process builder for this command whose environment has no `_JPACKAGE*` variables and has
    /// `OMP_WAIT_POLICY` ([#OMP_WAIT_POLICY] unless set already).
    public ProcessBuilder processBuilder() {
        var pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(name -> name.startsWith("_JPACKAGE"));
        pb.environment().putIfAbsent("OMP_WAIT_POLICY", OMP_WAIT_POLICY);
        return pb;
    }
}
