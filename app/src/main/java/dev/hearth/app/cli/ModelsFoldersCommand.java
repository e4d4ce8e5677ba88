package dev.hearth.app.cli;

import dev.hearth.ui.settings.ModelFolders;
import dev.hearth.ui.settings.SettingsStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/// `hearth models folders [list | add DIR | rm DIR]`: the folders of models the user added to the library.
@Command(
        name = "folders",
        mixinStandardHelpOptions = true,
        header = "List, add or remove your own model folders.",
        description = {
            "Folders of GGUF files you keep yourself, listed by 'hearth models list' and in the window's Models",
            "section next to Hearth's own folder. They are kept in the settings file (the window's 'Add folder…'",
            "writes the same list). Removing a folder from the list leaves its files alone. Without a subcommand: list."
        },
        subcommands = {ModelsFoldersCommand.ListCommand.class, ModelsFoldersCommand.AddCommand.class, ModelsFoldersCommand.RmCommand.class})
public final class ModelsFoldersCommand implements Callable<Integer> {
    private final CliEnvironment environment;

    @Spec CommandSpec spec;

    public ModelsFoldersCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        return ListCommand.print(environment, spec);
    }

    static ModelFolders folders(CliEnvironment environment) {
        var dataFolders = environment.folders();
        return new ModelFolders(SettingsStore.open(dataFolders.settings()), ModelsListCommand.library(environment));
    }

    @Command(name = "list", mixinStandardHelpOptions = true, header = "List your model folders.",
            description = "One folder a line, in the order added; a folder that is gone from the disk is marked.")
    static final class ListCommand implements Callable<Integer> {
        private final CliEnvironment environment;

        @Spec CommandSpec spec;

        ListCommand(CliEnvironment environment) {
            this.environment = environment;
        }

        @Override
        public Integer call() {
            return print(environment, spec);
        }

        static int print(CliEnvironment environment, CommandSpec spec) {
            var out = spec.commandLine().getOut();
            var folders = folders(environment).list();
            if (folders.isEmpty()) {
                out.println("No model folders of your own yet. Add one with 'hearth models folders add DIR'.");
                return 0;
            }
            for (var folder : folders) out.println(folder + (Files.isDirectory(folder) ? "" : "  (missing)"));
            return 0;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, header = "Add a folder of models to the library.",
            description = "Adds DIR (made absolute) to your model folders; its GGUF files appear in 'hearth models list'.")
    static final class AddCommand implements Callable<Integer> {
        private final CliEnvironment environment;

        @Parameters(paramLabel = "DIR", description = "A folder holding GGUF files (searched up to 8 levels deep).")
        Path dir;

        @Spec CommandSpec spec;

        AddCommand(CliEnvironment environment) {
            this.environment = environment;
        }

        @Override
        public Integer call() {
            var added = change(() -> folders(environment).add(dir));
            spec.commandLine().getOut().println("Added " + added + ".");
            return 0;
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, header = "Remove a folder from your model folders.",
            description = "Removes DIR from the list; the folder and its files stay on the disk.")
    static final class RmCommand implements Callable<Integer> {
        private final CliEnvironment environment;

        @Parameters(paramLabel = "DIR", description = "A folder shown by 'hearth models folders list'.")
        Path dir;

        @Spec CommandSpec spec;

        RmCommand(CliEnvironment environment) {
            this.environment = environment;
        }

        @Override
        public Integer call() {
            change(() -> {
                folders(environment).remove(dir);
                return dir;
            });
            spec.commandLine().getOut().println("Removed " + dir.toAbsolutePath().normalize() + " from the model folders.");
            return 0;
        }
    }

    private interface Change {
        Path run() throws ModelFolders.FolderException, IOException;
    }

    private static Path change(Change change) {
        try {
            return change.run();
        } catch (ModelFolders.FolderException e) {
            throw new CliFailure(e.getMessage());
        } catch (IOException e) {
            throw new CliFailure("cannot save the settings: " + Cli.describe(e));
        }
    }
}
