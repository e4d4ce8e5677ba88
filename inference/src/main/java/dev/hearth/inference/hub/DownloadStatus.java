package dev.hearth.inference.hub;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/// A snapshot of one download, sent to its [DownloadListener] and readable from [Download#status()].
///
/// @param bytesDone      bytes on disk for the whole request (resumed bytes count)
/// @param bytesTotal     the request's total size
/// @param bytesPerSecond recent speed (smoothed), 0 when not transferring
/// @param fileIndex      0-based index of the file being worked on
/// @param failure        set when [#state()] is [State#FAILED]
/// @param note           what is happening, in a few words ("resuming at 1.2 GB", "retry 2 of 5 in 4 s: …")
public record DownloadStatus(
        State state,
        long bytesDone,
        long bytesTotal,
        double bytesPerSecond,
        String file,
        int fileIndex,
        int fileCount,
        @Nullable HubException failure,
        String note) {

    /// Where a download is. Terminal states are [#COMPLETED], [#FAILED] and [#CANCELLED]; [#PAUSED] and [#FAILED]
    /// can be resumed with [Download#resume()].
    public enum State {
        QUEUED, RUNNING, RETRYING, VERIFYING, PAUSED, COMPLETED, FAILED, CANCELLED;

        /// Whether the download's thread is still working (not waiting for the user).
        public boolean isActive() {
            return this == QUEUED || this == RUNNING || this == RETRYING || this == VERIFYING;
        }
    }

    /// Progress from 0 to 1.
    public double fraction() {
        return bytesTotal <= 0 ? 0 : Math.min(1.0, (double) bytesDone / bytesTotal);
    }

    /// Time left at the recent speed, when it is known.
    public Optional<Duration> eta() {
        if (bytesPerSecond <= 1 || bytesDone >= bytesTotal || state != State.RUNNING) return Optional.empty();
        return Optional.of(Duration.ofSeconds((long) Math.ceil((bytesTotal - bytesDone) / bytesPerSecond)));
    }

    DownloadStatus with(State newState, String newNote) {
        return new DownloadStatus(newState, bytesDone, bytesTotal, newState == State.RUNNING ? bytesPerSecond : 0,
                file, fileIndex, fileCount, newState == State.FAILED ? failure : null, newNote);
    }
}
