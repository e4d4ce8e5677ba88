package dev.hearth.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.app.DataFolders;
import dev.hearth.app.EngineWorkers;
import dev.hearth.inference.Engine;
import dev.hearth.inference.EngineException;
import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.LoadProgress;
import dev.hearth.inference.NativeLibrary;
import dev.hearth.inference.project.ProjectContext;
import dev.hearth.inference.project.ProjectException;
import dev.hearth.inference.project.ProjectFile;
import dev.hearth.inference.project.ProjectFiles;
import dev.hearth.inference.project.TokenCount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/// `hearth project files`: the files of a project folder as Hearth sees them.
@Command(
        name = "files",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "List the files of a project folder that Hearth would include.",
        description = {
            "List the files of a project folder as Hearth's Project section sees them: ignored files (every .gitignore,",
            ".ignore and .git/info/exclude) and .git are left out; binary files, files over the size limit, links",
            "leading outside the folder and linked folders are listed as not includable, with the reason. With",
            "--model, each includable file's tokens are counted with that model's tokenizer."
        })
public final class ProjectFilesCommand implements Callable<Integer> {
    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The project folder.")
    Path dir;

    @Option(names = "--model", paramLabel = "FILE", description = "Count tokens with this GGUF model's tokenizer.")
    @Nullable Path model;

    @Option(names = "--max-size", paramLabel = "BYTES", defaultValue = "" + ProjectFiles.DEFAULT_SIZE_LIMIT,
            description = "Files larger than this are not includable (default: ${DEFAULT-VALUE}).")
    long maxSize;

    @Option(names = "--json", description = "Print one JSON object per file (path, size, includable, reason, tokens).")
    boolean json;

    @Spec CommandSpec spec;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        ProjectFiles project;
        ProjectFiles.Listing listing;
        try {
            if (maxSize <= 0) throw new CliFailure("--max-size must be > 0, got " + maxSize, 2);
            project = ProjectFiles.of(dir, maxSize);
            listing = project.list();
        } catch (ProjectException e) {
            throw new CliFailure(e.getMessage(), 2);
        }
        try (var engine = model == null ? null : tokenizer(model)) {
            var count = engine == null ? null : TokenCount.of(engine);
            int files = 0;
            long tokens = 0;
            for (var f : listing.files()) {
                Integer n = count != null && f.includable() ? count.count(read(f)) : null;
                if (n != null) tokens += n;
                if (f.includable()) files++;
                if (json) {
                    var o = JSON.createObjectNode().put("path", f.path()).put("size", f.size()).put("includable", f.includable());
                    if (f.exclusion() != null) o.put("reason", f.exclusion().reason());
                    if (n != null) o.put("tokens", n);
                    out.println(o);
                } else {
                    out.println(f.path() + "\t" + f.size() + " B"
                            + (n != null ? "\t" + n + " tokens" : "")
                            + (f.exclusion() != null ? "\tnot includable: " + f.exclusion().reason() : ""));
                }
            }
            if (!json) {
                var err = spec.commandLine().getErr();
                err.println(files + " includable of " + listing.files().size() + " files"
                        + (count != null ? ", " + tokens + " tokens" : "")
                        + (listing.truncated() ? " (stopped at " + ProjectFiles.MAX_FILES + " files)" : ""));
                err.flush();
            }
            out.flush();
            return 0;
        }
    }

    private static String read(ProjectFile f) {
        try {
            return decode(Files.readAllBytes(f.file()));
        } catch (IOException e) {
            throw new CliFailure("cannot read " + f.path() + ": " + e.getMessage(), 1);
        }
    }

    private static String decode(byte[] bytes) {
        return ProjectContext.decodeText(bytes);
    }

    /// An engine worker with `model` loaded, for its tokenizer (a small context: nothing is generated).
    static Engine tokenizer(Path model) {
        Engine engine;
        try {
            engine = EngineWorkers.start(NativeLibrary.bundled(DataFolders.fromEnvironment().cache()));
        } catch (EngineException e) {
            throw EngineOptions.failure(e);
        }
        try {
            engine.load(model, LoadOptions.DEFAULT.withContextSize(256), LoadProgress.NONE);
            return engine;
        } catch (EngineException e) {
            engine.close();
            throw EngineOptions.failure(e);
        }
    }
}
