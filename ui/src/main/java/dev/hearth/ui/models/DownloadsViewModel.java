package dev.hearth.ui.models;

import dev.hearth.inference.hub.Download;
import dev.hearth.inference.hub.DownloadRequest;
import dev.hearth.inference.hub.DownloadStatus;
import dev.hearth.inference.hub.ModelDownloader;
import dev.hearth.ui.UiTasks;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/// The downloads panel: every download of this session (several at once; a split set is one), and those an earlier
/// session left unfinished, with pause, resume, cancel and retry.
///
/// Downloads report from their own threads; the latest status of each is kept and handed to the UI thread in one
/// batch, with at most one hand-over pending at a time, so the UI updates at most once per frame however fast bytes flow.
public final class DownloadsViewModel {
    private final ModelDownloader downloader;
    private final UiTasks tasks;
    private final Consumer<List<Path>> onCompleted;
    private final ObservableList<DownloadItem> items = FXCollections.observableArrayList();
    private final ObservableList<DownloadItem> readOnlyItems = FXCollections.unmodifiableObservableList(items);
    private final Map<DownloadItem, DownloadStatus> pending = new LinkedHashMap<>();
    private boolean flushScheduled;

    /// @param onCompleted called on the UI thread with a finished download's files (the library refreshes)
    public DownloadsViewModel(ModelDownloader downloader, UiTasks tasks, Consumer<List<Path>> onCompleted) {
        this.downloader = downloader;
        this.tasks = tasks;
        this.onCompleted = onCompleted;
    }

    public ObservableList<DownloadItem> items() {
        return readOnlyItems;
    }

    /// Starts downloading `request`; a model already downloading or paused here is resumed instead of doubled.
    public DownloadItem start(DownloadRequest request) {
        for (var item : items) {
            if (item.request().repo().equals(request.repo()) && item.request().files().equals(request.files())) {
                var state = item.stateProperty().get();
                if (state != DownloadStatus.State.COMPLETED && state != DownloadStatus.State.CANCELLED) {
                    resume(item);
                    return item;
                }
            }
        }
        var item = new DownloadItem(request, DownloadStatus.State.QUEUED, "Starting");
        items.addFirst(item);
        launch(item);
        return item;
    }

    /// Lists what an earlier session left in the models folder's `.partial` folder, as paused rows. Off the UI thread.
    public void restore() {
        tasks.run(downloader::unfinished, requests -> {
            for (var request : requests) {
                boolean known = items.stream().anyMatch(i -> i.request().equals(request));
                if (!known) items.add(new DownloadItem(request, DownloadStatus.State.PAUSED, "Unfinished from an earlier session"));
            }
        }, _ -> {});
    }

    public void pause(DownloadItem item) {
        var d = item.download();
        if (d != null) d.pause();
    }

    /// Continues a paused download, or retries a failed one from the bytes already on disk.
    public void resume(DownloadItem item) {
        var d = item.download();
        if (d == null) launch(item);
        else d.resume();
    }

    /// Stops the download and deletes its unfinished files.
    public void cancel(DownloadItem item) {
        var d = item.download();
        if (d == null) {
            // an earlier session's download: start it only to cancel it, which removes its files
            launch(item).cancel();
        } else {
            d.cancel();
        }
    }

    /// Removes finished, failed and cancelled rows (a failed download's bytes stay for a later resume).
    public void clearFinished() {
        items.removeIf(i -> switch (i.stateProperty().get()) {
            case COMPLETED, CANCELLED -> true;
            default -> false;
        });
    }

    private Download launch(DownloadItem item) {
        var d = downloader.start(item.request(), (_, status) -> report(item, status));
        item.attach(d);
        return d;
    }

    void report(DownloadItem item, DownloadStatus status) {
        synchronized (pending) {
            pending.put(item, status);
            if (flushScheduled) return;
            flushScheduled = true;
        }
        tasks.post(this::flush);
    }

    private void flush() {
        Map<DownloadItem, DownloadStatus> batch;
        synchronized (pending) {
            batch = new LinkedHashMap<>(pending);
            pending.clear();
            flushScheduled = false;
        }
        batch.forEach((item, status) -> {
            var before = item.stateProperty().get();
            item.apply(status);
            var d = item.download();
            if (status.state() == DownloadStatus.State.COMPLETED && before != DownloadStatus.State.COMPLETED && d != null) {
                onCompleted.accept(d.targets());
            }
        });
    }
}
