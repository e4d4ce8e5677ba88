package dev.hearth.ui;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/// [UiTasks] for view-model tests: everything runs at once on the caller's thread, so tests are deterministic
/// and need no JavaFX toolkit.
public final class InlineUiTasks implements UiTasks {

    @Override
    public <T> Cancellable run(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        T result;
        try {
            result = work.call();
        } catch (Exception e) {
            onFailure.accept(e);
            return () -> {};
        }
        onSuccess.accept(result);
        return () -> {};
    }

    @Override
    public void post(Runnable onUiThread) {
        onUiThread.run();
    }
}
