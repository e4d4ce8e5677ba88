package dev.hearth.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.inference.EngineException;
import dev.hearth.inference.GenerationEvent;
import dev.hearth.inference.GenerationRequest;
import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.LoadProgress;
import dev.hearth.inference.Sampling;
import dev.hearth.storage.Generation;
import dev.hearth.storage.Token;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
            "Re-runs generation ID with its recorded model file, load options, sampling parameters, seed and prompt,",
            "then prints whether the tokens are identical, or the first position where they differ. Exit code 0 when",
            "identical, 1 when they differ or the run cannot be repeated. The replay itself is not recorded."
        })
public final class LogReplayCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

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
        LoadOptions load;
        Sampling sampling;
        try {
            load = JSON.convertValue(run.loadOptions(), LoadOptions.class);
            sampling = JSON.convertValue(run.sampling(), Sampling.class);
        } catch (IllegalArgumentException e) {
            throw new CliFailure("generation " + id + "'s recorded parameters cannot be read by this Hearth: "
                    + EngineOptions.oneLine(e.getMessage()));
        }
        var replayed = new ArrayList<GenerationEvent.Token>();
        var engineOptions = new EngineOptions();
        engineOptions.inProcess = inProcess;
        engineOptions.nativeLib = nativeLib;
        try (var engine = engineOptions.open()) {
            try {
                engine.load(model, load, LoadProgress.NONE);
                engine.generate(new GenerationRequest(run.prompt(), sampling), event -> {
                    if (event instanceof GenerationEvent.Token t) replayed.add(t);
                });
            } catch (EngineException e) {
                throw EngineOptions.failure(e);
            }
        }
        var out = spec.commandLine().getOut();
        var before = recorded.tokens();
        int common = Math.min(before.size(), replayed.size());
        for (int i = 0; i < common; i++) {
            if (before.get(i).id() != replayed.get(i).id()) {
                out.printf("differs at token %d of %d: recorded %s (id %d), replay %s (id %d)%n", i, before.size(),
                        JSON.valueToTree(before.get(i).piece()), before.get(i).id(),
                        JSON.valueToTree(replayed.get(i).text()), replayed.get(i).id());
                out.flush();
                return 1;
            }
        }
        if (before.size() != replayed.size()) {
            out.printf("differs in length: the first %d tokens are identical, then the recording has %d and the replay %d%n",
                    common, before.size(), replayed.size());
            out.flush();
            return 1;
        }
        out.printf("identical: %d of %d tokens (model %s, seed %d)%n", common, before.size(), run.modelName(), run.seed());
        out.flush();
        return 0;
    }
}
