package dev.hearth.inference.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.EngineException;
import dev.hearth.inference.Failure;
import dev.hearth.inference.GenerationEvent;
import dev.hearth.inference.GenerationRequest;
import dev.hearth.inference.LoadProgress;
import dev.hearth.inference.Sampling;
import dev.hearth.inference.gguf.FixtureModel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Engine workers as processes: crashes, hangs, parent death and protocol errors, with real workers.
class EngineClientTest {
    static final String PROMPT = "Hello world, the model";

    @Test
    void aWorkerKilledMidGenerationIsReportedAndANewWorkerWorksAfterwards() throws Exception {
        long killedAt;
        EngineException failure;
        try (var client = WorkerTestSupport.startWorker()) {
            client.load(WorkerTestSupport.tiny(), WorkerTestSupport.OPTIONS, LoadProgress.NONE);
            var worker = ProcessHandle.of(client.pid()).orElseThrow();
            long[] killed = {0};
            failure = assertThrows(EngineException.class, () -> client.generate(
                    new GenerationRequest(PROMPT, Sampling.GREEDY.withMaxTokens(200).withStop(List.of())), e -> {
                        if (e instanceof GenerationEvent.Token t && t.index() == 1) {
                            worker.destroyForcibly(); // SIGKILL
                            killed[0] = System.nanoTime();
                        }
                    }));
            killedAt = killed[0];
            assertEquals(Failure.Kind.ENGINE_CRASHED, failure.kind());
            assertTrue(failure.getMessage().startsWith("engine stopped during generation (signal 9)"),
                    failure.getMessage());
            var exit = client.exit().orElseThrow();
            assertEquals(EngineClient.Stage.GENERATION, exit.stage());
            assertEquals(9, exit.signal());
            assertFalse(exit.lastLog().isEmpty(), "the worker's last log lines come with the failure");
            // later calls fail the same way instead of hanging
            assertEquals(Failure.Kind.ENGINE_CRASHED,
                    assertThrows(EngineException.class, client::capabilities).kind());
        }
        long noticedMs = (System.nanoTime() - killedAt) / 1_000_000;
        assertTrue(noticedMs < 5_000, "noticed after " + noticedMs + " ms");
        try (var again = WorkerTestSupport.startWorker()) {
            again.load(WorkerTestSupport.tiny(), WorkerTestSupport.OPTIONS, LoadProgress.NONE);
            assertEquals(3, again.generate(new GenerationRequest(PROMPT, Sampling.GREEDY.withMaxTokens(3)), _ -> {})
                    .generatedTokens());
        }
    }

    @Test
    void aFileLlamaCppCannotLoadFailsTheLoadAndTheWorkerGoesOn(@TempDir Path dir) throws Exception {
        var broken = FixtureModel.builder().width(32).layers(1).withoutMetadata("llama.attention.head_count")
                .write(dir.resolve("no-heads.gguf"));
        try (var client = WorkerTestSupport.startWorker()) {
            var e = assertThrows(EngineException.class,
                    () -> client.load(broken, WorkerTestSupport.OPTIONS, LoadProgress.NONE));
            assertNotEquals(Failure.Kind.ENGINE_CRASHED, e.kind(), e.getMessage());
            assertTrue(client.isAlive());
            client.load(WorkerTestSupport.tiny(), WorkerTestSupport.OPTIONS, LoadProgress.NONE);
            assertTrue(client.isLoaded());
            assertTrue(Files.readString(client.logFile()).contains("head_count"),
                    "llama.cpp's complaint is in the worker's log");
        }
    }

