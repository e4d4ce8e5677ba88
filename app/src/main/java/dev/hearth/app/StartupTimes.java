package dev.hearth.app;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import javafx.application.Platform;
import javafx.scene.Scene;
import org.jspecify.annotations.Nullable;

/// When the window's start reached each phase, in ms after the process started (the launcher script's own work
/// counts: `./hearth` execs the JVM in the same process). Logged once, when the window is interactive, as
/// `window ready N ms after the process started` and a `startup:` line with every phase; `packaging/startup-bench.sh`
/// reads the first. Marks are cheap (`Instant.now()` and a list), so they stay in the product.
final class StartupTimes {
    private static final Logger LOG = Logger.getLogger(StartupTimes.class.getName());

    private record Mark(String phase, Instant at) {}

    private final @Nullable Instant processStart;
    private final List<Mark> marks = new ArrayList<>();

    StartupTimes(@Nullable Instant processStart) {
        this.processStart = processStart;
    }

    /// Times for this process; no figures where the OS does not say when it started.
    static StartupTimes ofThisProcess() {
        return new StartupTimes(ProcessHandle.current().info().startInstant().orElse(null));
    }

    /// The start reached `phase` now.
    synchronized void mark(String phase) {
        marks.add(new Mark(phase, Instant.now()));
    }

    /// Calls `then` on the FX thread once `scene` is interactive: its first frame has been rendered and the FX thread
    /// has run what was queued before, so a click is handled at once. The pulse after the first frame's waits for the
    /// renderer to release the scene before it synchronises, so a task queued from that second pulse runs after the
    /// first frame is on screen.
    void whenInteractive(Scene scene, Runnable then) {
        var pulses = new int[1];
        var listener = new Runnable[1];
        listener[0] = () -> {
            if (++pulses[0] == 1) {
                mark("first pulse");
                Platform.requestNextPulse();
            } else {
                scene.removePostLayoutPulseListener(listener[0]);
                Platform.runLater(() -> {
                    mark("ready");
                    then.run();
                });
            }
        };
        scene.addPostLayoutPulseListener(listener[0]);
    }

    /// Logs the figures: the time to `ready` and every phase.
    synchronized void log() {
        var start = processStart;
        if (start == null || marks.isEmpty()) return;
        LOG.info("window ready " + ms(start, marks.getLast().at()) + " ms after the process started");
        // CPU time used by then, all threads: steadier than the wall time on a machine that others keep busy
        var cpu = ProcessHandle.current().info().totalCpuDuration().map(d -> ", cpu " + d.toMillis() + " ms").orElse("");
        LOG.info("startup: " + summary() + cpu);
    }

    /// `phase N ms, …` after the process started, in the order the phases were reached.
    synchronized String summary() {
        var start = processStart;
        if (start == null) return "";
        var line = new StringBuilder();
        for (var mark : marks) {
            if (!line.isEmpty()) line.append(", ");
            line.append(mark.phase()).append(' ').append(ms(start, mark.at())).append(" ms");
        }
        return line.toString();
    }

    private static long ms(Instant from, Instant to) {
        return Duration.between(from, to).toMillis();
    }
}
