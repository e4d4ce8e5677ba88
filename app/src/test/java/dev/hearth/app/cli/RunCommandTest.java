package dev.hearth.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.app.DataFolders;
import dev.hearth.inference.gguf.FixtureModel;
import dev.hearth.storage.GenerationStatus;
import dev.hearth.storage.SqliteSessionLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// `hearth run` and `hearth bench` on a tiny fixture model with the real llama.cpp.
class RunCommandTest {
    @TempDir static Path dir;
    static Path model;

    @BeforeAll
    static void writeModel() throws Exception {
        model = FixtureModel.builder().width(64).layers(2).seed(11).write(dir.resolve("tiny.gguf"));
    }

    @Test
    void jsonLinesHaveOneObjectPerTokenAndAFinalStatsObject() throws Exception {
        var run = CliRun.of("run", "--model", model.toString(), "--prompt", "Hello world", "--max-tokens", "5",
                "--temperature", "0", "--top-logprobs", "3", "--threads", "2", "--json");
        assertEquals(0, run.exitCode(), run.err());
        var json = new ObjectMapper();
        List<JsonNode> lines = run.out().lines().map(l -> {
            try {
                return json.readTree(l);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + l, e);
            }
        }).toList();
        var stats = lines.getLast().get("stats");
        int tokens = stats.get("tokens").asInt();
        assertEquals(tokens + 1, lines.size());
        for (String f : List.of("prompt_tokens", "prompt_ms", "prompt_tps", "tokens", "gen_ms", "gen_tps", "ttft_ms", "stop"))
            assertTrue(stats.has(f), f);
        assertTrue(List.of("eos", "length").contains(stats.get("stop").asText()));
        for (int i = 0; i < tokens; i++) {
            var t = lines.get(i);
            assertEquals(List.of("index", "id", "text", "logprob", "rank", "entropy", "p", "top", "ms"),
                    iterable(t.fieldNames()));
            assertEquals(1.0, t.get("p").asDouble(), "greedy: the chosen token has all the probability");
            assertEquals(i, t.get("index").asInt());
            assertEquals(3, t.get("top").size());
            assertEquals(1, t.get("rank").asInt(), "greedy picks the most likely token");
            assertEquals(t.get("id").asInt(), t.get("top").get(0).get("id").asInt());
            assertEquals(List.of("id", "text", "logprob"), iterable(t.get("top").get(0).fieldNames()));
            assertTrue(t.get("logprob").asDouble() <= 0);
            assertTrue(t.get("entropy").asDouble() >= 0);
        }
    }

    @Test
    void aRunIsRecordedInTheSessionLogWithItsTokens() throws Exception {
        String prompt = "Recorded run " + System.nanoTime();
        var run = CliRun.of("run", "--model", model.toString(), "--prompt", prompt, "--max-tokens", "4",
                "--temperature", "0", "--top-logprobs", "2", "--threads", "1", "--in-process");
        assertEquals(0, run.exitCode(), run.err());
        try (var log = SqliteSessionLog.open(DataFolders.fromEnvironment().database())) {
            var generation = log.recentGenerations(50).stream().filter(g -> g.run().prompt().equals(prompt)).findFirst()
                    .orElseThrow(() -> new AssertionError("the run is not in the session log"));
            assertEquals(GenerationStatus.DONE, generation.status());
            assertEquals("in-process:b4916", generation.run().engine());
            assertTrue(generation.run().sampling().containsKey("temperature"), generation.run().sampling().toString());
            var tokens = log.tokens(generation.id());
            assertEquals(generation.stats().generatedTokens(), tokens.size());
            assertEquals(0, tokens.getFirst().rank(), "greedy picks the most likely token (0-based in the log)");
            assertEquals(2, tokens.getFirst().top().size());
        }
    }

    @Test
    void replayOfASeedlessSampledRunIsIdenticalAndAChangedModelIsCaught() throws Exception {
        var own = FixtureModel.builder().seed(21).write(dir.resolve("replay.gguf"));
        String prompt = "Replay me " + System.nanoTime();
        var run = CliRun.of("run", "--model", own.toString(), "--prompt", prompt, "--max-tokens", "8",
                "--temperature", "1.0", "--threads", "1", "--in-process");
        assertEquals(0, run.exitCode(), run.err());
        long id;
        try (var log = SqliteSessionLog.open(DataFolders.fromEnvironment().database())) {
            id = log.recentGenerations(50).stream().filter(g -> g.run().prompt().equals(prompt)).findFirst().orElseThrow().id();
        }
        var same = CliRun.of("log", "replay", Long.toString(id), "--in-process");
        assertEquals(0, same.exitCode(), same.out() + same.err());
        assertTrue(same.out().startsWith("identical: 8 of 8 tokens"), same.out());

        FixtureModel.builder().seed(22).write(own); // other weights under the recorded path
        var changed = CliRun.of("log", "replay", Long.toString(id), "--in-process");
        assertEquals(1, changed.exitCode(), changed.out() + changed.err());
        assertTrue(changed.out().startsWith("differs"), changed.out());
    }

    @Test
    void noLogLeavesTheSessionLogAlone() throws Exception {
        String prompt = "Unrecorded run " + System.nanoTime();
        var run = CliRun.of("run", "--model", model.toString(), "--prompt", prompt, "--max-tokens", "2",
                "--threads", "1", "--in-process", "--no-log");
        assertEquals(0, run.exitCode(), run.err());
        try (var log = SqliteSessionLog.open(DataFolders.fromEnvironment().database())) {
            assertTrue(log.recentGenerations(50).stream().noneMatch(g -> g.run().prompt().equals(prompt)));
        }
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        var list = new java.util.ArrayList<String>();
        it.forEachRemaining(list::add);
        return list;
    }

    @Test
    void plainRunStreamsTextToStdoutAndASummaryLineToStderr() {
        var run = CliRun.of("run", "--model", model.toString(), "--prompt", "Hello", "--max-tokens", "4", "--seed", "5",
                "--threads", "2");
        assertEquals(0, run.exitCode(), run.err());
        assertFalse(run.out().isBlank());
        assertEquals(1, run.err().strip().lines().count());
        assertTrue(run.err().contains("tok/s") && run.err().contains("stop: "), run.err());
    }

    @Test
    void badInputEndsWithOneLineAndANonZeroExit() throws Exception {
        var text = Files.writeString(dir.resolve("notes.gguf"), "not a model");
        var qwen3 = FixtureModel.builder().width(32).layers(1).architecture("qwen3").write(dir.resolve("q3.gguf"));
        var grammar = Files.writeString(dir.resolve("bad.gbnf"), "root ::= (");
        List<List<String>> cases = List.of(
                List.of("--model", dir.resolve("missing.gguf").toString(), "--prompt", "x"),
                List.of("--model", dir.toString(), "--prompt", "x"),
                List.of("--model", text.toString(), "--prompt", "x"),
                List.of("--model", qwen3.toString(), "--prompt", "x", "--engine", "b4916"),
                List.of("--model", model.toString(), "--prompt", "x", "--temperature", "-1"),
                List.of("--model", model.toString(), "--prompt", "x", "--top-p", "1.5"),
                List.of("--model", model.toString(), "--prompt", "x", "--top-logprobs", "21"),
                List.of("--model", model.toString(), "--prompt", "x", "--grammar", grammar.toString()),
                List.of("--model", model.toString(), "--prompt", "x", "--grammar", "g", "--json-schema", "s"),
                List.of("--model", model.toString(), "--prompt", "x", "--native-lib", text.toString()),
                List.of("--model", model.toString(), "--prompt", "word ".repeat(3000), "--ctx", "64"),
                List.of("--model", model.toString(), "--prompt", "x", "--kv-type", "q5_1", "--flash-attn"),
                List.of("--model", model.toString(), "--prompt", "x", "--kv-type", "q8_0"),
                List.of("--model", model.toString(), "--prompt", "x", "--kv-type", "q4_0", "--flash-attn", "--in-process"),
                List.of("--model", model.toString(), "--prompt", "x", "--batch", "64", "--ubatch", "128"),
                List.of("--model", model.toString(), "--prompt", "x", "--typical-p", "0"),
                List.of("--model", model.toString(), "--prompt", "x", "--repeat-last-n", "-2"));
        for (var args : cases) {
            var all = new java.util.ArrayList<>(List.of("run"));
            all.addAll(args);
            var run = CliRun.of(all.toArray(String[]::new));
            assertTrue(run.exitCode() != 0, "non-zero exit for " + args);
            assertTrue(run.err().startsWith("hearth: "), run.err());
            assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
        }
        assertTrue(CliRun.of("run", "--model", qwen3.toString(), "--prompt", "x", "--engine", "b4916").err()
                .contains("is too old for architecture 'qwen3'"));
    }

    @Test
    void loadAndSamplingFlagsReachTheEngineAndSampledTokensCarryTheirProbability() throws Exception {
        // heads of 32 (width 64, 2 heads): a q8_0 KV cache needs whole blocks of 32 per head
        var wide = FixtureModel.builder().width(64).heads(2).layers(2).seed(11).write(dir.resolve("heads32.gguf"));
        var run = CliRun.of("run", "--model", wide.toString(), "--prompt", "Hello world", "--max-tokens", "4",
                "--threads", "1", "--in-process", "--no-log", "--json", "--flash-attn", "--kv-type", "q8_0",
                "--batch", "64", "--ubatch", "32", "--no-mmap", "--ctx", "128", "--temperature", "1.5", "--top-k", "0",
                "--min-p", "0", "--typical-p", "0.9", "--frequency-penalty", "0.5", "--presence-penalty", "0.25",
                "--repeat-last-n", "-1", "--seed", "7");
        assertEquals(0, run.exitCode(), run.err());
        var json = new ObjectMapper();
        var lines = run.out().lines().toList();
        assertEquals(5, lines.size(), run.out());
        for (var line : lines.subList(0, 4)) {
            double p = json.readTree(line).get("p").asDouble();
            assertTrue(p > 0 && p <= 1, line);
        }
        var help = CliRun.of("run", "--help").out();
        for (var flag : List.of("--flash-attn ", "--kv-type=", "--batch=", "--ubatch=", "--no-mmap ", "--mlock ",
                "--typical-p=", "--frequency-penalty=", "--presence-penalty=", "--repeat-last-n="))
            assertTrue(help.lines().anyMatch(l -> l.strip().startsWith(flag)), "--help documents " + flag);
    }

    @Test
    void benchPrintsPromptAndGenerationSpeedAsJson() throws Exception {
        var run = CliRun.of("bench", "--model", model.toString(), "--prompt-tokens", "16", "--tokens", "4",
                "--repetitions", "1", "--threads", "2", "--baseline", "--json");
        assertEquals(0, run.exitCode(), run.err());
        var o = new ObjectMapper().readTree(run.out());
        assertTrue(o.get("pp_tps").asDouble() > 0);
        assertTrue(o.get("tg_tps").asDouble() > 0);
        assertTrue(o.get("baseline_tg_tps").asDouble() > 0);
        assertTrue(o.get("ratio").asDouble() > 0);
    }
}
