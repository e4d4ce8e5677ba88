package dev.hearth.ui.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hearth.inference.hub.DownloadRequest;
import dev.hearth.inference.hub.DownloadStatus;
import dev.hearth.inference.hub.HubConfig;
import dev.hearth.inference.hub.RepoFile;
import dev.hearth.inference.hub.RepoId;
import dev.hearth.ui.Cancellable;
import dev.hearth.ui.UiTasks;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloadsViewModelTest {
    @TempDir
    Path models;

    /// Runs work inline but queues UI hand-overs, like a UI thread that has not had its next frame yet.
    private static final class QueuedUiTasks implements UiTasks {
        final List<Runnable> posted = new ArrayList<>();

        @Override
        public <T> Cancellable run(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
            try {
                onSuccess.accept(work.call());
            } catch (Exception e) {
                onFailure.accept(e);
            }
            return () -> {};
        }

        @Override
        public void post(Runnable onUiThread) {
            posted.add(onUiThread);
        }
    }

    private static DownloadStatus running(long done) {
        return new DownloadStatus(DownloadStatus.State.RUNNING, done, 10_000, 2048, "a-Q4_0.gguf", 0, 1, null, "");
    }

    @Test
    void aThousandProgressReportsBeforeAFrameBecomeOneUpdateWithTheLatest() {
        var ui = new QueuedUiTasks();
        var offline = new HubConfig(URI.create("http://127.0.0.1:9"), null);
        var downloads = new DownloadsViewModel(HubFixture.downloader(offline, models), ui, _ -> {});
        var item = new DownloadItem(new DownloadRequest(RepoId.parse("a/b"), "main", List.of(new RepoFile("a-Q4_0.gguf", 10_000, null))),
                DownloadStatus.State.QUEUED, "Starting");
        for (int i = 1; i <= 1000; i++) downloads.report(item, running(i * 10L));
        assertEquals(1, ui.posted.size());
        ui.posted.removeFirst().run();
        assertEquals(1.0, item.fractionProperty().get());
        assertEquals(DownloadStatus.State.RUNNING, item.stateProperty().get());
        downloads.report(item, running(5000));
        assertEquals(1, ui.posted.size(), "after a flush the next report schedules the next frame's update");
        ui.posted.removeFirst().run();
        assertEquals(0.5, item.fractionProperty().get());
        assertEquals("4.88 KiB of 9.77 KiB · 2.00 KiB/s · 3 s left", item.progressProperty().get());
    }

    @Test
    void timeLeftReadsLikeAPerson() {
        assertEquals("45 s", DownloadItem.eta(Duration.ofSeconds(45)));
        assertEquals("3 min", DownloadItem.eta(Duration.ofSeconds(150)));
        assertEquals("1 h 05 min", DownloadItem.eta(Duration.ofMinutes(65)));
    }
}
