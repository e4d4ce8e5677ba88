package dev.hearth.inference.worker;

import java.nio.file.Path;
import java.util.List;

/// A process that starts an engine worker, prints the worker's pid and waits: the test kills it to check that
/// the worker does not outlive its parent.
public final class ParentProcess {
    private ParentProcess() {}

    public static void main(String[] args) throws InterruptedException {
        var launcher = WorkerLauncher.javaMain(WorkerMain.class.getName(), List.of("--cache", args[0]));
        var client = EngineClient.start(launcher, Path.of(args[1]));
        System.out.println("worker " + client.pid());
        System.out.flush();
        Thread.sleep(60_000);
    }
}
