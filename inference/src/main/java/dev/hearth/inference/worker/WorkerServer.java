package dev.hearth.inference.worker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.inference.Engine;
import dev.hearth.inference.EngineException;
import dev.hearth.inference.Failure;
import dev.hearth.inference.GenerationEvent;
import dev.hearth.inference.GenerationRequest;
import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.NativeLibrary;
import dev.hearth.inference.llama.LlamaEngine;
import dev.hearth.inference.llama.LlamaLibrary;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/// The worker's side of the protocol ([WorkerProtocol]): reads requests from `in`, runs them one at a time on an
/// engine thread, and writes messages to `out`. `cancel` is handled at once on the reading thread.
///
/// The worker ends (exit code 0) when its input closes or its parent process ends, so it never outlives the app.
public final class WorkerServer {
    private final Engine engine;
    private final OutputStream out;
    private final ExecutorService engineThread = Executors.newSingleThreadExecutor(r -> {
        var t = new Thread(r, "engine");
        t.setDaemon(true);
        return t;
    });

    private WorkerServer(Engine engine, OutputStream out) {
        this.engine = engine;
        this.out = out;
    }

    /// Runs a worker on this process's stdin and stdout and never returns. stdout is kept for the protocol: anything
    /// else printed goes to stderr, where llama.cpp's log lines go too (the client sends stderr to the worker's log
    /// file).
    public static void main(NativeLibrary library) {
        var protocolOut = new java.io.FileOutputStream(java.io.FileDescriptor.out);
        System.setOut(new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true,
                StandardCharsets.UTF_8));
        try {
            // Ctrl-C in a terminal reaches the whole process group: the app decides what it means (stop an answer),
            // the worker must not die of it.
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), sun.misc.SignalHandler.SIG_IGN);
        } catch (IllegalArgumentException _) {
            // no SIGINT here
        }
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> {
            System.err.println("hearth engine worker: parent process " + parent.pid() + " ended; exiting");
            Runtime.getRuntime().halt(0);
        }));
        int code = serve(library, System.in, protocolOut);
        Runtime.getRuntime().halt(code);
    }

    /// Serves the protocol until `in` ends; returns the exit code (0, or 3 when the engine could not start).
    public static int serve(NativeLibrary library, InputStream in, OutputStream out) {
        LlamaEngine engine;
        try {
            engine = LlamaEngine.open(library);
        } catch (EngineException e) {
            var fatal = WorkerProtocol.message("fatal");
            fatal.set("failure", WorkerProtocol.JSON.valueToTree(e.failure()));
            write(out, fatal);
            return 3;
        }
        engine.library().setLogSink((level, line) -> System.err.println(level + " " + line));
        var server = new WorkerServer(engine, out);
        var hello = WorkerProtocol.message("hello");
        hello.put("protocol", WorkerProtocol.VERSION);
        hello.put("libraryBuild", engine.library().build());
        hello.put("libraryPath", engine.library().path().toString());
        hello.put("pid", ProcessHandle.current().pid());
        server.send(hello);
        var heartbeat = Thread.ofPlatform().daemon().name("heartbeat").start(server::heartbeat);
        try {
            server.readRequests(in);
        } finally {
            heartbeat.interrupt();
            engine.cancel();
        }
        return 0;
    }

    private void heartbeat() {
        var alive = WorkerProtocol.message("alive");
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(WorkerProtocol.HEARTBEAT_MILLIS);
                send(alive);
            }
        } catch (InterruptedException _) {
            // ends with the worker
        }
    }

    private void readRequests(InputStream in) {
        var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) continue;
                if (!accept(line)) return;
            }
        } catch (IOException e) {
            System.err.println("hearth engine worker: stdin failed: " + e);
        }
    }

    /// Handles one request line; false when the worker should stop.
    private boolean accept(String line) {
        ObjectNode request;
        try {
            request = WorkerProtocol.parse(line, "op");
        } catch (WorkerProtocol.ProtocolException e) {
            reject(null, e.getMessage());
            return true;
        }
        var idNode = request.get("id");
        String op = request.get("op").textValue();
        if (op.equals("cancel")) {
            engine.cancel();
            return true;
        }
        if (idNode == null || !idNode.canConvertToLong()) {
            reject(null, "request \"" + op + "\" has no numeric \"id\"");
            return true;
        }
        long id = idNode.longValue();
        if (op.equals("shutdown")) {
            engine.cancel();
            engineThread.shutdown();
            done(id, null);
            return false;
        }
        engineThread.execute(() -> run(id, op, request));
        return true;
    }

    private void run(long id, String op, ObjectNode request) {
        try {
            Object result = switch (op) {
                case "capabilities" -> engine.capabilities();
                case "load" -> load(id, request);
                case "unload" -> {
                    engine.unload();
                    yield null;
                }
                case "isLoaded" -> engine.isLoaded();
                case "generate" -> engine.generate(WorkerProtocol.field(request, "request", GenerationRequest.class),
                        event -> {
                            if (event instanceof GenerationEvent.Token token) sendToken(id, token);
                        });
                case "tokenize" -> engine.tokenize(WorkerProtocol.field(request, "text", String.class),
                        WorkerProtocol.field(request, "addSpecial", Boolean.class),
                        WorkerProtocol.field(request, "parseSpecial", Boolean.class));
                case "detokenize" -> engine.detokenize(List.of(WorkerProtocol.field(request, "ids", Integer[].class)),
                        WorkerProtocol.field(request, "removeSpecial", Boolean.class),
                        WorkerProtocol.field(request, "unparseSpecial", Boolean.class));
                case "specialTokens" -> engine.specialTokens();
                case "generateTokens" -> engine.generateTokens(WorkerProtocol.field(request, "conversation", String.class),
                        List.of(WorkerProtocol.field(request, "tokens", Integer[].class)),
                        WorkerProtocol.field(request, "sampling", dev.hearth.inference.Sampling.class),
                        WorkerProtocol.field(request, "tokenStats", Boolean.class), event -> {
                            if (event instanceof GenerationEvent.Token token) sendToken(id, token);
                        });
                case "evalCounters" -> engine.evalCounters();
                default -> throw new WorkerProtocol.ProtocolException("unknown op \"" + op + "\"");
            };
            done(id, result);
        } catch (WorkerProtocol.ProtocolException e) {
            reject(id, e.getMessage());
        } catch (EngineException e) {
            failed(id, e.failure());
        } catch (IllegalArgumentException e) {
            failed(id, new Failure(Failure.Kind.INVALID_REQUEST, String.valueOf(e.getMessage())));
        } catch (RuntimeException e) {
            e.printStackTrace();
            failed(id, new Failure(Failure.Kind.DECODE_FAILED, "the worker failed: " + e));
        }
    }

    private Object load(long id, ObjectNode request) throws WorkerProtocol.ProtocolException {
        var path = Path.of(WorkerProtocol.field(request, "path", String.class));
        var options = WorkerProtocol.field(request, "options", LoadOptions.class);
        int[] lastPercent = {-1};
        return engine.load(path, options, fraction -> {
            int percent = (int) (fraction * 100);
            if (percent != lastPercent[0]) {
                lastPercent[0] = percent;
                var progress = WorkerProtocol.message("progress");
                progress.put("id", id);
                progress.put("fraction", fraction);
                send(progress);
            }
            return true;
        });
    }

    /// Used by the engine thread only.
    private final WorkerProtocol.FrameBuffer frame = new WorkerProtocol.FrameBuffer();

    /// One binary token frame, written with one system call (no JSON on the hot path).
    private void sendToken(long id, GenerationEvent.Token token) {
        int size = WorkerProtocol.encodeToken(id, token, frame);
        synchronized (out) {
            try {
                out.write(frame.bytes(), 0, size);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void done(long id, @Nullable Object result) {
        var done = WorkerProtocol.message("done");
        done.put("id", id);
        done.set("result", WorkerProtocol.JSON.valueToTree(result));
        send(done);
    }

    private void failed(long id, Failure failure) {
        var failed = WorkerProtocol.message("failed");
        failed.put("id", id);
        failed.set("failure", WorkerProtocol.JSON.valueToTree(failure));
        send(failed);
    }

    private void reject(@Nullable Long id, String detail) {
        System.err.println("hearth engine worker: rejected a request: " + detail);
        var rejected = WorkerProtocol.message("rejected");
        if (id != null) rejected.put("id", id);
        rejected.put("detail", detail);
        send(rejected);
    }

    private void send(Object message) {
        write(out, message);
    }

    private static void write(OutputStream out, Object message) {
        synchronized (out) {
            writeLocked(out, message);
        }
    }

    private static void writeLocked(OutputStream out, Object message) {
        try {
            byte[] json = WorkerProtocol.JSON.writeValueAsBytes(message);
            byte[] line = java.util.Arrays.copyOf(json, json.length + 1);
            line[json.length] = '\n';
            out.write(line); // one write: the reader wakes once per message
            out.flush();
        } catch (IOException e) {
            // The client is gone: nobody is left to serve.
            throw new UncheckedIOException(e);
        }
    }

}
