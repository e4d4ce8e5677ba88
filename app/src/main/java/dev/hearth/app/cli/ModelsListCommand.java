package dev.hearth.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hearth.inference.library.LocalModel;
import dev.hearth.inference.library.ModelCaches;
import dev.hearth.inference.library.ModelLibrary;
import dev.hearth.ui.Units;
import dev.hearth.ui.settings.SettingsStore;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/// `hearth models list [--json]`: the models on this machine.
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        header = "List local models: Hearth's folder, your folders and other tools' caches.",
        description = {
            "List the models in Hearth's models folder and your own folders ('hearth models folders'), and those",
            "found read-only in other tools' caches:",
            "LM Studio, the Hugging Face cache (HF_HUB_CACHE, HF_HOME), llama.cpp's cache (LLAMA_CACHE) and Ollama (OLLAMA_MODELS)."
        })
public final class ModelsListCommand implements Callable<Integer> {
    private final CliEnvironment environment;

    @Option(names = "--json", description = "Print a JSON array instead of a table.")
    boolean json;

    @Spec CommandSpec spec;

    public ModelsListCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    /// The library the window shows too: Hearth's folder, the user's folders from the settings file, other tools' caches.
    static ModelLibrary library(CliEnvironment environment) {
        var folders = environment.folders();
        return new ModelLibrary(folders.models(), SettingsStore.open(folders.settings()).current().modelFolders(),
                ModelCaches.discover(environment.env(), environment.userHome(), environment.osName()),
                folders.cache().resolve("gguf-metadata.json"));
    }

    @Override
    public Integer call() throws Exception {
        var library = library(environment);
        var models = library.list();
        var out = spec.commandLine().getOut();
        if (json) {
            var rows = models.stream().map(m -> {
                var map = new LinkedHashMap<String, Object>();
                map.put("name", m.name());
                map.put("source", m.source().name().toLowerCase(Locale.ROOT));
                map.put("read_only", m.readOnly());
                map.put("size_bytes", m.sizeBytes());
                map.put("quant", m.quant());
                map.put("path", m.path().toString());
                map.put("files", m.files().stream().map(Object::toString).toList());
                map.put("modified", m.modified().toString());
                return map;
            }).toList();
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
            return 0;
        }
        if (models.isEmpty()) {
            out.println("No models yet in " + library.modelsDir() + ". Find some with 'hearth models search QUERY'.");
            return 0;
        }
        int width = Math.max(4, models.stream().mapToInt(m -> m.name().length()).max().orElse(4));
        out.printf(Locale.ROOT, "%-" + width + "s  %10s  %-10s  %s%n", "NAME", "SIZE", "QUANT", "SOURCE");
        for (LocalModel m : models) {
            out.printf(Locale.ROOT, "%-" + width + "s  %10s  %-10s  %s%s%n", m.name(), Units.bytes(m.sizeBytes()),
                    m.quant() == null ? "-" : m.quant(), m.source().displayName(), m.readOnly() ? " (read-only)" : "");
        }
        return 0;
    }
}
