package dev.hearth.app.cli;

import dev.hearth.inference.EngineException;
import dev.hearth.inference.GenerationEvent;
import dev.hearth.storage.Generation;
import dev.hearth.storage.Token;
import dev.hearth.ui.history.Replay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/// `hearth log replay ID`: runs a recorded generation again with its recorded model, load options, sampling
/// parameters and seed, and says whether the tokens came out identical (and where they first differ if not).
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        header = "Run a recorded generation again and compare its tokens.",
        description = {
            "Re-runs generation ID with its recorded model file, load options, sampling parameters, seed and prompt, "
                    + "on the engine it was recorded on while that engine is installed (else the default one), then prints "
                    + "whether the tokens are identical, or the first position where they differ. Exit code 0 when "
                    + "identical, 1 when they differ or the run cannot be repeated. The replay itself is not recorded."
        })
public final class LogReplayCommand implements Callable<Integer> {
    @ParentCommand LogCommand parent;
    @Spec CommandSpec spec;
    @Option(names = "--in-process", description = "Run llama.cpp in this process instead of an engine worker.")
    boolean inProcess;

    @Option(names = "--native-lib", paramLabel = "FILE", description = "Use this llama.cpp library (a GPU build of the same version).")
    @Nullable Path nativeLib;

    @Parameters(paramLabel = "ID", description = "The generation's id (from 'hearth log list').")
    long id;

    @Override
    public Integer call() {
        record Recorded(Generation generation, List<Token> tokens) {}
        var recorded = parent.withLog(log -> new Recorded(
                log.generation(id).orElseThrow(() -> new CliFailure("no generation " + id + " in the log")), log.tokens(id)));
        var run = recorded.generation().run();
        var model = Path.of(run.modelPath());
        if (!Files.isRegularFile(model)) throw new CliFailure("the recorded model " + model + " is not there any more");
        Replay.Parameters parameters;
        try {
            parameters = Replay.parameters(run);
        } catch (IllegalArgumentException e) {
            throw new CliFailure("generation " + id + "'s recorded parameters cannot be read by this Hearth: "
                    + EngineOptions.oneLine(e.getMessage()));
        }
        List<GenerationEvent.Token> replayed;
        var engineOptions = new EngineOptions();
        engineOptions.inProcess = inProcess;
        engineOptions.nativeLib = nativeLib;
        // the engine the run was recorded on, while it is installed (runs recorded before engines had names, or on a
        // library file, replay on the default engine, as before)
        if (nativeLib == null) {
            engineOptions.engineName = Replay.engineFor(run, dev.hearth.app.EngineWorkers.catalog(dev.hearth.app.DataFolders.fromEnvironment()));
        }
        try (var engine = engineOptions.open()) {
            replayed = Replay.run(engine, run, parameters, recorded.tokens().size(), _ -> {}, () -> false);
        } catch (EngineException e) {
            throw EngineOptions.failure(e);
        }
        var out = spec.commandLine().getOut();
        var outcome = Replay.compare(recorded.tokens(), replayed);
        out.println(outcome instanceof Replay.Outcome.Identical
                ? outcome.describe() + " (model " + run.modelName() + ", seed " + run.seed() + ")"
                : outcome.describe());
        out.flush();
        return outcome instanceof Replay.Outcome.Identical ? 0 : 1;
    }
}
