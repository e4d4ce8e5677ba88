package dev.hearth.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hearth.inference.hub.ModelSummary;
import dev.hearth.inference.hub.SearchSort;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/// `hearth models search QUERY [--sort …] [--limit N] [--json]`: GGUF repositories on the Hub.
@Command(
        name = "search",
        mixinStandardHelpOptions = true,
        header = "Search the Hugging Face Hub for GGUF repositories.",
        description = {
            "Search the Hugging Face Hub (or HF_ENDPOINT) for repositories with GGUF models.",
            "Gated repositories are marked; they need an accepted licence and a token (HF_TOKEN) to download."
        })
public final class ModelsSearchCommand implements Callable<Integer> {
    private final CliEnvironment environment;

    @Parameters(paramLabel = "QUERY", arity = "1..*", description = "Words in the repository name, e.g. 'llama 3.2'.")
    List<String> query;

    @Option(names = "--sort", paramLabel = "ORDER", defaultValue = "downloads",
            description = "downloads, likes, updated or trending (default: ${DEFAULT-VALUE}).")
    String sort;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N results, 1-1000 (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print a JSON array instead of a table.")
    boolean json;

    @Spec CommandSpec spec;

    public ModelsSearchCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        SearchSort order;
        try {
            order = SearchSort.valueOf(sort.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException _) {
            throw new CliFailure("--sort must be downloads, likes, updated or trending, not '" + sort + "'", 2);
        }
        if (limit < 1 || limit > 1000) throw new CliFailure("--limit must be 1-1000, not " + limit, 2);
        List<ModelSummary> results = HubCommands.call(() -> HubCommands.client(environment).search(String.join(" ", query), order, limit));
        var out = spec.commandLine().getOut();
        if (json) {
            var rows = results.stream().map(r -> {
                var map = new LinkedHashMap<String, Object>();
                map.put("repo", r.repo().toString());
                map.put("downloads", r.downloads());
                map.put("likes", r.likes());
                map.put("last_modified", r.lastModified() == null ? null : r.lastModified().toString());
                map.put("gated", r.gated());
                map.put("private", r.isPrivate());
                map.put("pipeline_tag", r.pipelineTag());
                map.put("tags", r.tags());
                return map;
            }).toList();
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
            return 0;
        }
        if (results.isEmpty()) {
            out.println("No GGUF repositories match '" + String.join(" ", query) + "'.");
            return 0;
        }
        int width = Math.max(4, results.stream().mapToInt(r -> r.repo().toString().length()).max().orElse(4));
        out.printf(Locale.ROOT, "%-" + width + "s  %10s  %6s  %-10s%n", "REPO", "DOWNLOADS", "LIKES", "UPDATED");
        var day = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);
        for (var r : results) {
            out.printf(Locale.ROOT, "%-" + width + "s  %10d  %6d  %-10s%s%n", r.repo(), r.downloads(), r.likes(),
                    r.lastModified() == null ? "" : day.format(r.lastModified()), r.isGated() ? "  gated" : "");
        }
        return 0;
    }
}
