package dev.hearth.app;

import dev.hearth.ui.Cancellable;
import dev.hearth.ui.UiTasks;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;

/// [UiTasks] for the running app: work on a virtual thread, callbacks on the FX thread via `Platform.runLater`.
/// [#onNextFrame] work runs on the next animation pulse, so streamed tokens reach the screen at most once per frame.
final class FxUiTasks implements UiTasks {
    /// Work waiting for the next pulse; touched on the FX thread only.
    private final List<Runnable> nextFrame = new ArrayList<>();
    private final AnimationTimer pulse = new AnimationTimer() {
        @Override
        public void handle(long now) {
            if (nextFrame.isEmpty()) {
                stop();
                return;
            }
            var batch = List.copyOf(nextFrame);
            nextFrame.clear();
            batch.forEach(Runnable::run);
        }
    };

    @Override
    public <T> Cancellable run(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        var cancelled = new AtomicBoolean();
        var thread = Thread.ofVirtual().name("hearth-task").start(() -> {
            try {
                T result = work.call();
                if (!cancelled.get()) Platform.runLater(() -> {
                    if (!cancelled.get()) onSuccess.accept(result);
                });
            } catch (Throwable e) {
                if (!cancelled.get()) Platform.runLater(() -> {
                    if (!cancelled.get()) onFailure.accept(e);
                });
            }
        });
        return () -> {
            if (cancelled.compareAndSet(false, true)) thread.interrupt();
        };
    }

    @Override
    public void post(Runnable onUiThread) {
        Platform.runLater(onUiThread);
    }

    @Override
    public void onNextFrame(Runnable onUiThread) {
        Platform.runLater(() -> {
            nextFrame.add(onUiThread);
            pulse.start();
        });
    }
}
