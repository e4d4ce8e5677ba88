package dev.hearth.ui.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.Sampling;
import dev.hearth.inference.gguf.KvCacheType;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/// [Preferences] in the settings file: `hubEndpoint`, `nativeLibrary`, `defaultLoad {…}`, `defaultSampling {…}`.
/// A value that is missing, of the wrong type or out of range falls back to its default, field by field.
final class PreferencesJson {
    private PreferencesJson() {}

    static void write(Preferences p, ObjectNode into) {
        if (p.hubEndpoint() == null) into.remove("hubEndpoint");
        else into.put("hubEndpoint", p.hubEndpoint());
        if (p.nativeLibrary() == null) into.remove("nativeLibrary");
        else into.put("nativeLibrary", p.nativeLibrary().toString());
        var load = into.putObject("defaultLoad");
        var o = p.load();
        load.put("gpuLayers", o.gpuLayers());
        load.put("contextSize", o.contextSize());
        load.put("batchSize", o.batchSize());
        load.put("microBatchSize", o.microBatchSize());
        load.put("threads", o.threads());
        load.put("flashAttention", o.flashAttention());
        load.put("kvCacheType", o.kvCacheType().name());
        load.put("mmap", o.mmap());
        load.put("mlock", o.mlock());
        var sampling = into.putObject("defaultSampling");
        var s = p.sampling();
        sampling.put("temperature", s.temperature());
        sampling.put("topK", s.topK());
        sampling.put("topP", s.topP());
        sampling.put("minP", s.minP());
        sampling.put("repeatPenalty", s.repeatPenalty());
        sampling.put("maxTokens", s.maxTokens());
        sampling.put("seed", s.seed());
    }

    static Preferences read(ObjectNode from) {
        String endpoint = text(from.get("hubEndpoint"));
        Path library = null;
        var libraryText = text(from.get("nativeLibrary"));
        if (libraryText != null) {
            try {
                var path = Path.of(libraryText);
                if (path.isAbsolute()) library = path;
            } catch (InvalidPathException _) {
                // a hand edit gone wrong: the bundled library
            }
        }
        var p = Preferences.DEFAULT;
        try {
            p = p.withHubEndpoint(endpoint);
        } catch (IllegalArgumentException _) {
            // keep the public Hub
        }
        return p.withNativeLibrary(library).withDefaults(load(from.get("defaultLoad")), sampling(from.get("defaultSampling")));
    }

    private static LoadOptions load(@Nullable JsonNode node) {
        var d = LoadOptions.DEFAULT;
        if (node == null || !node.isObject()) return d;
        try {
            KvCacheType kv = d.kvCacheType();
            var kvText = text(node.get("kvCacheType"));
            if (kvText != null) kv = KvCacheType.valueOf(kvText.toUpperCase(Locale.ROOT));
            return new LoadOptions(integer(node, "gpuLayers", d.gpuLayers()), d.mainGpu(),
                    integer(node, "contextSize", d.contextSize()), integer(node, "batchSize", d.batchSize()),
                    integer(node, "microBatchSize", d.microBatchSize()), integer(node, "threads", d.threads()),
                    d.batchThreads(), bool(node, "flashAttention", d.flashAttention()), kv, bool(node, "mmap", d.mmap()),
                    bool(node, "mlock", d.mlock()));
        } catch (IllegalArgumentException e) {
            return d;
        }
    }

    private static Sampling sampling(@Nullable JsonNode node) {
        var d = Sampling.DEFAULT;
        if (node == null || !node.isObject()) return d;
        try {
            return d.withTemperature(decimal(node, "temperature", d.temperature()))
                    .withTopK(integer(node, "topK", d.topK()))
                    .withTopP(decimal(node, "topP", d.topP()))
                    .withMinP(decimal(node, "minP", d.minP()))
                    .withPenalties(decimal(node, "repeatPenalty", d.repeatPenalty()), d.frequencyPenalty(),
                            d.presencePenalty(), d.repeatLastN())
                    .withMaxTokens(integer(node, "maxTokens", d.maxTokens()))
                    .withSeed(node.has("seed") && node.get("seed").canConvertToLong() ? node.get("seed").asLong() : d.seed());
        } catch (IllegalArgumentException e) {
            return d;
        }
    }

    private static @Nullable String text(@Nullable JsonNode node) {
        return node != null && node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }

    private static int integer(JsonNode node, String key, int fallback) {
        var v = node.get(key);
        return v != null && v.canConvertToInt() && v.isIntegralNumber() ? v.asInt() : fallback;
    }

    private static double decimal(JsonNode node, String key, double fallback) {
        var v = node.get(key);
        return v != null && v.isNumber() ? v.asDouble() : fallback;
    }

    private static boolean bool(JsonNode node, String key, boolean fallback) {
        var v = node.get(key);
        return v != null && v.isBoolean() ? v.asBoolean() : fallback;
    }
}
