package dev.hearth.inference.hub;

import java.util.List;

/// What to download: files of one repository at one revision, all or nothing (a split set is one request).
/// The files come from [HubClient#files] so their sizes and LFS sha256 are known before the first byte.
public record DownloadRequest(RepoId repo, String revision, List<RepoFile> files) {
    public DownloadRequest {
        files = List.copyOf(files);
        if (files.isEmpty()) throw new IllegalArgumentException("nothing to download");
        if (revision.isBlank()) throw new IllegalArgumentException("empty revision");
    }

    /// All files of a variant (every part of a split set).
    public static DownloadRequest of(RepoId repo, String revision, GgufVariant variant) {
        return new DownloadRequest(repo, revision, variant.files());
    }

    public long totalBytes() {
        return files.stream().mapToLong(RepoFile::size).sum();
    }

    /// A short name for lists and logs: `owner/repo/file` (the first file for a set).
    public String displayName() {
        return repo + "/" + files.getFirst().path() + (files.size() > 1 ? " (+" + (files.size() - 1) + " parts)" : "");
    }
}
