package dev.hearth.ui;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/// The one seam through which view models do blocking work: `work` runs off the FX thread, and its result or
/// failure comes back on the FX thread. The app runs work on virtual threads; tests run everything inline.
public interface UiTasks {

    /// Runs `work` in the background, then `onSuccess` or `onFailure` on the UI thread (unless cancelled first).
    <T> Cancellable run(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure);

    /// Runs `onUiThread` on the UI thread, later.
    void post(Runnable onUiThread);

    /// Runs `onUiThread` on the UI thread before the next frame is drawn. The app runs it on the next animation
    /// pulse, so work posted here runs at most once per frame; by default it is [#post].
    default void onNextFrame(Runnable onUiThread) {
        post(onUiThread);
    }
}
