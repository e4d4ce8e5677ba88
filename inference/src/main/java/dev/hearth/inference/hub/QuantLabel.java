package dev.hearth.inference.hub;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/// Reads the quantisation label in a GGUF file name: `Q4_K_M`, `Q8_0`, `IQ2_XS`, `F16`, `BF16`, `Q4_0_4_4`,
/// `TQ1_0`, `MXFP4`, Unsloth's dynamic `UD-Q4_K_XL` and so on. The label must stand between separators
/// (`.`, `-`, `_`, start or end), so `Q8_0` is found in `llama-3-8b.Q8_0.gguf` but nothing in `IQ` words of a name.
public final class QuantLabel {
    private static final Pattern LABEL = Pattern.compile(
            "(?i)(?<![A-Za-z0-9])(UD-)?("
                    + "IQ[1-4]_(?:XXS|XS|NL|S|M|L)"
                    + "|Q[1-8]_K(?:_(?:XL|XS|S|M|L))?"
                    + "|Q[1-8]_[01](?:_[48]_[48])?"
                    + "|TQ[12]_0"
                    + "|MXFP4(?:_MOE)?"
                    + "|BF16|FP16|FP32|F16|F32"
                    + ")(?![A-Za-z0-9])");

    private QuantLabel() {}

    /// The label (upper case, `UD-` prefix kept), or empty when the name has none. When a name holds several,
    /// the last one wins (`Model-F16-Q4_K_M.gguf` is a `Q4_K_M` made from an F16).
    public static Optional<String> parse(String fileName) {
        var name = fileName;
        var slash = name.lastIndexOf('/');
        if (slash >= 0) name = name.substring(slash + 1);
        var m = LABEL.matcher(name);
        String found = null;
        while (m.find()) {
            found = (m.group(1) == null ? "" : "UD-") + m.group(2).toUpperCase(Locale.ROOT);
        }
        return Optional.ofNullable(found);
    }
}
