package dev.hearth.ui.compare;

import dev.hearth.inference.chat.ChatMessage;
import dev.hearth.storage.Experiment;
import dev.hearth.storage.SessionLog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/// What an experiment runs: a name, a prompt with `{{variables}}`, the table of values ([ValueTable]), how many
/// repeats, and the variants. The session log keeps it in each variant's settings (prompt, values and repeats beside
/// the variant's own), one revision per edit that was run; the Compare section and `hearth compare` store and read
/// it through here.
public record ExperimentSetup(String name, String prompt, String values, int repeats, List<CompareVariant> variants) {
    /// The most variants an experiment runs side by side.
    public static final int MAX_VARIANTS = 4;
    /// The most repeats one run makes.
    public static final int MAX_REPEATS = 20;

    public ExperimentSetup {
        variants = List.copyOf(variants);
    }

    /// The rows of values, each checked against the prompt.
    ///
    /// @throws IllegalArgumentException with a short reason ("write a prompt first") when the setup cannot run
    public List<Map<String, String>> rows() {
        if (prompt.isBlank()) throw new IllegalArgumentException("write a prompt first");
        if (variants.isEmpty()) throw new IllegalArgumentException("add a variant first");
        if (variants.size() > MAX_VARIANTS) throw new IllegalArgumentException("at most " + MAX_VARIANTS + " variants");
        if (repeats < 1 || repeats > MAX_REPEATS) throw new IllegalArgumentException("repeat 1 to " + MAX_REPEATS + " times");
        var labels = new java.util.HashSet<String>();
        for (var v : variants) {
            if (!labels.add(v.label())) throw new IllegalArgumentException("two variants are called " + v.label());
        }
        var template = template();
        var table = ValueTable.parse(template.variables(), values);
        for (var row : table) template.fill(row);
        return table;
    }

    public PromptTemplate template() {
        return new PromptTemplate(prompt);
    }

    /// The same run: equal apart from the name (a rename alone is no new revision).
    public boolean sameRunAs(ExperimentSetup other) {
        return prompt.equals(other.prompt) && values.equals(other.values) && repeats == other.repeats
                && variants.equals(other.variants);
    }

    /// A copy named `newName`.
    public ExperimentSetup named(String newName) {
        return new ExperimentSetup(newName, prompt, values, repeats, variants);
    }

    /// The value table's line for one set of values given by name (`hearth compare --var`), in the prompt's order.
    ///
    /// @throws IllegalArgumentException when a variable has no value or a value names no variable
    public static String valuesLine(String prompt, Map<String, String> given) {
        var variables = new PromptTemplate(prompt).variables();
        for (var name : given.keySet()) {
            if (!variables.contains(name)) {
                throw new IllegalArgumentException("the prompt has no {{" + name + "}}" + (variables.isEmpty() ? ""
                        : " (its variables: " + String.join(", ", variables) + ")"));
            }
        }
        var values = new ArrayList<String>();
        for (var name : variables) {
            var v = given.get(name);
            if (v == null) throw new IllegalArgumentException("no value for {{" + name + "}}: add --var " + name + "=…");
            if (v.contains("|") || v.contains("\n")) throw new IllegalArgumentException("the value of " + name
                    + " holds | or a line break, which the value table cannot keep");
            values.add(v);
        }
        return String.join(" | ", values);
    }

    /// The revision of an experiment created now: a new experiment in the log with these variants as revision 1.
    public Stored storeNew(SessionLog log) {
        long id = log.createExperiment(name, null);
        return storeRevision(log, id, 1);
    }

    /// Stores these variants as revision `revision` of experiment `experimentId`; returns their ids in order.
    public Stored storeRevision(SessionLog log, long experimentId, int revision) {
        var ids = new ArrayList<Long>();
        for (var v : variants) {
            var settings = new LinkedHashMap<>(v.settings());
            settings.put("prompt", prompt);
            settings.put("values", values);
            settings.put("repeats", repeats);
            ids.add(log.addVariant(experimentId, revision, v.label(), settings));
        }
        return new Stored(experimentId, revision, ids);
    }

    /// Where a setup is in the log: its experiment, revision, and its variants' ids (in the setup's order).
    public record Stored(long experimentId, int revision, List<Long> variantIds) {
        public Stored {
            variantIds = List.copyOf(variantIds);
        }
    }

    /// The setup of one revision of a stored experiment.
    ///
    /// @throws IllegalArgumentException when the revision has no variants or they are not a Compare setup
    public static ExperimentSetup of(Experiment experiment, int revision) {
        var stored = experiment.variants(revision);
        if (stored.isEmpty()) throw new IllegalArgumentException("experiment " + experiment.id() + " has no revision " + revision);
        var settings = stored.getFirst().settings();
        var variants = stored.stream().map(v -> CompareVariant.fromSettings(v.label(), v.settings())).toList();
        return new ExperimentSetup(experiment.name(), settings.get("prompt") instanceof String p ? p : "",
                settings.get("values") instanceof String v ? v : "",
                settings.get("repeats") instanceof Number n ? Math.max(1, n.intValue()) : 1, variants);
    }

    /// A variant's conversation for one filled prompt: its system prompt (when it has one), then the prompt.
    public static List<ChatMessage> conversation(CompareVariant variant, String userText) {
        var conversation = new ArrayList<ChatMessage>();
        var system = variant.systemPrompt().strip();
        if (!system.isEmpty()) conversation.add(ChatMessage.system(system));
        conversation.add(ChatMessage.user(userText));
        return conversation;
    }
}
