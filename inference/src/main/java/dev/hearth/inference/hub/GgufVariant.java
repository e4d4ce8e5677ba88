package dev.hearth.inference.hub;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/// One downloadable model in a repository: a single `.gguf` file or a whole split set
/// (`name-00001-of-00003.gguf` …), with its quantisation label.
///
/// @param name     the file path, or for a split set the path without the shard suffix
/// @param files    the files in shard order (one for an unsplit model)
/// @param complete false for a split set with missing parts in the listing
public record GgufVariant(String name, @Nullable String quant, List<RepoFile> files, boolean complete) {

    public GgufVariant {
        files = List.copyOf(files);
        if (files.isEmpty()) throw new IllegalArgumentException("a variant needs at least one file");
    }

    public long totalBytes() {
        return files.stream().mapToLong(RepoFile::size).sum();
    }

    public boolean isSplit() {
        return files.size() > 1 || files.getFirst().shard().isPresent();
    }

    /// A multimodal projector (`mmproj-….gguf`), not a model on its own.
    public boolean isProjector() {
        var fileName = files.getFirst().fileName().toLowerCase(Locale.ROOT);
        return fileName.startsWith("mmproj");
    }

    /// Groups a repository's GGUF files into variants: split sets become one variant each, other files one each.
    /// Order: the listing's order of each variant's first file.
    public static List<GgufVariant> group(List<RepoFile> files) {
        var groups = new LinkedHashMap<String, List<RepoFile>>();
        var counts = new LinkedHashMap<String, Integer>();
        for (var file : files) {
            if (!file.isGguf()) continue;
            var shard = file.shard();
            var key = shard.map(s -> s.base() + "\0" + s.count()).orElse(file.path());
            groups.computeIfAbsent(key, _ -> new ArrayList<>()).add(file);
            shard.ifPresent(s -> counts.put(key, s.count()));
        }
        var variants = new ArrayList<GgufVariant>();
        for (var entry : groups.entrySet()) {
            var parts = entry.getValue();
            Integer count = counts.get(entry.getKey());
            if (count == null) {
                var only = parts.getFirst();
                variants.add(new GgufVariant(only.path(), only.quant().orElse(null), parts, true));
            } else {
                parts.sort(Comparator.comparingInt(f -> f.shard().orElseThrow().index()));
                var first = parts.getFirst();
                var base = first.shard().orElseThrow().base();
                boolean complete = parts.size() == count
                        && parts.stream().map(f -> f.shard().orElseThrow().index()).distinct().count() == count;
                variants.add(new GgufVariant(base, first.quant().orElse(null), parts, complete));
            }
        }
        return variants;
    }
}
