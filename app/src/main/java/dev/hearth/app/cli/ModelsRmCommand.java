package dev.hearth.app.cli;

import dev.hearth.inference.library.LibraryException;
import dev.hearth.inference.library.LocalModel;
import dev.hearth.ui.Units;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/// `hearth models rm NAME [--yes]`: delete a model from Hearth's models folder.
@Command(
        name = "rm",
        mixinStandardHelpOptions = true,
        header = "Delete a model from Hearth's models folder.",
        description = {
            "Delete a model (all parts of a split set) from Hearth's models folder. NAME is what 'hearth models list'",
            "shows, or the file name. Asks first on a terminal; elsewhere --yes is required. Models in other tools'",
            "caches are never deleted by Hearth."
        })
public final class ModelsRmCommand implements Callable<Integer> {
    private final CliEnvironment environment;

    @Parameters(paramLabel = "NAME", description = "The model's name or file name.")
    String name;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
    boolean yes;

    @Spec CommandSpec spec;

    public ModelsRmCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        var library = ModelsListCommand.library(environment);
        var matches = library.find(name);
        if (matches.isEmpty()) throw new CliFailure("no model named '" + name + "'; see 'hearth models list'");
        var writable = matches.stream().filter(m -> !m.readOnly()).toList();
        if (writable.isEmpty()) {
            var m = matches.getFirst();
            throw new CliFailure(m.name() + " belongs to " + m.source().displayName() + ": remove it with that tool; Hearth only lists it");
        }
        if (writable.size() > 1) {
            throw new CliFailure("'" + name + "' matches several models: "
                    + writable.stream().map(LocalModel::name).collect(Collectors.joining(", ")) + "; give the full name");
        }
        var model = writable.getFirst();
        var out = spec.commandLine().getOut();
        if (!yes) {
            if (!environment.terminal()) throw new CliFailure("not deleting " + model.name() + " without confirmation: add --yes", 2);
            var what = model.files().size() > 1 ? " (" + model.files().size() + " files)" : "";
            if (!environment.confirm(out, "Delete " + model.name() + what + ", " + Units.bytes(model.sizeBytes()) + "?")) {
                out.println("Kept " + model.name() + ".");
                return 1;
            }
        }
        try {
            library.remove(model);
        } catch (LibraryException e) {
            throw new CliFailure(e.getMessage());
        }
        out.println("Deleted " + model.name() + ".");
        return 0;
    }
}
