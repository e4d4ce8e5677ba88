package dev.hearth.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.app.DataFolders;
import dev.hearth.inference.gguf.FixtureModel;
import dev.hearth.storage.SqliteSessionLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// `hearth compare` on two tiny fixture models with the real llama.cpp (in this process, to keep the suite lean).
class CompareCommandTest {
    @TempDir static Path dir;
    static Path a;
    static Path b;

    @BeforeAll
    static void writeModels() throws Exception {
        a = FixtureModel.builder().width(64).layers(2).contextLength(256).seed(11).write(dir.resolve("a.gguf"));
        b = FixtureModel.builder().width(64).layers(2).contextLength(256).seed(12).write(dir.resolve("b.gguf"));
    }

    private static List<JsonNode> lines(String out) {
        var json = new ObjectMapper();
        return out.lines().map(l -> {
            try {
                return json.readTree(l);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + l, e);
            }
        }).toList();
    }

    private static CliRun compare(String... extra) {
        var args = new ArrayList<>(List.of("compare", "--in-process", "--max-tokens", "6", "--prompt",
                "Write about {{thing}} in {{season}}.", "--var", "thing=rivers", "--var", "season=winter",
                "--variant", "model=" + a + ",temperature=0,threads=1,ctx=256",
                "--variant", "model=" + b + ",temperature=0.9,top_k=10,seed=7,threads=1,ctx=256,label=hot b"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void greedyAndFixedSeedVariantsReproduceExactlyAcrossTwoRunsAndTheVariablesAreFilledIn() throws Exception {
        var first = compare("--json");
        assertEquals(0, first.exitCode(), first.err());
        var second = compare("--json");
        assertEquals(0, second.exitCode(), second.err());
        var one = lines(first.out());
        var two = lines(second.out());
        for (int i = 0; i < 2; i++) {
            assertEquals(one.get(i).get("output").asText(), two.get(i).get("output").asText());
            assertEquals(6, one.get(i).get("tokens").asInt());
        }
        assertNotEquals(one.get(0).get("output").asText(), one.get(1).get("output").asText());
        assertEquals(7, one.get(1).get("seed").asLong());

        long experiment = one.getLast().get("experiment_id").asLong();
        try (var log = SqliteSessionLog.open(DataFolders.fromEnvironment().database())) {
            var stored = log.experiment(experiment).orElseThrow();
            assertEquals(List.of("1 a.gguf", "hot b"), stored.variants().stream().map(v -> v.label()).toList());
            assertEquals("Write about {{thing}} in {{season}}.", stored.variants().getFirst().settings().get("prompt"));
            assertEquals("rivers | winter", stored.variants().getFirst().settings().get("values"));
            var g = log.generation(stored.variants().get(1).generationIds().getFirst()).orElseThrow();
            assertTrue(g.run().prompt().contains("Write about rivers in winter."), g.run().prompt());
            assertEquals(one.get(1).get("output").asText(), g.output());
        }
    }

    @Test
    void jsonHasOneObjectPerRunThenASummaryWithMedianAndSpread() {
        var run = compare("--json", "--repeat", "2");
        assertEquals(0, run.exitCode(), run.err());
        var lines = lines(run.out());
        assertEquals(2 * 2 + 1, lines.size());
        for (var line : lines.subList(0, 4)) {
            assertEquals(List.of("type", "variant", "model", "repeat", "seed", "output", "tokens", "tokens_per_second",
                    "ttft_ms", "stop", "mean_logprob", "perplexity", "generation_id"), names(line));
            assertEquals("run", line.get("type").asText());
            assertTrue(line.get("mean_logprob").asDouble() < 0);
            assertEquals(Math.exp(-line.get("mean_logprob").asDouble()), line.get("perplexity").asDouble(), 0.01);
        }
        assertEquals(List.of(7L, 8L), List.of(lines.get(2).get("seed").asLong(), lines.get(3).get("seed").asLong()),
                "repeats use seed, seed + 1");
        var summary = lines.getLast();
        assertEquals("summary", summary.get("type").asText());
        assertEquals(2, summary.get("engines").asInt(), "two models, two engines");
        var hot = summary.get("variants").get(1);
        assertEquals("hot b", hot.get("variant").asText());
        assertEquals(2, hot.get("outputs").asInt());
        var tps = hot.get("tokens_per_second");
        assertTrue(tps.get("min").asDouble() <= tps.get("median").asDouble()
                && tps.get("median").asDouble() <= tps.get("max").asDouble(), tps.toString());
        assertEquals(2, hot.get("stop").get("length").asInt());
    }

    @Test
    void variantsOfOneModelShareAnEngineAndThePlainOutputEndsWithTheTable() {
        var run = CliRun.of("compare", "--in-process", "--no-log", "--max-tokens", "4", "--prompt", "Hello",
                "--variant", "model=" + a + ",temperature=0,threads=1,ctx=256",
                "--variant", "model=" + a + ",temperature=0.7,seed=3,threads=1,ctx=256");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("== 1 a.gguf · seed "), run.out());
        assertTrue(run.out().contains("== 2 a.gguf · seed 3 =="), run.out());
        var table = run.out().lines().dropWhile(l -> !l.startsWith("Variant")).toList();
        assertEquals(3, table.size(), run.out());
        assertTrue(table.get(0).matches("Variant\\s+Tokens\\s+tok/s\\s+TTFT ms\\s+Stop\\s+Mean logprob\\s+Perplexity"),
                table.get(0));
        assertTrue(table.get(2).startsWith("2 a.gguf"), table.get(2));
        assertTrue(table.get(2).contains(" 4 "), table.get(2));
    }

    @Test
    void aBadVariantKeyOrValueIsOneClearLine() {
        var key = CliRun.of("compare", "--prompt", "Hi", "--variant", "model=" + a + ",tempreature=0.2");
        assertEquals(2, key.exitCode());
        assertTrue(key.oneLineError(), key.err());
        assertTrue(key.err().startsWith("hearth: --variant 1: unknown key 'tempreature' (keys: "), key.err());

        var value = CliRun.of("compare", "--prompt", "Hi", "--variant", "model=" + a + ",top_k=many");
        assertEquals(2, value.exitCode());
        assertTrue(value.oneLineError(), value.err());
        assertTrue(value.err().contains("--variant 1: ") && value.err().contains("many"), value.err());

        var rule = CliRun.of("compare", "--prompt", "Hi", "--variant", "model=" + a + ",kv_type=q4_0");
        assertEquals("hearth: --variant 1: kv-type q4_0 needs flash-attn", rule.err().strip());

        var noModel = CliRun.of("compare", "--prompt", "Hi", "--variant", "temperature=0");
        assertEquals("hearth: --variant 1 has no model=FILE", noModel.err().strip());

        var missingVar = CliRun.of("compare", "--prompt", "Hi {{name}}", "--variant", "model=" + a);
        assertEquals(2, missingVar.exitCode());
        assertEquals("hearth: no value for {{name}}: add --var name=…", missingVar.err().strip());
    }

    @Test
    void oneModelOnTwoEnginesRunsInTwoWorkersAndEachRunRecordNamesItsEngine() throws Exception {
        var pack = Path.of(System.getProperty("hearth.test.enginePack", ""));
        Assumptions.assumeTrue(Files.isRegularFile(pack.resolve("_nlcBuildMetadata.json")),
                "no engine pack was fetched at build time (npm missing or offline)");
        var packName = pack.getFileName().toString();
        var parent = java.util.Objects.requireNonNull(pack.getParent());
        System.setProperty("hearth.engines", parent.toString()); // the fetched pack as a built-in engine
        try {
            var run = CliRun.of("compare", "--json", "--max-tokens", "3", "--prompt", "Hello",
                    "--variant", "model=" + a + ",temperature=0,threads=1,ctx=256,engine=b4916,label=old",
                    "--variant", "model=" + a + ",temperature=0,threads=1,ctx=256,engine=" + packName + ",label=new");
            assertEquals(0, run.exitCode(), run.err());
            var lines = lines(run.out());
            var summary = lines.getLast();
            assertEquals(2, summary.get("engines").asInt(), "the same model on two engines never shares a worker");
            try (var log = SqliteSessionLog.open(DataFolders.fromEnvironment().database())) {
                var old = log.generation(lines.get(0).get("generation_id").asLong()).orElseThrow().run();
                var neu = log.generation(lines.get(1).get("generation_id").asLong()).orElseThrow().run();
                assertEquals("worker:b4916", old.engine());
                assertEquals("llama.cpp b4916", old.nativeBuild());
                assertEquals("worker:" + packName, neu.engine());
                assertEquals("llama.cpp v0.5.0", neu.nativeBuild());
            }
        } finally {
            System.clearProperty("hearth.engines");
        }
    }

    private static List<String> names(JsonNode node) {
        var names = new ArrayList<String>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
