package dev.hearth.inference.llama;

import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.LoadProgress;
import dev.hearth.inference.NativeLibrary;
import dev.hearth.inference.Sampling;
import dev.hearth.inference.gguf.FixtureModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/// What switching between two conversations on one loaded model costs: parking one conversation's KV cells and
/// restoring the other's (`llama_state_seq_get_data`/`set_data`) against evaluating the other's prompt again.
/// Two conversations of 500 and 800 tokens on the bench fixture (512 wide, 8 layers, 32,000 tokens).
///
/// Run: `java --enable-native-access=ALL-UNNAMED -cp <test classpath> dev.hearth.inference.llama.ConversationSwitchBenchmark
/// [dir] [threads]`
public final class ConversationSwitchBenchmark {
    private ConversationSwitchBenchmark() {}

    public static void main(String[] args) throws Exception {
        var dir = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "/tmp/engine2"));
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        var file = dir.resolve("bench.gguf");
        if (!Files.exists(file))
            FixtureModel.builder().width(512).layers(8).vocabulary(32000).contextLength(2048).seed(1).write(file);
        try (var engine = LlamaEngine.open(NativeLibrary.bundled(dir.resolve("cache")))) {
            engine.load(file, LoadOptions.DEFAULT.withThreads(threads).withBatchThreads(threads).withContextSize(2048),
                    LoadProgress.NONE);
            var words = engine.tokenize("the quick brown fox jumps over a lazy dog and ", false, false).stream()
                    .map(t -> t.id()).toList();
            var a = conversation(words, 500);
            var b = conversation(words, 800);
            var one = Sampling.GREEDY.withMaxTokens(1);
            engine.generateTokens("a", a, one, false, _ -> {});
            engine.generateTokens("b", b, one, false, _ -> {});
            for (int round = 1; round <= 5; round++) {
                for (var chat : List.of(new Object[] {"a", a}, new Object[] {"b", b})) {
                    String key = (String) chat[0];
                    @SuppressWarnings("unchecked") var ids = (List<Integer>) chat[1];
                    var before = engine.evalCounters();
                    long t0 = System.nanoTime();
                    engine.generateTokens(key, ids, one, false, _ -> {});
                    double total = (System.nanoTime() - t0) / 1e6;
                    var used = engine.evalCounters().since(before);
                    double reeval = timeFresh(engine, ids, round, key);
                    System.out.printf("round %d %s (%d tokens): switch %.2f ms, whole turn %.2f ms (%d tokens evaluated);"
                            + " re-evaluating it %.1f ms%n", round, key, ids.size(), engine.lastSwitchNanos / 1e6, total,
                            used.totalTokens(), reeval);
                }
            }
        }
    }

    private static double timeFresh(LlamaEngine engine, List<Integer> ids, int round, String key) {
        long t0 = System.nanoTime();
        engine.generateTokens("fresh " + key + round, ids, Sampling.GREEDY.withMaxTokens(1), false, _ -> {});
        return (System.nanoTime() - t0) / 1e6 - engine.lastSwitchNanos / 1e6;
    }

    private static List<Integer> conversation(List<Integer> words, int size) {
        var out = new ArrayList<Integer>();
        out.add(1);
        while (out.size() < size) out.add(words.get(out.size() % words.size()));
        return out;
    }
}
