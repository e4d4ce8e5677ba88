package dev.hearth.inference.chat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/// The special tokens a template may print: `bos_token`, `eos_token`, and others by their template name
/// (`unk_token`, `pad_token`, …). Usually read from the GGUF's tokenizer metadata.
public record SpecialTokens(@Nullable String bos, @Nullable String eos, Map<String, String> others) {
    public static final SpecialTokens NONE = new SpecialTokens(null, null, Map.of());

    public SpecialTokens {
        others = Map.copyOf(others);
    }

    public static SpecialTokens of(@Nullable String bos, @Nullable String eos) {
        return new SpecialTokens(bos, eos, Map.of());
    }

    /// The template variables: `bos_token` and `eos_token` ("" when unknown, as transformers passes them) and
    /// the others.
    public Map<String, String> variables() {
        var m = new LinkedHashMap<String, String>();
        m.put("bos_token", bos == null ? "" : bos);
        m.put("eos_token", eos == null ? "" : eos);
        m.putAll(others);
        return m;
    }
}
