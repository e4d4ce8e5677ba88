package dev.hearth.app.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.inference.GenerationEvent;
import dev.hearth.inference.GenerationStats;
import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.Sampling;
import dev.hearth.inference.StopReason;
import dev.hearth.storage.GenerationEnd;
import dev.hearth.storage.GenerationStatus;
import dev.hearth.storage.GenerationWriter;
import dev.hearth.storage.RunRecord;
import dev.hearth.storage.SessionLog;
import dev.hearth.storage.SqliteSessionLog;
import dev.hearth.storage.StorageException;
import dev.hearth.storage.Token;
import dev.hearth.storage.TopToken;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/// Records one `hearth run` in the session log while it streams: the run record first, then the tokens (the log's
/// writer thread batches them), then the end. This is where the engine's events become the log's rows. A log that
/// cannot be opened or written never stops the run: it says so once on stderr.
final class RunRecorder implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final SessionLog log;
    private @Nullable GenerationWriter writer;
    private double elapsedMs;

    private RunRecorder(SessionLog log) {
        this.log = log;
    }

    /// The recorder for the database at `database`, or `null` (after one line on `err`) when it cannot be opened.
    static @Nullable RunRecorder open(Path database, PrintWriter err) {
        try {
            return new RunRecorder(SqliteSessionLog.open(database));
        } catch (StorageException e) {
            err.println("hearth: note: this run is not recorded in the session log: " + Cli.describe(e));
            return null;
        }
    }

    /// Starts the generation's row. `engine` is `worker` or `in-process`.
    void start(Path model, String nativeBuild, String engine, LoadOptions load, Sampling sampling, String prompt,
            int promptTokens) {
        var fileName = model.getFileName();
        var run = new RunRecord(model.toAbsolutePath().toString(), fileName == null ? model.toString() : fileName.toString(),
                null, "llama.cpp " + nativeBuild, engine, JSON.convertValue(load, MAP), JSON.convertValue(sampling, MAP),
                sampling.seed(), prompt, promptTokens, Instant.now());
        writer = log.startGeneration(null, null, run);
    }

    void token(GenerationEvent.Token t) {
        var w = writer;
        if (w == null) return;
        elapsedMs += t.elapsedMs();
        w.append(new Token(t.index(), t.id(), t.text(), (float) t.logprob(), t.rank() > 0 ? t.rank() - 1 : -1,
                (float) t.entropy(), (float) elapsedMs,
                t.top().stream().map(a -> new TopToken(a.id(), a.text(), (float) a.logprob())).toList()));
    }

    void finish(GenerationStats s) {
        var w = writer;
        if (w == null) return;
        var status = s.stopReason() == StopReason.CANCELLED ? GenerationStatus.CANCELLED : GenerationStatus.DONE;
        w.finish(new GenerationEnd(status, s.stopReason().name().toLowerCase(Locale.ROOT), null, null,
                new dev.hearth.storage.GenerationStats(s.promptTokens(), s.promptMs(), s.generatedTokens(), s.generationMs(),
                        s.generationTokensPerSecond(), s.promptTokensPerSecond(), s.timeToFirstTokenMs()),
                Instant.now()));
    }

    void fail(String reason) {
        var w = writer;
        if (w != null) w.finish(new GenerationEnd(GenerationStatus.FAILED, null, reason, null, null, Instant.now()));
    }

    /// Waits for the writer thread to commit what was queued, then closes the log.
    @Override
    public void close() {
        log.close();
    }
}
