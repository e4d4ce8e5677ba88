package dev.hearth.ui.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/// The experiment's table of values as the user types it: one line per row, the values in the order of the prompt's
/// variables, separated by `|` ("Paris | winter"). Blank lines are skipped. A prompt without variables has one
/// (empty) row.
public final class ValueTable {
    private ValueTable() {}

    /// The rows of `text` for `variables`.
    ///
    /// @throws IllegalArgumentException when a line has more or fewer values than there are variables, or when the
    ///     prompt has variables and no line gives them values
    public static List<Map<String, String>> parse(List<String> variables, String text) {
        var rows = new ArrayList<Map<String, String>>();
        if (variables.isEmpty()) return List.of(Map.of());
        int n = 0;
        for (var line : text.lines().toList()) {
            n++;
            if (line.isBlank()) continue;
            var values = line.split("\\|", -1);
            if (values.length != variables.size()) {
                throw new IllegalArgumentException("line " + n + " has " + values.length + " value"
                        + (values.length == 1 ? "" : "s") + "; the prompt has " + variables.size() + " variable"
                        + (variables.size() == 1 ? "" : "s") + " (" + String.join(", ", variables) + ")");
            }
            var row = new LinkedHashMap<String, String>();
            for (int i = 0; i < values.length; i++) row.put(variables.get(i), values[i].strip());
            rows.add(row);
        }
        if (rows.isEmpty()) throw new IllegalArgumentException("give values for " + String.join(", ", variables)
                + ", one row per line");
        return rows;
    }
}
