package dev.hearth.ui.models;

import dev.hearth.inference.hub.Download;
import dev.hearth.inference.hub.DownloadRequest;
import dev.hearth.inference.hub.DownloadStatus;
import dev.hearth.ui.Units;
import java.time.Duration;
import java.util.Locale;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.jspecify.annotations.Nullable;

/// One row of the downloads panel: a model (a split set is one row) with its progress and the actions that apply.
/// Properties change on the UI thread only ([DownloadsViewModel] hands statuses over, coalesced).
public final class DownloadItem {
    private final DownloadRequest request;
    private @Nullable Download download;
    private final ReadOnlyObjectWrapper<DownloadStatus.State> state;
    private final ReadOnlyDoubleWrapper fraction = new ReadOnlyDoubleWrapper(0);
    private final ReadOnlyStringWrapper progress = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper detail = new ReadOnlyStringWrapper("");

    DownloadItem(DownloadRequest request, DownloadStatus.State initial, String note) {
        this.request = request;
        this.state = new ReadOnlyObjectWrapper<>(initial);
        this.message.set(note);
        this.progress.set(Units.bytes(request.totalBytes()));
    }

    public DownloadRequest request() {
        return request;
    }

    /// `owner/repo/file.gguf`, with the number of parts of a split set.
    public String name() {
        return request.displayName();
    }

    @Nullable Download download() {
        return download;
    }

    void attach(Download d) {
        this.download = d;
    }

    public ReadOnlyObjectProperty<DownloadStatus.State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    /// 0..1; the progress bar's value.
    public ReadOnlyDoubleProperty fractionProperty() {
        return fraction.getReadOnlyProperty();
    }

    /// "1.20 GiB of 4.00 GiB · 35.0 MiB/s · 2 min left".
    public ReadOnlyStringProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /// What is happening ("resuming at …", "verifying"), or why it failed, in one plain sentence.
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /// The failure's own detail for a tooltip (file names, sizes), empty when there is none.
    public ReadOnlyStringProperty detailProperty() {
        return detail.getReadOnlyProperty();
    }

    void apply(DownloadStatus status) {
        state.set(status.state());
        fraction.set(status.fraction());
        var text = new StringBuilder(Units.bytes(status.bytesDone()) + " of " + Units.bytes(status.bytesTotal()));
        if (status.fileCount() > 1) text.append(" · part ").append(status.fileIndex() + 1).append(" of ").append(status.fileCount());
        if (status.state() == DownloadStatus.State.RUNNING && status.bytesPerSecond() > 0) {
            text.append(" · ").append(Units.bytes((long) status.bytesPerSecond())).append("/s");
            status.eta().ifPresent(eta -> text.append(" · ").append(eta(eta)).append(" left"));
        }
        progress.set(text.toString());
        var failure = status.failure();
        if (status.state() == DownloadStatus.State.FAILED && failure != null) {
            message.set(HubMessages.sentence(failure));
            detail.set(failure.getMessage() == null ? "" : failure.getMessage());
        } else {
            message.set(switch (status.state()) {
                case QUEUED -> "Starting";
                case RUNNING -> status.note().isBlank() ? "Downloading" : status.note();
                case RETRYING -> status.note().isBlank() ? "Retrying" : status.note();
                case VERIFYING -> "Verifying the checksum";
                case PAUSED -> "Paused";
                case COMPLETED -> "In the library";
                case FAILED -> "Failed";
                case CANCELLED -> "Cancelled";
            });
            detail.set("");
        }
    }

    /// "45 s", "3 min", "1 h 05 min".
    static String eta(Duration d) {
        long s = d.toSeconds();
        if (s < 60) return s + " s";
        if (s < 3600) return (s + 59) / 60 + " min";
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }
}
