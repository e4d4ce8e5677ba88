package dev.hearth.ui;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javafx.application.Platform;

/// [UiTasks] for TestFX flows, as the app runs them: work on a virtual thread, callbacks on the FX thread.
public final class FxTestUiTasks implements UiTasks {

    @Override
    public <T> Cancellable run(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        var cancelled = new AtomicBoolean();
        Thread.ofVirtual().name("test-task").start(() -> {
            try {
                T result = work.call();
                Platform.runLater(() -> {
                    if (!cancelled.get()) onSuccess.accept(result);
                });
            } catch (Throwable e) {
                Platform.runLater(() -> {
                    if (!cancelled.get()) onFailure.accept(e);
                });
            }
        });
        return () -> cancelled.set(true);
    }

    @Override
    public void post(Runnable onUiThread) {
        Platform.runLater(onUiThread);
    }
}
