package dev.hearth.inference.hub;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/// One repository from a Hub search: the fields the listing returns (`id`, `downloads`, `likes`, `tags`,
/// `pipeline_tag`, `private`) and the ones Hearth asks it to expand (`lastModified`, `gated`, `author`).
///
/// @param gated `null` when open, else the Hub's gating mode (`"auto"` or `"manual"`): a token and an accepted
///              licence are needed to download
public record ModelSummary(
        RepoId repo,
        long downloads,
        long likes,
        @Nullable Instant lastModified,
        @Nullable String gated,
        boolean isPrivate,
        @Nullable String pipelineTag,
        List<String> tags) {

    public ModelSummary {
        tags = List.copyOf(tags);
    }

    public boolean isGated() {
        return gated != null;
    }
}
