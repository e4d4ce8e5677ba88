package dev.hearth.inference.hub;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/// A file in a Hub repository at one revision, from the tree listing.
///
/// @param path   the path inside the repository, as the server sent it (checked by [SafePath] before use on disk)
/// @param size   the file's size in bytes (the LFS object's size for LFS files)
/// @param sha256 the LFS object id (sha256, lowercase hex) for LFS files, `null` for small git files
public record RepoFile(String path, long size, @Nullable String sha256) {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SHARD = Pattern.compile("(?i)^(.*)-(\\d{5})-of-(\\d{5})\\.gguf$");

    public RepoFile {
        if (size < 0) throw new IllegalArgumentException("negative size for " + path);
        if (sha256 != null) {
            sha256 = sha256.toLowerCase(Locale.ROOT);
            if (!HEX64.matcher(sha256).matches()) throw new IllegalArgumentException("not a sha256: " + sha256);
        }
    }

    /// The last path segment.
    public String fileName() {
        var slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    public boolean isGguf() {
        return path.toLowerCase(Locale.ROOT).endsWith(".gguf");
    }

    /// The quantisation label in the file name, such as `Q4_K_M`.
    public Optional<String> quant() {
        return QuantLabel.parse(fileName());
    }

    /// Where this file is in a split set (`name-00002-of-00003.gguf`), if it is one.
    public Optional<Shard> shard() {
        var m = SHARD.matcher(path);
        if (!m.matches()) return Optional.empty();
        int index = Integer.parseInt(m.group(2));
        int count = Integer.parseInt(m.group(3));
        if (index < 1 || count < 1 || index > count) return Optional.empty();
        return Optional.of(new Shard(m.group(1), index, count));
    }

    /// A part of a split GGUF set: `base` is the path without the `-0000i-of-0000n.gguf` suffix.
    public record Shard(String base, int index, int count) {}
}
