package dev.hearth.inference.hub;

/// Receives a download's status: on every state change and at most every progress interval while bytes flow.
/// Called on the download's own thread: a JavaFX view model hands it to the FX thread (`UiTasks.post`), and should
/// keep only the latest status per download (coalescing), never queue one `runLater` per call.
@FunctionalInterface
public interface DownloadListener {
    void onStatus(Download download, DownloadStatus status);

    DownloadListener NONE = (_, _) -> {};
}
