package dev.hearth.app;

import atlantafx.base.theme.PrimerLight;
import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.chat.BuiltinChatFormatter;
import dev.hearth.storage.SqliteSessionLog;
import dev.hearth.ui.chat.ChatView;
import dev.hearth.ui.chat.ChatViewModel;
import dev.hearth.ui.chat.SystemPromptPresets;
import dev.hearth.ui.engine.LoadRequest;
import dev.hearth.ui.engine.LoadedModel;
import dev.hearth.ui.engine.LoadedModels;
import dev.hearth.ui.engine.ScriptedEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.animation.AnimationTimer;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/// How long the chat's frames take while an answer streams at 1,000 tokens/s (the target: no frame over
/// 50 ms), with the answer as growing text and with the token heatmap on. The engine is a paced script (a real
/// fixture model does not reach 1,000 tokens/s on this machine); everything else is the real chat: its view model,
/// view, session log and the app's frame-coalescing `FxUiTasks`. Frame time is the gap between two animation pulses.
/// Prints figures and asserts none; runs only when asked:
///
///     ./mvnw -q -B -pl app -am test -Dtest=ChatStreamingBench -Dsurefire.failIfNoSpecifiedTests=false -Dhearth.bench=true
///
/// Each round also prints the CPU time per frame of the FX thread and of Prism's render thread (robust to a busy
/// machine: a frame whose wall time is long while both threads used little CPU waited for a core); with
/// `-Dhearth.bench.frames=true` it prints each round's first three frames (the send) and every frame over 50 ms, split
/// into animation (tokens applied), CSS and layout, and the rest (rendering, `runLater` work), with the GC and JIT
/// time counted in it.
///
/// The first round is the first answer after the JVM started (as with the app's first answer, the chat has warmed up
/// once shown, see `ChatWarmUp`; add `-Dhearth.chat.warmUp=false` to measure without); later rounds are warm.
///
/// The figures are in `app/target/surefire-reports/dev.hearth.app.ChatStreamingBench-output.txt`.
@Tag("fx")
@EnabledIfSystemProperty(named = "hearth.bench", matches = "true")
class ChatStreamingBench {
    @TempDir
    Path dir;

