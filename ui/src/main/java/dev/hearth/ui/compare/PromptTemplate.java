package dev.hearth.ui.compare;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/// A prompt with `{{name}}` placeholders, filled from one row of the experiment's value table.
public record PromptTemplate(String text) {
    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

    /// The variables the prompt names, in order of first use.
    public List<String> variables() {
        var names = new LinkedHashSet<String>();
        var m = VARIABLE.matcher(text);
        while (m.find()) names.add(m.group(1));
        return new ArrayList<>(names);
    }

    /// The prompt with every placeholder replaced by its value.
    ///
    /// @throws IllegalArgumentException when a variable has no value
    public String fill(Map<String, String> values) {
        var m = VARIABLE.matcher(text);
        var out = new StringBuilder();
        while (m.find()) {
            var value = values.get(m.group(1));
            if (value == null) throw new IllegalArgumentException("no value for {{" + m.group(1) + "}}");
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
