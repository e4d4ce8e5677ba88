package dev.hearth.ui.compare;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.Sampling;
import dev.hearth.ui.engine.LoadRequest;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/// One arm of an experiment: a model file with its load options and engine, sampling parameters and a system prompt (empty: none).
/// Variants with equal [#load()] share one engine; variants on different engines never do.
public record CompareVariant(String label, LoadRequest load, Sampling sampling, String systemPrompt) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    public CompareVariant {
        if (label.isBlank()) throw new IllegalArgumentException("a variant needs a label");
    }

    /// The variant as the session log stores it (`settings` of an experiment variant).
    Map<String, Object> settings() {
        var m = new LinkedHashMap<String, Object>();
        m.put("model", load.model().toAbsolutePath().toString());
        m.put("load", JSON.convertValue(load.options(), MAP));
        if (load.engine() != null) m.put("engine", load.engine());
        m.put("sampling", JSON.convertValue(sampling, MAP));
        m.put("system", systemPrompt);
        return m;
    }

    /// Reads a stored variant back.
    ///
    /// @throws IllegalArgumentException when the settings are not a variant's
    static CompareVariant fromSettings(String label, Map<String, Object> settings) {
        if (!(settings.get("model") instanceof String model)) throw new IllegalArgumentException("no model in " + label);
        var options = JSON.convertValue(settings.get("load"), LoadOptions.class);
        var sampling = JSON.convertValue(settings.get("sampling"), Sampling.class);
        var system = settings.get("system") instanceof String s ? s : "";
        var engine = settings.get("engine") instanceof String e ? e : null;
        return new CompareVariant(label, new LoadRequest(Path.of(model), options, engine), sampling, system);
    }
}
