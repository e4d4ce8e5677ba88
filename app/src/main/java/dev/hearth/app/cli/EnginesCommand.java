package dev.hearth.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hearth.app.DataFolders;
import dev.hearth.app.EngineWorkers;
import dev.hearth.inference.Device;
import dev.hearth.inference.EngineCapabilities;
import dev.hearth.inference.EngineException;
import dev.hearth.inference.NativeLibrary;
import dev.hearth.inference.pack.EngineCatalog;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/// `hearth engines …`: the llama.cpp engines models run on — list, install a pack, remove one.
@Command(
        name = "engines",
        mixinStandardHelpOptions = true,
        description = {
            "List, install and remove the llama.cpp engines models run on.",
            "",
            "b4916 is built in; the engine packs shipped with Hearth (a current llama.cpp, CPU and, on Linux x64, Vulkan) "
                    + "come next, then packs you install (for example a CUDA pack: npm pack @node-llama-cpp/linux-x64-cuda@3.22.1, "
                    + "then hearth engines install node-llama-cpp-linux-x64-cuda-3.22.1.tgz). Every engine runs in its own "
                    + "worker process; run, bench and chat take --engine NAME, and compare takes engine=NAME in a variant."
        },
        subcommands = {EnginesCommand.ListCommand.class, EnginesCommand.InstallCommand.class, EnginesCommand.RmCommand.class})
public final class EnginesCommand {

    /// `hearth engines list [--json]`.
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the engines: name, llama.cpp build, llama.h generation, backends and the devices each finds "
                    + "(each engine is started in a worker process to ask it).")
    static final class ListCommand implements Callable<Integer> {
        @Option(names = "--json", description = "One JSON array instead of a table.")
        boolean json;

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            var folders = DataFolders.fromEnvironment();
            var rows = new ArrayList<Map<String, Object>>();
            for (var entry : EngineWorkers.catalog(folders).list()) {
                var row = new LinkedHashMap<String, Object>();
                row.put("name", entry.name());
                row.put("builtIn", entry.builtIn());
                row.put("build", entry.build());
                row.put("backends", entry.backends());
                row.put("folder", entry.directory() != null ? entry.directory().toString() : null);
                try {
                    var caps = probe(entry.library(folders.cache()));
                    row.put("generation", caps.libraryGeneration());
                    row.put("gpuOffload", caps.gpuOffload());
                    row.put("devices", caps.devices().stream().map(EnginesCommand::device).toList());
                } catch (EngineException e) {
                    row.put("generation", null);
                    row.put("devices", List.of());
                    row.put("problem", EngineOptions.oneLine(e.getMessage()));
                }
                rows.add(row);
            }
            var out = spec.commandLine().getOut();
            if (json) {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
                return 0;
            }
            out.printf("%-20s %-8s %-11s %-16s %s%n", "NAME", "BUILD", "GENERATION", "BACKENDS", "DEVICES");
            for (var row : rows) {
                @SuppressWarnings("unchecked")
                var devices = (List<String>) row.get("devices");
                var gen = row.get("generation");
                @SuppressWarnings("unchecked")
                var backends = (List<String>) row.get("backends");
                out.printf("%-20s %-8s %-11s %-16s %s%n", row.get("name"), row.get("build"), gen == null ? "-" : gen,
                        String.join(",", backends),
                        row.containsKey("problem") ? "unavailable: " + row.get("problem") : String.join("; ", devices));
            }
            return 0;
        }
    }

    /// `hearth engines install FILE|DIR [--name NAME]`.
    @Command(name = "install", mixinStandardHelpOptions = true,
            description = {
                "Install an engine pack: a tarball from 'npm pack @node-llama-cpp/<platform>[-cuda|-vulkan]@3.22.1' or",
                "an unpacked folder of one. It must be the llama.cpp build this Hearth speaks; it is loaded in a worker",
                "process before it is kept, then unpacked into <data>/engines/NAME/."
            })
    static final class InstallCommand implements Callable<Integer> {
        @Parameters(paramLabel = "FILE|DIR", description = "The pack tarball (.tgz) or folder.")
        Path source;

        @Option(names = "--name", paramLabel = "NAME", description = "The engine's name (default: the pack's platform, e.g. linux-x64-cuda).")
        @Nullable String name;

        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            var catalog = EngineWorkers.catalog(DataFolders.fromEnvironment());
            if (name != null) checkName(name);
            EngineCatalog.Installed installed;
            try {
                installed = catalog.install(source, name, EnginesCommand::probe);
            } catch (EngineException e) {
                throw new CliFailure("the pack does not load: " + EngineOptions.oneLine(e.getMessage()));
            } catch (IllegalArgumentException e) {
                throw new CliFailure(EngineOptions.oneLine(e.getMessage()), 2);
            } catch (UncheckedIOException e) {
                throw new CliFailure(EngineOptions.oneLine(e.getMessage()));
            }
            var entry = installed.entry();
            var caps = installed.capabilities();
            var out = spec.commandLine().getOut();
            out.println("Installed engine " + entry.name() + ": llama.cpp " + entry.build() + " ("
                    + caps.libraryGeneration() + "), backends " + String.join(", ", entry.backends()) + ".");
            out.println("Devices: " + String.join("; ", caps.devices().stream().map(EnginesCommand::device).toList()));
            if (installed.gpuBackendWithoutDevice())
                out.println("Its GPU backend found no device here (driver or runtime library missing?); it runs on the CPU.");
            out.println("Use it with --engine " + entry.name() + ".");
            return 0;
        }
    }

    /// `hearth engines rm NAME`.
    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove an installed engine (built-in ones stay).")
    static final class RmCommand implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "The engine's name (hearth engines list).")
        String name;

        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            try {
                EngineWorkers.catalog(DataFolders.fromEnvironment()).remove(name);
            } catch (IllegalArgumentException e) {
                throw new CliFailure(EngineOptions.oneLine(e.getMessage()), 2);
            } catch (UncheckedIOException e) {
                throw new CliFailure(EngineOptions.oneLine(e.getMessage()));
            }
            spec.commandLine().getOut().println("Removed engine " + name + ".");
            return 0;
        }
    }

    private static void checkName(String name) {
        try {
            EngineCatalog.checkName(name);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(e.getMessage(), 2);
        }
    }

    /// Starts the engine in a worker process (never in this JVM: a bad library may crash it) and asks what it has.
    static EngineCapabilities probe(NativeLibrary library) {
        try (var worker = EngineWorkers.start(library)) {
            return worker.capabilities();
        }
    }

    static String device(Device d) {
        return d.describe();
    }
}
