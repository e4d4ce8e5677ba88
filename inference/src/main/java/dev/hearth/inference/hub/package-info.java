/// A client for the Hugging Face Hub (or a mirror at `HF_ENDPOINT`): search GGUF repositories, list a repository's
/// files with their LFS sha256, and download them resumably and verified into Hearth's models folder.
///
/// Entry points: [HubClient] (search, files), [ModelDownloader] (downloads with [Download] handles and
/// [DownloadListener] progress). Failures the user can act on are [HubException]s with a [HubException.Kind].
@NullMarked
package dev.hearth.inference.hub;

import org.jspecify.annotations.NullMarked;
