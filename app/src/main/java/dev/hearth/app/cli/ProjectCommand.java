package dev.hearth.app.cli;

import picocli.CommandLine.Command;

/// `hearth project …`: what Hearth would include from a project folder, and questions about it.
@Command(
        name = "project",
        mixinStandardHelpOptions = true,
        description = "Work with a project folder: list what Hearth would put into a model's context (honouring "
                + ".gitignore, .ignore and .git/info/exclude), and ask a model about the project.",
        subcommands = {ProjectFilesCommand.class, ProjectAskCommand.class})
public final class ProjectCommand {}