    @Test
    void framesWhileAnAnswerStreamsAtAThousandTokensPerSecond() throws Exception {
        int tokens = Integer.getInteger("hearth.bench.tokens", 3000);
        var line = "Some words of an answer, with `code` and **bold** text in it, as a model writes them. ";
        var answer = new StringBuilder();
        while (answer.length() < tokens) answer.append(line).append(answer.length() % 400 < line.length() ? "\n\n" : "");
        answer.setLength(tokens);

        Stage stage = FxToolkit.registerPrimaryStage();
        var tasks = new FxUiTasks();
        var engines = new ArrayList<ScriptedEngine>();
        try (var log = SqliteSessionLog.open(dir.resolve("hearth.db"));
                var models = new LoadedModels(() -> {
                    var e = new ScriptedEngine();
                    e.nanosPerToken = 1_000_000; // 1,000 tokens/s
                    engines.add(e);
                    return e;
                }, tasks)) {
            Files.writeString(dir.resolve("model.gguf"), "");
            var vm = fx(() -> {
                Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
                var chat = new ChatViewModel(models, log, BuiltinChatFormatter.NONE,
                        SystemPromptPresets.open(dir.resolve("system-prompts.json")), tasks);
                stage.setScene(new Scene(new ChatView(chat, _ -> {}, _ -> {}), 1200, 800));
                stage.show();
                models.load(new LoadRequest(dir.resolve("model.gguf"), LoadOptions.DEFAULT));
                return chat;
            });
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> models.activeProperty().get() != null
                    && models.activeProperty().get().state() == LoadedModel.State.READY);
            // As in the app, where a model has to be chosen and loaded before the first message: the chat view has
            // warmed up (off screen, a step a frame) once it was shown; -Dhearth.chat.warmUp=false measures without.
            var warm = new java.util.concurrent.CountDownLatch(1);
            fx(() -> {
                ChatView.whenWarmedUp(warm::countDown);
                return null;
            });
            warm.await(60, TimeUnit.SECONDS);
            for (boolean heatmap : new boolean[] {false, true, false, true}) {
                engines.getLast().answers.add(answer.toString());
                var gaps = new ArrayList<Long>();
                var frames = new ArrayList<Frame>();
                var probe = new FrameProbe(stage.getScene(), frames,
                        () -> vm.messages().isEmpty() ? 0 : vm.messages().getLast().tokens().size());
                // Switching the heatmap re-renders the answers in view: a user's action of its own, done before the
                // frames of the streaming answer are counted.
                fx(() -> {
                    vm.heatmapProperty().set(heatmap);
                    return null;
                });
                Thread.sleep(500);
                var timer = fx(() -> {
                    var t = new AnimationTimer() {
                        long last;

                        @Override
                        public void handle(long now) {
                            if (last != 0) gaps.add(now - last);
                            last = now;
                            probe.pulseStarted();
                        }
                    };
                    t.start();
                    probe.start();
                    vm.draftProperty().set("Write " + tokens + " tokens");
                    vm.send();
                    return t;
                });
                WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS,
                        () -> vm.stateProperty().get() == ChatViewModel.State.IDLE && !vm.messages().isEmpty()
                                && vm.messages().getLast().tokens().size() == tokens);
                fx(() -> {
                    timer.stop();
                    probe.stop();
                    return null;
                });
                report(heatmap ? "heatmap on " : "heatmap off", tokens, gaps);
                reportCpu(frames);
                if (Boolean.getBoolean("hearth.bench.frames")) {
                    for (int i = 0; i < Math.min(3, frames.size()); i++) System.out.println("  frame " + i + ": " + frames.get(i));
                    for (var f : frames) if (f.gapMs() > 50) System.out.println("  long frame: " + f + " at " + f.startMs());
                }
            }
            fx(() -> {
                stage.hide();
                return null;
            });
        }
    }

    /// Where one frame's time went: from the pulse's start (animation timers, where tokens are applied) to before
    /// CSS and layout, CSS and layout, and the rest until the next pulse (rendering, `runLater` work); with the GC
    /// pause time and JIT compilation time the JVM counted in the same span.
    record Frame(double gapMs, double animationMs, double cssLayoutMs, double restMs, long gcMs, long jitMs, int tokens, long startMs,
            double fxCpuMs, double renderCpuMs) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                    "%.1f ms = animation %.1f + css/layout %.1f + rest %.1f (CPU: FX thread %.1f ms, renderer %.1f ms; gc %d ms, jit %d ms; %d tokens shown)",
                    gapMs, animationMs, cssLayoutMs, restMs, fxCpuMs, renderCpuMs, gcMs, jitMs, tokens);
        }
    }

    /// Timestamps each pulse's phases with the scene's pulse listeners (FX thread only).
    static final class FrameProbe {
        private final Scene scene;
        private final List<Frame> frames;
        private final Runnable pre = () -> preLayout = System.nanoTime();
        private final Runnable post = () -> postLayout = System.nanoTime();
        private final java.util.function.IntSupplier shownTokens;
        private long pulse, preLayout, postLayout, gc, jit, cpu, renderCpu;
        private int tokens;
        /// Prism's render thread (`QuantumRenderer-0`), which paints each frame after the FX thread's pulse.
        private final long renderer = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("QuantumRenderer")).mapToLong(Thread::threadId).findFirst().orElse(-1);

        FrameProbe(Scene scene, List<Frame> frames, java.util.function.IntSupplier shownTokens) {
            this.scene = scene;
            this.frames = frames;
            this.shownTokens = shownTokens;
        }

        void start() {
            scene.addPreLayoutPulseListener(pre);
            scene.addPostLayoutPulseListener(post);
        }

        void stop() {
            scene.removePreLayoutPulseListener(pre);
            scene.removePostLayoutPulseListener(post);
        }

        void pulseStarted() {
            long now = System.nanoTime();
            long gcNow = java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .mapToLong(b -> b.getCollectionTime()).sum();
            long jitNow = java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
            var threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpuNow = threads.getCurrentThreadCpuTime();
            long renderCpuNow = renderer < 0 ? 0 : threads.getThreadCpuTime(renderer);
            if (pulse != 0 && postLayout > preLayout && preLayout > pulse) {
                frames.add(new Frame((now - pulse) / 1e6, (preLayout - pulse) / 1e6, (postLayout - preLayout) / 1e6,
                        (now - postLayout) / 1e6, gcNow - gc, jitNow - jit, tokens, pulse / 1_000_000,
                        (cpuNow - cpu) / 1e6, (renderCpuNow - renderCpu) / 1e6));
            }
            renderCpu = renderCpuNow;
            tokens = shownTokens.getAsInt();
            pulse = now;
            gc = gcNow;
            jit = jitNow;
            cpu = cpuNow;
        }
    }

    /// The FX thread's own CPU time per frame (everything it ran between two pulses: tokens applied, CSS, layout,
    /// `runLater` work) and the render thread's (painting), which a busy machine's scheduling does not inflate the
    /// way it inflates wall-clock gaps.
    static void reportCpu(List<Frame> frames) {
        reportCpu("FX thread", frames.stream().map(Frame::fxCpuMs).sorted().toList());
        reportCpu("renderer", frames.stream().map(Frame::renderCpuMs).sorted().toList());
    }

    private static void reportCpu(String thread, List<Double> ms) {
        if (ms.isEmpty()) return;
        System.out.println(String.format(Locale.ROOT,
                "  %s CPU per frame: median %.1f ms, p99 %.1f ms, max %.1f ms, %d over 16 ms, %d over 50 ms", thread,
                ms.get(ms.size() / 2), ms.get(Math.min(ms.size() - 1, (int) Math.ceil(ms.size() * 0.99) - 1)),
                ms.getLast(), ms.stream().filter(m -> m > 16).count(), ms.stream().filter(m -> m > 50).count()));
    }

    private static void report(String label, int tokens, List<Long> gapsNanos) {
        var ms = gapsNanos.stream().map(n -> n / 1e6).sorted().toList();
        if (ms.isEmpty()) return;
        double p50 = ms.get(ms.size() / 2);
        double p99 = ms.get(Math.min(ms.size() - 1, (int) Math.ceil(ms.size() * 0.99) - 1));
        double max = Collections.max(ms);
        long over50 = ms.stream().filter(m -> m > 50).count();
        System.out.println(String.format(Locale.ROOT,
                "%s: %d tokens at 1,000/s, %d frames: median %.1f ms, p99 %.1f ms, max %.1f ms, %d over 50 ms",
                label, tokens, ms.size(), p50, p99, max, over50));
    }

    private static <T> T fx(Callable<T> work) throws Exception {
        return WaitForAsyncUtils.asyncFx(work).get(60, TimeUnit.SECONDS);
    }
}
