package dev.hearth.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hearth.inference.hub.GgufVariant;
import dev.hearth.ui.Units;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/// `hearth models files REPO [--revision R] [--json]`: the GGUF models in a repository.
@Command(
        name = "files",
        mixinStandardHelpOptions = true,
        header = "List the GGUF files of a Hub repository.",
        description = {
            "List the GGUF models in a Hub repository: quantisation, size and file; a split set (-00001-of-0000N)",
            "is one line. Pull one with 'hearth models pull REPO:QUANT'."
        })
public final class ModelsFilesCommand implements Callable<Integer> {
    private final CliEnvironment environment;

    @Parameters(paramLabel = "REPO", description = "The repository, OWNER/NAME.")
    String repo;

    @Option(names = "--revision", paramLabel = "R", defaultValue = "main", description = "Branch, tag or commit (default: ${DEFAULT-VALUE}).")
    String revision;

    @Option(names = "--json", description = "Print a JSON array with every file, size and sha256.")
    boolean json;

    @Spec CommandSpec spec;

    public ModelsFilesCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        var id = HubCommands.repo(repo);
        List<GgufVariant> variants = HubCommands.call(() -> HubCommands.client(environment).ggufVariants(id, revision));
        var out = spec.commandLine().getOut();
        if (json) {
            var rows = variants.stream().map(v -> {
                var map = new LinkedHashMap<String, Object>();
                map.put("name", v.name());
                map.put("quant", v.quant());
                map.put("size_bytes", v.totalBytes());
                map.put("split", v.isSplit());
                map.put("complete", v.complete());
                map.put("projector", v.isProjector());
                map.put("files", v.files().stream().map(f -> {
                    var file = new LinkedHashMap<String, Object>();
                    file.put("path", f.path());
                    file.put("size_bytes", f.size());
                    file.put("sha256", f.sha256());
                    return file;
                }).toList());
                return map;
            }).toList();
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
            return 0;
        }
        out.printf(Locale.ROOT, "%-12s  %10s  %s%n", "QUANT", "SIZE", "FILE");
        for (var v : variants) {
            var file = v.isSplit()
                    ? v.files().getFirst().path() + " (" + v.files().size() + " parts" + (v.complete() ? "" : ", incomplete") + ")"
                    : v.files().getFirst().path();
            var quant = v.quant() != null ? v.quant() : v.isProjector() ? "mmproj" : "-";
            out.printf(Locale.ROOT, "%-12s  %10s  %s%n", quant, Units.bytes(v.totalBytes()), file);
        }
        return 0;
    }
}
