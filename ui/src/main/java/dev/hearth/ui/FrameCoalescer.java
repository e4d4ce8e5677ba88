package dev.hearth.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/// Collects items produced on any thread (streamed tokens) and hands them to the UI thread in batches, at most once
/// per frame: the first item after a delivery asks [UiTasks#onNextFrame] for one delivery, and every item that
/// arrives before it runs joins that batch. Never one `runLater` per item.
public final class FrameCoalescer<T> {
    private final UiTasks tasks;
    private final Consumer<List<T>> onUiThread;
    private List<T> pending = new ArrayList<>();
    private boolean scheduled;

    /// @param onUiThread receives each batch, in order, on the UI thread
    public FrameCoalescer(UiTasks tasks, Consumer<List<T>> onUiThread) {
        this.tasks = tasks;
        this.onUiThread = onUiThread;
    }

    /// Queues one item; safe from any thread.
    public void add(T item) {
        boolean schedule;
        synchronized (this) {
            pending.add(item);
            schedule = !scheduled;
            scheduled = true;
        }
        if (schedule) tasks.onNextFrame(this::deliver);
    }

    /// Delivers what is queued now, on the calling (UI) thread; used when the stream ends so nothing waits a frame.
    public void flush() {
        deliver();
    }

    private void deliver() {
        List<T> batch;
        synchronized (this) {
            batch = pending;
            pending = new ArrayList<>();
            scheduled = false;
        }
        if (!batch.isEmpty()) onUiThread.accept(batch);
    }
}
