package dev.hearth.ui.engine;

import dev.hearth.inference.library.FitEstimate;
import dev.hearth.inference.library.ModelLibrary;
import java.io.IOException;

/// Memory a load needs, as the load dialog estimates it ([FitEstimate]): weights, the KV cache for the context the
/// options give, compute buffers. Blocking (reads the GGUF header): call it off the UI thread.
@FunctionalInterface
public interface LoadEstimator {
    /// @throws IOException when the model file cannot be read or is not valid GGUF
    FitEstimate estimate(LoadRequest request) throws IOException;

    /// Through `library`'s metadata cache (the window's).
    static LoadEstimator of(ModelLibrary library) {
        return r -> library.estimate(r.model(), r.options());
    }

    /// Reading the files each time (the command line).
    LoadEstimator READING_FILES = r -> ModelLibrary.estimateFile(r.model(), r.options());
}
