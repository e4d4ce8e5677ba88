package dev.hearth.app.cli;

import picocli.CommandLine.Command;

/// `hearth models …`: inspect, make and (later) download GGUF models.
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = "Inspect and make GGUF model files.",
        subcommands = {})
public final class ModelsCommand {}
