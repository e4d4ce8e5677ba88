package dev.hearth.app;

import dev.hearth.ui.Cancellable;
import dev.hearth.ui.UiTasks;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javafx.application.Platform;

/// [UiTasks] for the running app: work on a virtual thread, callbacks on the FX thread via `Platform.runLater`.
final class FxUiTasks implements UiTasks {

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
}
