package dev.hearth.inference.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.inference.Engine;
import dev.hearth.inference.EngineCapabilities;
import dev.hearth.inference.EngineException;
import dev.hearth.inference.Failure;
import dev.hearth.inference.GenerationEvent;
import dev.hearth.inference.GenerationRequest;
import dev.hearth.inference.GenerationStats;
import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.LoadProgress;
import dev.hearth.inference.ModelSummary;
import dev.hearth.inference.SpecialTokens;
import dev.hearth.inference.TokenPiece;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/// An [Engine] whose llama.cpp runs in a child process (`hearth engine-worker`), spoken to over [WorkerProtocol].
///
/// A native crash ends the worker, not this process: the request in flight then fails with
/// [Failure.Kind#ENGINE_CRASHED], its detail naming the stage and the worker's last log lines, e.g.
/// `engine stopped during generation (signal 9); last log: …`, and [#exit()] holds the same facts as data.
/// A worker that sends nothing (not even its heartbeat) for the answer timeout is killed the same way.
/// Several clients (workers) can run at once; each is one process with one model.
public final class EngineClient implements Engine {

    /// What the worker was doing.
    public enum Stage {
        STARTING("starting"),
        IDLE("while idle"),
        LOADING("loading"),
        PROMPT_EVALUATION("prompt evaluation"),
        GENERATION("generation"),
        REQUEST("a request");

        private final String words;

        Stage(String words) {
            this.words = words;
        }

        /// Lower-case words for messages ("prompt evaluation").
        public String words() {
            return words;
        }
    }

    /// How a worker ended when it ended on its own or had to be killed.
    ///
    /// @param stage what it was doing
    /// @param exitCode its exit code (128 + N for signal N on Unix), or -1 while it was still being stopped
    /// @param signal the signal that ended it, or 0
    /// @param reason why it ended, in words ("signal 9", "exit code 3", "stopped answering for 15 s")
    /// @param lastLog its last log lines, oldest first
    public record WorkerExit(Stage stage, int exitCode, int signal, String reason, List<String> lastLog) {
        public WorkerExit {
            lastLog = List.copyOf(lastLog);
        }

        /// One line: `engine stopped during generation (signal 9); last log: …`.
        public String describe() {
            var during = stage == Stage.IDLE ? stage.words() : "during " + stage.words();
            var log = lastLog.isEmpty() ? "" : "; last log: " + String.join(" | ", lastLog);
            return "engine stopped " + during + " (" + reason + ")" + log;
        }
    }

    /// @param startTimeout how long the worker may take to say hello
    /// @param answerTimeout how long the worker may be silent (its heartbeat included) before it is killed
    public record Timeouts(Duration startTimeout, Duration answerTimeout) {
        public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(15));

