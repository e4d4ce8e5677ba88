package dev.hearth.app.cli;

import dev.hearth.app.HearthVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/// The root of Hearth's command line: `hearth [COMMAND]`. With no command the launcher opens the window instead.
@Command(
        name = "hearth",
        mixinStandardHelpOptions = true,
        versionProvider = HearthCommand.Version.class,
        description = {
            "Hearth: a workbench for running and inspecting local language models (GGUF, llama.cpp).",
            "Run without arguments to open the window."
        },
        subcommands = {ModelsCommand.class, RunCommand.class, BenchCommand.class, ChatCommand.class, PromptCommand.class,
            LogCommand.class, EngineWorkerCommand.class, CompareCommand.class, EnginesCommand.class,
            ProjectCommand.class})
public final class HearthCommand {

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            var v = HearthVersion.current();
            return new String[] {
                "Hearth " + v.version(),
                "java-llama.cpp " + v.javaLlamaVersion() + " (llama.cpp b4916), JavaFX " + v.javafxVersion(),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
            };
        }
    }
}
