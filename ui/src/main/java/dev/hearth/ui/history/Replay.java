package dev.hearth.ui.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.inference.Engine;
import dev.hearth.inference.GenerationEvent;
import dev.hearth.inference.GenerationRequest;
import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.Sampling;
import dev.hearth.storage.RunRecord;
import dev.hearth.storage.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;

/// Running a recorded generation again and comparing its tokens with the recording: the one place the History's
/// Replay and `hearth log replay` share.
public final class Replay {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Replay() {}

    /// The recorded load options and sampling parameters, read back into the engine's types.
    public record Parameters(LoadOptions load, Sampling sampling) {}

    /// How a replay compares with its recording.
    public sealed interface Outcome {
        /// Every token the same, and as many.
        record Identical(int tokens) implements Outcome {}

        /// The first position where the token ids differ.
        record DiffersAt(int position, int recordedCount, String recordedPiece, int recordedId, String replayedPiece,
                int replayedId) implements Outcome {}

        /// The shorter one is a prefix of the longer one.
        record DiffersInLength(int common, int recordedCount, int replayedCount) implements Outcome {}

        /// One line for people (the CLI prints it; the History shows it).
        default String describe() {
            return switch (this) {
                case Identical(var n) -> "identical: " + n + " of " + n + " tokens";
                case DiffersAt d -> "differs at token " + d.position() + " of " + d.recordedCount() + ": recorded "
                        + JSON.valueToTree(d.recordedPiece()) + " (id " + d.recordedId() + "), replay "
                        + JSON.valueToTree(d.replayedPiece()) + " (id " + d.replayedId() + ")";
                case DiffersInLength(var common, var recorded, var replayed) -> "differs in length: the first " + common
                        + " tokens are identical, then the recording has " + recorded + " and the replay " + replayed;
            };
        }
    }

    /// The engine types for a run record's parameters.
    ///
    /// @throws IllegalArgumentException when this Hearth cannot read them (a record from another version)
    public static Parameters parameters(RunRecord run) {
        return new Parameters(JSON.convertValue(run.loadOptions(), LoadOptions.class),
                JSON.convertValue(run.sampling(), Sampling.class));
    }

    /// Compares recorded tokens with replayed ones by token id.
    public static Outcome compare(List<Token> recorded, List<GenerationEvent.Token> replayed) {
        int common = Math.min(recorded.size(), replayed.size());
        for (int i = 0; i < common; i++) {
            var before = recorded.get(i);
            var after = replayed.get(i);
            if (before.id() != after.id()) {
                return new Outcome.DiffersAt(i, recorded.size(), before.piece(), before.id(), after.text(), after.id());
            }
        }
        if (recorded.size() != replayed.size()) return new Outcome.DiffersInLength(common, recorded.size(), replayed.size());
        return new Outcome.Identical(common);
    }

    /// The engine a run record names (`worker:NAME` or `in-process:NAME`, as `hearth run` and the window record it),
    /// or null for a record that names none (runs recorded before engines had names).
    public static @org.jspecify.annotations.Nullable String engineName(RunRecord run) {
        var engine = run.engine();
        int colon = engine == null ? -1 : engine.indexOf(':');
        if (colon < 0 || colon == engine.length() - 1) return null;
        return engine.substring(colon + 1);
    }

    /// The engine a replay of `run` runs on: the one its record names while `catalog` still has it, else null (the
    /// default engine: runs recorded before engines had names, on a library file, or on an engine removed since).
    public static @org.jspecify.annotations.Nullable String engineFor(RunRecord run, dev.hearth.inference.pack.EngineCatalog catalog) {
        return installedOrDefault(engineName(run), catalog);
    }

    /// `recorded` while `catalog` has an engine of that name, else null (the default engine).
    public static @org.jspecify.annotations.Nullable String installedOrDefault(@org.jspecify.annotations.Nullable String recorded,
            dev.hearth.inference.pack.EngineCatalog catalog) {
        return recorded != null && catalog.find(recorded).isPresent() ? recorded : null;
    }

    /// Loads the recorded model into `engine` and generates the recorded prompt with the recorded parameters;
    /// returns the replayed tokens. `progress` gets 0…0.5 while loading and 0.5…1 while generating (as a share of
    /// the recorded token count); `cancelled` is asked between steps (call [Engine#cancel()] to stop a running step).
    ///
    /// @throws dev.hearth.inference.EngineException as the engine reports it
    public static List<GenerationEvent.Token> run(Engine engine, RunRecord run, Parameters parameters, int recordedTokens,
            DoubleConsumer progress, BooleanSupplier cancelled) {
        engine.load(java.nio.file.Path.of(run.modelPath()), parameters.load(), fraction -> {
            progress.accept(fraction / 2.0);
            return !cancelled.getAsBoolean();
        });
        var replayed = new ArrayList<GenerationEvent.Token>();
        if (cancelled.getAsBoolean()) return replayed;
        engine.generate(new GenerationRequest(run.prompt(), parameters.sampling()), event -> {
            if (event instanceof GenerationEvent.Token t) {
                replayed.add(t);
                if (recordedTokens > 0) progress.accept(0.5 + 0.5 * Math.min(1.0, replayed.size() / (double) recordedTokens));
            }
        });
        progress.accept(1.0);
        return replayed;
    }
}