        public Timeouts {
            if (startTimeout.isNegative() || startTimeout.isZero())
                throw new IllegalArgumentException("start timeout must be > 0");
            if (answerTimeout.toMillis() <= 2 * WorkerProtocol.HEARTBEAT_MILLIS)
                throw new IllegalArgumentException(
                        "answer timeout must be more than twice the heartbeat (" + WorkerProtocol.HEARTBEAT_MILLIS + " ms)");
        }
    }

    private static final ScheduledExecutorService WATCHDOG = java.util.concurrent.Executors
            .newSingleThreadScheduledExecutor(r -> {
                var t = new Thread(r, "engine-worker-watchdog");
                t.setDaemon(true);
                return t;
            });
    private static final AtomicInteger WORKERS = new AtomicInteger();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Process process;
    private final Path logFile;
    private final OutputStream toWorker;
    private final Timeouts timeouts;
    private final CompletableFuture<ObjectNode> hello = new CompletableFuture<>();
    private final ReentrantLock requestLock = new ReentrantLock();
    private final java.util.concurrent.ScheduledFuture<?> watchdog;
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile @Nullable Pending current;
    private volatile Stage stage = Stage.STARTING;
    private volatile @Nullable EngineException death;
    private volatile @Nullable WorkerExit exit;
    private volatile boolean closing;
    private long nextId = 1;
    private final Duration startDuration;
    private final long workerPid;
    private final String libraryBuild;

    private record Pending(long id, LinkedBlockingQueue<Object> inbox) {}

    private record Dead(EngineException failure) {}

    private EngineClient(WorkerLauncher launcher, Path logFolder, Timeouts timeouts) {
        this.timeouts = timeouts;
        long started = System.nanoTime();
        try {
            Files.createDirectories(logFolder);
        } catch (IOException e) {
            throw new EngineException(Failure.Kind.ENGINE_CRASHED, "cannot create the log folder " + logFolder + ": " + e);
        }
        this.logFile = logFolder.resolve("engine-worker-" + LocalDateTime.now().format(STAMP) + "-"
                + ProcessHandle.current().pid() + "-" + WORKERS.incrementAndGet() + ".log");
        var pb = launcher.processBuilder().redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new EngineException(Failure.Kind.ENGINE_CRASHED,
                    "cannot start the engine worker (" + launcher.command().getFirst() + "): " + e.getMessage(), e);
        }
        toWorker = process.getOutputStream();
        reader = Thread.ofPlatform().daemon().name("engine-worker-" + process.pid() + "-reader").start(this::readMessages);
        process.onExit().thenRun(this::onProcessExit);
        watchdog = WATCHDOG.scheduleWithFixedDelay(this::checkAnswering, 100, 100, TimeUnit.MILLISECONDS);
        ObjectNode h;
        try {
            h = hello.get(timeouts.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            kill("it did not start within " + timeouts.startTimeout().toSeconds() + " s");
            throw Optional.ofNullable(death).orElseGet(() -> crashed("did not start"));
        } catch (ExecutionException e) {
            process.destroyForcibly();
            watchdog.cancel(false);
            throw e.getCause() instanceof EngineException ee ? ee : crashed(String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new EngineException(Failure.Kind.CANCELLED, "interrupted while the engine worker started");
        }
        startDuration = Duration.ofNanos(System.nanoTime() - started);
        workerPid = h.path("pid").asLong(process.pid());
        libraryBuild = h.path("libraryBuild").asText("");
        stage = Stage.IDLE;
    }

    /// Starts a worker and waits until it said hello (its protocol version checked). Its stderr, llama.cpp's log
    /// included, goes to a new file in `logFolder`.
    public static EngineClient start(WorkerLauncher launcher, Path logFolder) {
        return new EngineClient(launcher, logFolder, Timeouts.DEFAULT);
    }

    public static EngineClient start(WorkerLauncher launcher, Path logFolder, Timeouts timeouts) {
        return new EngineClient(launcher, logFolder, timeouts);
    }

    /// The worker's process id.
    public long pid() {
        return workerPid;
    }

    /// The worker's log file (its stderr and llama.cpp's log).
    public Path logFile() {
        return logFile;
    }

    /// The llama.cpp build the worker announced.
    public String libraryBuild() {
        return libraryBuild;
    }

    /// Time from starting the process to its hello.
    public Duration startDuration() {
        return startDuration;
    }

    /// What the worker is doing now.
    public Stage stage() {
        return stage;
    }

    /// How the worker ended, when it crashed, was killed for not answering or broke the protocol.
    public Optional<WorkerExit> exit() {
        return Optional.ofNullable(exit);
    }

    /// Whether the worker process is running and usable.
    public boolean isAlive() {
        return death == null && process.isAlive();
    }

    // ---------------------------------------------------------------- reading

    private volatile @Nullable Thread reader;

    private void readMessages() {
        try (var in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16))) {
            var line = new java.io.ByteArrayOutputStream(256);
            long[] id = new long[1];
            while (true) {
                int first = in.read();
                if (first < 0) break;
                lastHeardNanos = System.nanoTime();
                if (first == WorkerProtocol.TOKEN_FRAME) {
                    GenerationEvent.Token token;
                    try {
                        token = WorkerProtocol.decodeToken(in, id);
                    } catch (WorkerProtocol.ProtocolException e) {
                        protocolViolation("the engine worker sent a bad token frame: " + e.getMessage());
                        return;
                    }
                    var pending = current;
                    if (pending != null && pending.id() == id[0]) pending.inbox().add(token);
                    continue;
                }
                line.reset();
                int b = first;
                while (b >= 0 && b != '\n') {
                    line.write(b);
                    b = in.read();
                }
                var text = line.toString(StandardCharsets.UTF_8);
                if (text.isBlank()) continue;
                ObjectNode message;
                try {
                    message = WorkerProtocol.parse(text, "type");
                } catch (WorkerProtocol.ProtocolException e) {
                    protocolViolation("the engine worker sent a message outside protocol " + WorkerProtocol.VERSION
                            + ": " + e.getMessage());
                    return;
                }
                route(message);
                if (b < 0) break;
            }
        } catch (IOException e) {
            // the pipe broke: the process is ending; onProcessExit reports it
        }
        // stdout closed: the worker is gone or going. Give the exit a moment to be reported with its code.
        if (!closing && death == null) {
            try {
                process.waitFor(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException _) {
                Thread.currentThread().interrupt();
            }
            if (process.isAlive()) {
                process.destroyForcibly();
                die(exitOf("it closed its output"), null);
            }
        }
    }

    private void route(ObjectNode message) {
        String type = message.get("type").textValue();
        switch (type) {
            case "alive" -> {}
            case "hello" -> {
                var protocol = message.get("protocol");
                if (protocol == null || protocol.intValue() != WorkerProtocol.VERSION)
                    protocolViolation("the engine worker speaks protocol " + protocol + ", this app speaks "
                            + WorkerProtocol.VERSION);
                else hello.complete(message);
            }
            case "fatal" -> {
                Failure failure;
                try {
                    failure = WorkerProtocol.field(message, "failure", Failure.class);
                } catch (WorkerProtocol.ProtocolException e) {
                    failure = new Failure(Failure.Kind.PROTOCOL_ERROR, "bad fatal message: " + e.getMessage());
                }
                var ex = new EngineException(failure, null);
                closing = true;
                hello.completeExceptionally(ex);
                death = ex;
            }
            case "progress", "done", "failed", "rejected" -> {
                var pending = current;
                var id = message.get("id");
                if (pending != null && (id == null || id.asLong() == pending.id())) pending.inbox().add(message);
                else if (type.equals("rejected"))
                    protocolViolation("the engine worker rejected a message: " + message.path("detail").asText());
                // otherwise: the late answer to a request that was given up on (interrupted); nothing waits for it
            }
            default -> protocolViolation("the engine worker sent an unknown message type \"" + type + "\"");
        }
    }

    private void protocolViolation(String detail) {
        // A JVM that crashes prints its fatal-error banner ("#…") to stdout: if the worker is ending, it crashed.
        try {
            if (process.waitFor(500, TimeUnit.MILLISECONDS)) {
                die(exitOf(null), null);
                return;
            }
        } catch (InterruptedException _) {
            Thread.currentThread().interrupt();
        }
        var ex = new EngineException(Failure.Kind.PROTOCOL_ERROR, detail);
        hello.completeExceptionally(ex);
        process.destroyForcibly();
        die(new WorkerExit(stage, -1, 0, "protocol error", lastLogLines()), ex);
    }

    private void checkAnswering() {
        if (death != null || closing || !process.isAlive()) return;
        long silentMs = (System.nanoTime() - lastHeardNanos) / 1_000_000;
        if (stage != Stage.STARTING && silentMs > timeouts.answerTimeout().toMillis())
            kill("stopped answering for " + Math.max(1, silentMs / 1000) + " s");
    }

    private void kill(String reason) {
        process.destroyForcibly();
        die(new WorkerExit(stage, -1, 0, reason, lastLogLines()), null);
    }

    private void onProcessExit() {
        watchdog.cancel(false);
        // the last lines the worker wrote (a "fatal" with the real reason) may still be in the pipe: let the reader
        // finish them before the exit is reported as a crash
        try {
            var r = reader;
            if (r != null && r != Thread.currentThread()) r.join(2_000);
        } catch (InterruptedException _) {
            Thread.currentThread().interrupt();
        }
        if (closing) return;
        die(exitOf(null), null);
    }

    private WorkerExit exitOf(@Nullable String reason) {
        int code = process.isAlive() ? -1 : process.exitValue();
        int signal = code > 128 && code < 160 ? code - 128 : 0;
        String words = reason != null ? reason : signal > 0 ? "signal " + signal : "exit code " + code;
        return new WorkerExit(stage, code, signal, words, lastLogLines());
    }

    private synchronized void die(WorkerExit how, @Nullable EngineException failure) {
        if (death != null) return;
        exit = how;
        var ex = failure != null ? failure : new EngineException(Failure.Kind.ENGINE_CRASHED, how.describe());
        death = ex;
        hello.completeExceptionally(ex);
        var pending = current;
        if (pending != null) pending.inbox().add(new Dead(ex));
    }

    private EngineException crashed(String what) {
        return new EngineException(Failure.Kind.ENGINE_CRASHED, "engine worker " + what + "; last log: "
                + String.join(" | ", lastLogLines()));
    }

    /// The last few non-blank lines of the log file.
    private List<String> lastLogLines() {
        try (var file = new RandomAccessFile(logFile.toFile(), "r")) {
            long length = file.length();
            long from = Math.max(0, length - 4096);
            var bytes = new byte[(int) (length - from)];
            file.seek(from);
            file.readFully(bytes);
            var lines = new ArrayList<String>();
            for (var l : new String(bytes, StandardCharsets.UTF_8).split("\n")) if (!l.isBlank()) lines.add(l.strip());
            if (from > 0 && !lines.isEmpty()) lines.removeFirst(); // maybe cut
            return lines.subList(Math.max(0, lines.size() - 3), lines.size());
        } catch (IOException e) {
            return List.of();
        }
    }

    // ---------------------------------------------------------------- requests

    private void send(ObjectNode message) {
        byte[] bytes;
        try {
            bytes = WorkerProtocol.JSON.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new EngineException(Failure.Kind.INVALID_REQUEST, "cannot encode the request: " + e.getMessage());
        }
        synchronized (toWorker) {
            try {
                toWorker.write(bytes);
                toWorker.write('\n');
                toWorker.flush();
            } catch (IOException e) {
                // The worker is gone; the exit watcher reports how.
            }
        }
    }

    /// Sends one request and waits for its answer, passing progress and token messages to `onEvent`.
    private JsonNode call(String op, Consumer<ObjectNode> fill, Stage during, Consumer<Object> onEvent) {
        requestLock.lock();
        try {
            checkUsable();
            long id = nextId++;
            var request = WorkerProtocol.request(id, op);
            fill.accept(request);
            var pending = new Pending(id, new LinkedBlockingQueue<>());
            current = pending;
            stage = during;
            var dead = death;
            if (dead != null) throw dead;
            send(request);
            while (true) {
                Object item;
                try {
                    item = pending.inbox().take();
                } catch (InterruptedException e) {
                    cancel();
                    Thread.currentThread().interrupt();
                    throw new EngineException(Failure.Kind.CANCELLED, "interrupted while waiting for the engine worker");
                }
                if (item instanceof Dead(var failure)) throw failure;
                if (!(item instanceof ObjectNode message)) {
                    onEvent.accept(item); // a token
                    continue;
                }
                switch (message.get("type").textValue()) {
                    case "done" -> {
                        return message.path("result");
                    }
                    case "failed" -> {
                        try {
                            throw new EngineException(WorkerProtocol.field(message, "failure", Failure.class), null);
                        } catch (WorkerProtocol.ProtocolException e) {
                            throw new EngineException(Failure.Kind.PROTOCOL_ERROR, "bad failure: " + e.getMessage());
                        }
                    }
                    case "rejected" -> throw new EngineException(Failure.Kind.PROTOCOL_ERROR,
                            "the engine worker rejected the request: " + message.path("detail").asText());
                    default -> onEvent.accept(message);
                }
            }
        } finally {
            current = null;
            if (death == null) stage = Stage.IDLE;
            requestLock.unlock();
        }
    }

    private <T> T call(String op, Consumer<ObjectNode> fill, Class<T> type) {
        return decode(call(op, fill, Stage.REQUEST, _ -> {}), type);
    }

    private static <T> T decode(JsonNode node, Class<T> type) {
        try {
            var value = WorkerProtocol.JSON.treeToValue(node, type);
            if (value == null) throw new EngineException(Failure.Kind.PROTOCOL_ERROR, "the worker answered nothing");
            return value;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new EngineException(Failure.Kind.PROTOCOL_ERROR,
                    "the worker's answer is not a " + type.getSimpleName() + ": " + WorkerProtocol.firstLine(e.getMessage()));
        }
    }

    private void checkUsable() {
        if (closing && death == null) throw new EngineException(Failure.Kind.ENGINE_CLOSED, "the engine was closed");
        var dead = death;
        if (dead != null) throw dead;
    }

    @Override
    public EngineCapabilities capabilities() {
        return call("capabilities", _ -> {}, EngineCapabilities.class);
    }

    @Override
    public ModelSummary load(Path model, LoadOptions options, LoadProgress progress) {
        boolean[] stopped = {false};
        var result = call("load", r -> {
            r.put("path", model.toAbsolutePath().toString());
            r.set("options", WorkerProtocol.JSON.valueToTree(options));
        }, Stage.LOADING, item -> {
            if (!(item instanceof ObjectNode m)) return;
            boolean goOn;
            try {
                goOn = progress.onProgress((float) m.path("fraction").asDouble());
            } catch (RuntimeException e) {
                goOn = false;
            }
            if (!goOn && !stopped[0]) {
                stopped[0] = true;
                cancel();
            }
        });
        if (stopped[0]) {
            // The worker finished loading before the cancel reached it: a cancelled load leaves no model behind.
            unload();
            throw new EngineException(Failure.Kind.LOAD_CANCELLED, "loading " + model.getFileName() + " was cancelled");
        }
        return decode(result, ModelSummary.class);
    }

    @Override
    public void unload() {
        if (death != null || closing) return;
        call("unload", _ -> {}, Stage.REQUEST, _ -> {});
    }

    @Override
    public boolean isLoaded() {
        if (death != null || closing) return false;
        return call("isLoaded", _ -> {}, Boolean.class);
    }

    @Override
    public GenerationStats generate(GenerationRequest request, Consumer<? super GenerationEvent> events) {
        return stream("generate", r -> r.set("request", WorkerProtocol.JSON.valueToTree(request)), events);
    }

    @Override
    public GenerationStats generateTokens(String conversation, List<Integer> tokens,
            dev.hearth.inference.Sampling sampling, boolean tokenStats, Consumer<? super GenerationEvent> events) {
        return stream("generateTokens", r -> {
            r.put("conversation", conversation);
            var array = r.putArray("tokens");
            tokens.forEach(array::add);
            r.set("sampling", WorkerProtocol.JSON.valueToTree(sampling));
            r.put("tokenStats", tokenStats);
        }, events);
    }

    @Override
    public dev.hearth.inference.EvalCounters evalCounters() {
        return call("evalCounters", _ -> {}, dev.hearth.inference.EvalCounters.class);
    }

    private GenerationStats stream(String op, Consumer<ObjectNode> fill, Consumer<? super GenerationEvent> events) {
        var result = call(op, fill, Stage.PROMPT_EVALUATION, item -> {
                    if (!(item instanceof GenerationEvent.Token token)) return;
                    stage = Stage.GENERATION;
                    events.accept(token);
                });
        var stats = decode(result, GenerationStats.class);
        events.accept(new GenerationEvent.Finished(stats.stopReason(), stats));
        return stats;
    }

    @Override
    public void cancel() {
        if (death != null) return;
        var cancel = WorkerProtocol.JSON.createObjectNode();
        cancel.put("v", WorkerProtocol.VERSION);
        cancel.put("op", "cancel");
        send(cancel);
    }

    @Override
    public List<TokenPiece> tokenize(String text, boolean addSpecial, boolean parseSpecial) {
        return Arrays.asList(call("tokenize", r -> {
            r.put("text", text);
            r.put("addSpecial", addSpecial);
            r.put("parseSpecial", parseSpecial);
        }, TokenPiece[].class));
    }

    @Override
    public String detokenize(List<Integer> ids, boolean removeSpecial, boolean unparseSpecial) {
        return call("detokenize", r -> {
            var array = r.putArray("ids");
            ids.forEach(array::add);
            r.put("removeSpecial", removeSpecial);
            r.put("unparseSpecial", unparseSpecial);
        }, String.class);
    }

    @Override
    public SpecialTokens specialTokens() {
        return call("specialTokens", _ -> {}, SpecialTokens.class);
    }

    /// Asks the worker to exit and waits up to 2 s, then kills it; idempotent. The worker's memory is freed with
    /// its process.
    @Override
    public void close() {
        if (closing) return;
        closing = true;
        watchdog.cancel(false);
        if (process.isAlive()) {
            cancel();
            var shutdown = WorkerProtocol.request(0, "shutdown");
            send(shutdown);
            try {
                toWorker.close();
            } catch (IOException _) {
                // already gone
            }
            try {
                if (!process.waitFor(2, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        var pending = current;
        if (pending != null)
            pending.inbox().add(new Dead(new EngineException(Failure.Kind.ENGINE_CLOSED, "the engine was closed")));
    }
}
