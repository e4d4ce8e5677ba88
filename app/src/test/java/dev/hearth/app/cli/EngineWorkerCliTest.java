package dev.hearth.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.inference.gguf.FixtureModel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The CLI's engine worker: `hearth run`/`bench` on a worker by default, a worker's death as one line.
class EngineWorkerCliTest {
    @TempDir static Path dir;
    static Path model;

    @BeforeAll
    static void writeModel() throws Exception {
        model = FixtureModel.builder().width(64).layers(2).seed(11).write(dir.resolve("tiny.gguf"));
    }

    @Test
    void theWorkerCommandIsHiddenFromHelp() {
        var run = CliRun.of("--help");
        assertEquals(0, run.exitCode());
        assertFalse(run.out().contains("engine-worker"), run.out());
        assertTrue(run.out().contains("run"));
    }

    @Test
    void runInAWorkerPrintsTheSameTextAsInProcess() {
        String[] args = {"run", "--model", model.toString(), "--prompt", "Hello world", "--max-tokens", "6",
            "--temperature", "0", "--threads", "1"};
        var worker = CliRun.of(args);
        var inProcess = CliRun.of(append(args, "--in-process"));
        assertEquals(0, worker.exitCode(), worker.err());
        assertEquals(0, inProcess.exitCode(), inProcess.err());
        assertEquals(inProcess.out(), worker.out());
    }

    @Test
    void aWorkerKilledDuringRunEndsTheCommandWithOneLine() {
        var err = new StringWriter();
        var out = new Writer() {
            boolean killed;

            @Override
            public void write(char[] buf, int off, int len) {
                if (len > 0 && !killed) {
                    killed = true;
                    ProcessHandle.current().children()
                            // the worker is this JVM's only child here; its command line can be cut off (at 4 KiB
                            // in /proc) before "engine-worker" when the class path is long, its program never is
                            .filter(p -> p.info().commandLine().orElse("").contains("engine-worker")
                                    || p.info().command().orElse("").endsWith("java"))
                            .forEach(ProcessHandle::destroyForcibly);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        var cli = Cli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("run", "--model", model.toString(), "--prompt", "Hello world", "--max-tokens", "400",
                "--ctx", "512", "--temperature", "0", "--threads", "1");
        assertTrue(out.killed, "the worker was killed");
        assertNotEquals(0, code);
        var line = err.toString().strip();
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.startsWith("hearth: engine stopped during generation (signal 9)"), line);
    }

    @Test
    void benchComparesTheWorkerWithInProcess() throws Exception {
        var run = CliRun.of("bench", "--model", model.toString(), "--prompt-tokens", "8", "--tokens", "4",
                "--repetitions", "1", "--threads", "1", "--compare-in-process", "--json");
        assertEquals(0, run.exitCode(), run.err());
        var last = new ObjectMapper().readTree(run.out().strip().lines().reduce((_, b) -> b).orElseThrow());
        assertTrue(last.get("worker_ratio").asDouble() > 0, run.out());
        assertTrue(last.get("worker_start_ms").asDouble() > 0, run.out());
        assertTrue(last.get("in_process_tg_tps").asDouble() > 0, run.out());
    }

    private static String[] append(String[] args, String extra) {
        var all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = extra;
        return all;
    }
}
