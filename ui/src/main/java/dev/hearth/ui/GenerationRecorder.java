package dev.hearth.ui;

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
import dev.hearth.storage.Token;
import dev.hearth.storage.TopToken;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/// Records one generation in the session log while it streams: the run record first, then each token (the log's
/// writer thread batches them), then the end. This is the one place where the engine's events become the log's rows;
/// `hearth run` and the Chat section both record through it. Use it from the thread that receives the events.
/// Nothing here waits for the disk.
public final class GenerationRecorder {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final GenerationWriter writer;
    private double elapsedMs;
    private int nextIndex;

    private GenerationRecorder(GenerationWriter writer) {
        this.writer = writer;
    }

    /// Starts the generation's row (status `running`). `engine` names the engine kind (`worker`, `in-process`).
    public static GenerationRecorder start(SessionLog log, @Nullable Long sessionId, Path model, String nativeBuild,
            String engine, LoadOptions load, Sampling sampling, String prompt, int promptTokens) {
        return start(log, sessionId, null, model, nativeBuild, engine, load, sampling, prompt, promptTokens);
    }

    /// Starts the generation's row for a variant of an experiment (`variantId`, null outside experiments).
    public static GenerationRecorder start(SessionLog log, @Nullable Long sessionId, @Nullable Long variantId, Path model,
            String nativeBuild, String engine, LoadOptions load, Sampling sampling, String prompt, int promptTokens) {
        return new GenerationRecorder(log.startGeneration(sessionId, variantId,
                runRecord(model, nativeBuild, engine, load, sampling, prompt, promptTokens)));
    }

    /// The run record of a generation starting now.
    public static RunRecord runRecord(Path model, String nativeBuild, String engine, LoadOptions load, Sampling sampling,
            String prompt, int promptTokens) {
        var fileName = model.getFileName();
        return new RunRecord(model.toAbsolutePath().toString(), fileName == null ? model.toString() : fileName.toString(),
                null, "llama.cpp " + nativeBuild, engine, JSON.convertValue(load, MAP), JSON.convertValue(sampling, MAP),
                sampling.seed(), prompt, promptTokens, Instant.now());
    }

    /// The engine's token as the log stores it. The engine's rank is 1-based, the log's 0-based.
    public static Token row(GenerationEvent.Token t, int index, double msSinceStart) {
        return new Token(index, t.id(), t.text(), (float) t.logprob(), t.rank() > 0 ? t.rank() - 1 : -1,
                (float) t.entropy(), (float) msSinceStart, alternatives(t.top()));
    }

    /// The engine's alternatives as the log stores them.
    public static List<TopToken> alternatives(List<dev.hearth.inference.TopToken> top) {
        return top.stream().map(a -> new TopToken(a.id(), a.text(), (float) a.logprob())).toList();
    }

    /// The engine's figures as the log stores them.
    public static dev.hearth.storage.GenerationStats stats(GenerationStats s) {
        return new dev.hearth.storage.GenerationStats(s.promptTokens(), s.promptMs(), s.generatedTokens(),
                s.generationMs(), s.generationTokensPerSecond(), s.promptTokensPerSecond(), s.timeToFirstTokenMs());
    }

    /// Records one streamed token and returns the row written (its index follows the rows recorded so far).
    public Token token(GenerationEvent.Token t) {
        elapsedMs += t.elapsedMs();
        var row = row(t, nextIndex++, elapsedMs);
        writer.append(row);
        return row;
    }

    /// Records a token known from elsewhere (a branch copies the tokens before its position); re-indexed to follow.
    public Token copy(Token t) {
        elapsedMs = Math.max(elapsedMs, t.ms());
        var row = new Token(nextIndex++, t.id(), t.piece(), t.logprob(), t.rank(), t.entropy(), t.ms(), t.top());
        writer.append(row);
        return row;
    }

    /// Records the end of a generation that finished (a stop by the user is `cancelled`).
    public void finish(GenerationStats s) {
        var status = s.stopReason() == StopReason.CANCELLED ? GenerationStatus.CANCELLED : GenerationStatus.DONE;
        writer.finish(new GenerationEnd(status, s.stopReason().wireName(), null, null, stats(s), Instant.now()));
    }

    /// Records that the generation failed; the tokens recorded so far are kept.
    public void fail(String reason) {
        writer.finish(new GenerationEnd(GenerationStatus.FAILED, null, reason, null, null, Instant.now()));
    }

    /// The generation's row id, once the log's writer has inserted it (waits at most 10 s); null if it never came.
    public @Nullable Long id() {
        try {
            return writer.id().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    /// The generation's stable id.
    public String uuid() {
        return writer.uuid();
    }
}
