package dev.hearth.app.cli;

import dev.hearth.inference.GenerationEvent;
import dev.hearth.inference.GenerationStats;
import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.Sampling;
import dev.hearth.storage.SessionLog;
import dev.hearth.storage.SqliteSessionLog;
import dev.hearth.storage.StorageException;
import dev.hearth.ui.GenerationRecorder;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/// Records one `hearth run` in the session log while it streams, through the [GenerationRecorder] the Chat section
/// uses too. A log that cannot be opened or written never stops the run: it says so once on stderr.
final class RunRecorder implements AutoCloseable {
    private final SessionLog log;
    private @Nullable GenerationRecorder recorder;

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
        recorder = GenerationRecorder.start(log, null, model, nativeBuild, engine, load, sampling, prompt, promptTokens);
    }

    void token(GenerationEvent.Token t) {
        var r = recorder;
        if (r != null) r.token(t);
    }

    void finish(GenerationStats s) {
        var r = recorder;
        if (r != null) r.finish(s);
    }

    void fail(String reason) {
        var r = recorder;
        if (r != null) r.fail(reason);
    }

    /// Waits for the writer thread to commit what was queued, then closes the log.
    @Override
    public void close() {
        log.close();
    }
}