    @Test
    void aWorkerThatStopsAnsweringIsKilledAfterTheTimeout() throws Exception {
        var client = EngineClient.start(WorkerTestSupport.launcher(), WorkerTestSupport.logs(),
                new EngineClient.Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(1)));
        try (client) {
            new ProcessBuilder("kill", "-STOP", Long.toString(client.pid())).start().waitFor();
            var e = assertThrows(EngineException.class, client::capabilities);
            assertEquals(Failure.Kind.ENGINE_CRASHED, e.kind());
            assertTrue(e.getMessage().contains("stopped answering"), e.getMessage());
            assertTrue(ProcessHandle.of(client.pid()).map(p -> p.onExit().orTimeout(10, TimeUnit.SECONDS).join())
                    .isEmpty() || !ProcessHandle.of(client.pid()).map(ProcessHandle::isAlive).orElse(false));
        }
    }

    @Test
    void aWorkerEndsWhenItsParentProcessDies() throws Exception {
        var parent = WorkerLauncher.javaMain(ParentProcess.class.getName(),
                List.of(WorkerTestSupport.cache().toString(), WorkerTestSupport.logs().toString()))
                .processBuilder().redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            var out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("worker "), String.valueOf(line));
            var worker = ProcessHandle.of(Long.parseLong(line.substring(7))).orElseThrow();
            assertTrue(worker.isAlive());
            parent.destroyForcibly(); // SIGKILL: no shutdown hooks run in the parent
            worker.onExit().get(20, TimeUnit.SECONDS);
            assertFalse(worker.isAlive());
        } finally {
            parent.destroyForcibly();
        }
    }

    @Test
    void aWorkerOfAnotherProtocolVersionIsRefusedClearly() {
        var impostor = new WorkerLauncher(List.of("sh", "-c",
                "echo '{\"v\":1,\"type\":\"hello\",\"protocol\":1,\"pid\":1}'; sleep 30"));
        var e = assertThrows(EngineException.class, () -> EngineClient.start(impostor, WorkerTestSupport.logs()));
        assertEquals(Failure.Kind.PROTOCOL_ERROR, e.kind());
        assertTrue(e.getMessage().contains("protocol version 1 is not supported"), e.getMessage());
    }

    @Test
    void aWorkerThatPrintsSomethingElseIsRefusedClearly() {
        var impostor = new WorkerLauncher(List.of("sh", "-c", "echo 'Hello from a shell'; sleep 30"));
        var e = assertThrows(EngineException.class, () -> EngineClient.start(impostor, WorkerTestSupport.logs()));
        assertEquals(Failure.Kind.PROTOCOL_ERROR, e.kind());
        assertTrue(e.getMessage().contains("not JSON"), e.getMessage());
    }

    @Test
    void theWorkerRejectsMalformedAndWrongVersionRequests() throws Exception {
        var worker = WorkerTestSupport.launcher().processBuilder()
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (var in = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8));
                var to = worker.getOutputStream()) {
            assertTrue(in.readLine().contains("\"type\":\"hello\""));
            to.write(("not json\n{\"v\":99,\"id\":5,\"op\":\"capabilities\"}\n{\"v\":" + WorkerProtocol.VERSION + ",\"id\":6,\"op\":\"fly\"}\n")
                    .getBytes(StandardCharsets.UTF_8));
            to.flush();
            var answers = new java.util.ArrayList<String>();
            while (answers.size() < 3) {
                var line = in.readLine();
                if (!line.contains("\"alive\"")) answers.add(line);
            }
            assertTrue(answers.get(0).contains("\"rejected\"") && answers.get(0).contains("not JSON"), answers.get(0));
            assertTrue(answers.get(1).contains("\"rejected\"") && answers.get(1).contains("protocol version 99"),
                    answers.get(1));
            assertTrue(answers.get(2).contains("\"rejected\"") && answers.get(2).contains("unknown op"), answers.get(2));
        }
        // closing stdin ends the worker
        assertTrue(worker.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, worker.exitValue());
    }

    @Test
    void severalWorkersRunAtOnce() {
        try (var a = WorkerTestSupport.startWorker(); var b = WorkerTestSupport.startWorker()) {
            assertNotEquals(a.pid(), b.pid());
            a.load(WorkerTestSupport.tiny(), WorkerTestSupport.OPTIONS, LoadProgress.NONE);
            b.load(WorkerTestSupport.tiny(), WorkerTestSupport.OPTIONS, LoadProgress.NONE);
            var request = new GenerationRequest(PROMPT, Sampling.GREEDY.withMaxTokens(4));
            var idsA = new java.util.ArrayList<Integer>();
            var idsB = new java.util.ArrayList<Integer>();
            a.generate(request, e -> { if (e instanceof GenerationEvent.Token t) idsA.add(t.id()); });
            b.generate(request, e -> { if (e instanceof GenerationEvent.Token t) idsB.add(t.id()); });
            assertEquals(idsA, idsB);
            assertEquals("b4916", a.libraryBuild());
        }
    }
}
