package dev.hearth.app.cli;

import picocli.CommandLine.Command;

/// `hearth models …`: find, download, list, remove and inspect GGUF models.
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = "Find, download, list and remove GGUF models; keep your own model folders; inspect files and make fixture models.",
        subcommands = {
            ModelsSearchCommand.class, ModelsFilesCommand.class, ModelsPullCommand.class, ModelsListCommand.class,
            ModelsRmCommand.class, ModelsInfoCommand.class, ModelsMakeFixtureCommand.class, ModelsFoldersCommand.class
        })
public final class ModelsCommand {}
