package dev.hearth.app.cli;

import picocli.CommandLine.Command;

/// `hearth models …`: inspect, make and (later) download GGUF models.
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = "Inspect GGUF model files and make fixture models.",
        subcommands = {ModelsInfoCommand.class, ModelsMakeFixtureCommand.class})
public final class ModelsCommand {}
