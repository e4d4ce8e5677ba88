package dev.hearth.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FrameCoalescerTest {
    /// Holds frame work until the test "draws a frame".
    private static final class ManualFrames implements UiTasks {
        final List<Runnable> frames = new ArrayList<>();

        @Override
        public <T> Cancellable run(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void post(Runnable onUiThread) {
            throw new AssertionError("tokens must wait for the next frame, not one post each");
        }

        @Override
        public void onNextFrame(Runnable onUiThread) {
            frames.add(onUiThread);
        }
    }

    @Test
    void itemsArrivingWithinOneFrameAreDeliveredAsOneBatch() {
        var frames = new ManualFrames();
        var batches = new ArrayList<List<Integer>>();
        var coalescer = new FrameCoalescer<Integer>(frames, batches::add);
        IntStream.range(0, 1000).forEach(coalescer::add);
        assertEquals(1, frames.frames.size(), "one frame request for a thousand items");
        frames.frames.removeFirst().run();
        coalescer.add(1000);
        frames.frames.removeFirst().run();
        assertEquals(2, batches.size());
        assertEquals(1000, batches.get(0).size());
        assertEquals(List.of(1000), batches.get(1));
    }
}
