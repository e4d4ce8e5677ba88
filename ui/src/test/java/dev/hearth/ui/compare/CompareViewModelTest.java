package dev.hearth.ui.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.Engine;
import dev.hearth.inference.EngineLog;
import dev.hearth.inference.Engines;
import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.NativeLibrary;
import dev.hearth.inference.Sampling;
import dev.hearth.inference.chat.BuiltinChatFormatter;
import dev.hearth.inference.gguf.FixtureModel;
import dev.hearth.storage.SessionLog;
import dev.hearth.storage.SqliteSessionLog;
import dev.hearth.ui.InlineUiTasks;
import dev.hearth.ui.engine.LoadEstimator;
import dev.hearth.ui.engine.LoadRequest;
import dev.hearth.ui.engine.Machine;
import dev.hearth.inference.library.FitEstimate;
import dev.hearth.storage.Continuation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The Compare section's view model without a toolkit: real fixture models in the real llama.cpp (in-process engines
/// from a counting factory), a real SQLite session log, [InlineUiTasks].
class CompareViewModelTest {
    private static final LoadOptions LOAD = LoadOptions.DEFAULT.withThreads(1).withContextSize(256);
    private static final Sampling SEEDED = Sampling.DEFAULT.withTemperature(1.0).withSeed(42).withMaxTokens(8);
    private static final Sampling GREEDY = Sampling.GREEDY.withMaxTokens(8);

    @TempDir Path dir;

    private final List<Engine> made = new ArrayList<>();
    private SessionLog log;
    private CompareViewModel vm;

    static Path home() {
        return Path.of(System.getenv().getOrDefault("HEARTH_HOME", "target/test-hearth-home")).toAbsolutePath();
    }

    static Path model(String fileName, long seed) throws IOException {
        var file = Files.createDirectories(home().resolve("models")).resolve(fileName);
        return FixtureModel.builder().name("Compare fixture").width(64).layers(2).contextLength(256).seed(seed)
                .write(file);
    }

    @BeforeEach
    void setUp() {
        log = SqliteSessionLog.open(dir.resolve("hearth.db"));
        vm = newViewModel();
    }

    private CompareViewModel newViewModel() {
        return new CompareViewModel(this::engine, log, BuiltinChatFormatter.NONE, new InlineUiTasks(), 2);
    }

    private Engine engine() {
        var e = Engines.inProcess(NativeLibrary.bundled(home().resolve("cache")), EngineLog.SYSTEM_LOGGER);
        made.add(e);
        return e;
    }

    /// A view model on a machine with `freeRam` bytes free and no GPU.
    private CompareViewModel onMachineWith(long freeRam) {
        var machine = new Machine(freeRam, List.of(), Machine.GpuOffload.NOT_SUPPORTED, true, true, 2);
        return new CompareViewModel(this::engine, log, BuiltinChatFormatter.NONE, new InlineUiTasks(), 2, () -> machine,
                LoadEstimator.READING_FILES);
    }

    @AfterEach
    void tearDown() {
        vm.close();
        made.forEach(Engine::close);
        log.close();
    }

    private static CompareVariant variant(String label, Path model, Sampling sampling) {
        return new CompareVariant(label, new LoadRequest(model, LOAD), sampling, "");
    }

    private List<String> texts(CompareViewModel.Column c) {
        return c.cells().stream().map(CompareCell::text).toList();
    }

    @Test
    void greedyAndSeededVariantsOfOneModelShareAnEngineAndReproduceExactlyWhenRunAgain() throws IOException {
        var a = model("compare-a.gguf", 11);
        vm.promptProperty().set("Write about {{thing}}.");
        vm.valuesProperty().set("rivers\nstones");
        vm.variants().setAll(variant("greedy", a, GREEDY), variant("seeded", a, SEEDED));
        vm.run();

        assertEquals(CompareViewModel.State.IDLE, vm.stateProperty().get());
        assertEquals(1, made.size(), "variants with the same model and load options share one engine");
        var first = vm.columns().stream().map(this::texts).toList();
        for (var c : vm.columns()) {
            for (var cell : c.cells()) {
                assertEquals(CompareCell.State.DONE, cell.state());
                assertFalse(cell.text().isEmpty());
                assertEquals(8, cell.figures().tokens());
                assertEquals("length", cell.figures().stopReason());
            }
        }
        vm.rerun(vm.columns().get(0));
        vm.rerun(vm.columns().get(1));
        assertEquals(first, vm.columns().stream().map(this::texts).toList());
        assertNotEquals(first.get(0), first.get(1), "greedy and seeded sampling write different answers");
    }

    @Test
    void eachRowOfValuesIsFilledIntoThePromptAndRecordedWithItsVariant() throws IOException {
        var a = model("compare-a.gguf", 11);
        vm.promptProperty().set("Describe {{thing}} in {{season}}.");
        vm.valuesProperty().set("a river | winter\n\na garden | spring\n");
        vm.variants().setAll(variant("one", a, GREEDY));
        vm.run();

        var column = vm.columns().getFirst();
        assertEquals(2, column.cells().size());
        var g0 = log.generation(column.cells().get(0).generationId()).orElseThrow();
        var g1 = log.generation(column.cells().get(1).generationId()).orElseThrow();
        assertTrue(g0.run().prompt().contains("Describe a river in winter."), g0.run().prompt());
        assertTrue(g1.run().prompt().contains("Describe a garden in spring."), g1.run().prompt());
        assertEquals(column.variantId(), g0.variantId());
        assertEquals(column.cells().get(0).text(), g0.output());
    }

    @Test
    void aRowWithTheWrongNumberOfValuesStopsTheRunWithAClearNotice() throws IOException {
        vm.promptProperty().set("Describe {{thing}} in {{season}}.");
        vm.valuesProperty().set("a river");
        vm.variants().setAll(variant("one", model("compare-a.gguf", 11), GREEDY));
        vm.run();
        assertTrue(vm.columns().isEmpty());
        assertEquals("Cannot run: line 1 has 1 value; the prompt has 2 variables (thing, season).",
                vm.noticeProperty().get());
        assertThrows(IllegalArgumentException.class, () -> new PromptTemplate("{{x}}").fill(Map.of()));
    }

    @Test
    void oneModelOnTwoEnginesGetsAnEnginePerEngineAndEachRunRecordNamesItsEngine() throws IOException {
        var a = model("compare-a.gguf", 11);
        var asked = new ArrayList<String>();
        vm = new CompareViewModel(request -> {
            asked.add(String.valueOf(request.engine())); // the app starts a worker for this engine
            return engine();
        }, log, BuiltinChatFormatter.NONE, new InlineUiTasks(), 2, Machine::withoutEngine, LoadEstimator.READING_FILES);
        vm.promptProperty().set("Hello");
        vm.variants().setAll(new CompareVariant("old", new LoadRequest(a, LOAD, "b4916"), GREEDY, ""),
                new CompareVariant("new", new LoadRequest(a, LOAD, "current"), GREEDY, ""));
        vm.run();

        assertEquals(List.of("b4916", "current"), asked, "the same model and options on two engines share no engine");
        assertEquals(2, made.size());
        var engines = vm.columns().stream().map(c -> log.generation(java.util.Objects.requireNonNull(
                c.cells().getFirst().generationId())).orElseThrow().run().engine()).toList();
        assertEquals(List.of("worker:b4916", "worker:current"), engines);
        var csv = vm.csv().split("\r\n");
        assertTrue(csv[1].startsWith("old,compare-a.gguf,b4916,") && csv[2].startsWith("new,compare-a.gguf,current,"),
                String.join("\n", csv));
        assertTrue(vm.markdown().contains("- **new**: compare-a.gguf on engine current,"), vm.markdown());
    }

    @Test
    void cancellingOneColumnLeavesTheOtherColumnRunningToItsEnd() throws IOException {
        vm.promptProperty().set("Write about {{thing}}.");
        vm.valuesProperty().set("rivers\nstones");
        vm.schedulingProperty().set(ExperimentPlan.Scheduling.CONCURRENT);
        vm.variants().setAll(variant("a", model("compare-a.gguf", 11), SEEDED.withMaxTokens(24)),
                variant("b", model("compare-b.gguf", 12), SEEDED.withMaxTokens(24)));
        vm.columns().addListener((javafx.collections.ListChangeListener<CompareViewModel.Column>) change -> {
            while (change.next()) {
                for (var c : change.getAddedSubList()) {
                    if (c.index() == 0) c.cells().getFirst().onTokens(_ -> vm.cancel(c));
                }
            }
        });
        vm.run();

        var cancelled = vm.columns().get(0);
        assertEquals(CompareCell.State.STOPPED, cancelled.cells().get(0).state());
        assertTrue(cancelled.cells().get(0).figures().tokens() < 24, "the running output stopped early");
        assertEquals("cancelled", cancelled.cells().get(0).figures().stopReason());
        assertEquals(CompareCell.State.STOPPED, cancelled.cells().get(1).state(), "its waiting output is skipped");
        for (var cell : vm.columns().get(1).cells()) {
            assertEquals(CompareCell.State.DONE, cell.state());
            assertEquals(24, cell.figures().tokens());
        }
        assertEquals(2, made.size(), "two models, two engines");
        assertEquals(2, vm.loadedEngines(), "concurrent runs keep their engines for re-runs");
        assertEquals(CompareViewModel.State.IDLE, vm.stateProperty().get());
    }

    @Test
    void oneAfterAnotherFreesEachModelsEngineBeforeTheNextModelRuns() throws IOException {
        vm.promptProperty().set("Hello");
        vm.variants().setAll(variant("a", model("compare-a.gguf", 11), GREEDY),
                variant("b", model("compare-b.gguf", 12), GREEDY));
        vm.run();
        assertEquals(2, made.size());
        assertEquals(0, vm.loadedEngines());
        assertNotEquals(vm.columns().get(0).cells().getFirst().text(), vm.columns().get(1).cells().getFirst().text(),
                "two different models answer differently");
        assertEquals(CompareCell.State.DONE, vm.columns().get(1).cells().getFirst().state());
    }

    @Test
    void repeatsUseSeedPlusOneAndTheSummaryShowsTheirSpread() throws IOException {
        vm.promptProperty().set("Hello");
        vm.repeatsProperty().set(3);
        vm.variants().setAll(variant("seeded", model("compare-a.gguf", 11), SEEDED));
        vm.run();

        var cells = vm.columns().getFirst().cells();
        assertEquals(3, cells.size());
        for (int k = 0; k < 3; k++) {
            assertEquals(42 + k, log.generation(cells.get(k).generationId()).orElseThrow().run().seed());
        }
        var s = vm.summary().getFirst();
        assertEquals(3, s.outputs());
        assertEquals(8.0, s.meanTokens());
        assertTrue(s.tokensPerSecondMin() <= s.tokensPerSecondMedian() && s.tokensPerSecondMedian() <= s.tokensPerSecondMax());
        double sum = 0;
        int n = 0;
        for (var c : cells) {
            for (var t : log.tokens(c.generationId())) {
                sum += t.logprob();
                n++;
            }
        }
        assertEquals(sum / n, s.meanLogprob(), 1e-9);
        assertEquals(Math.exp(-sum / n), s.perplexity(), 1e-9);
        assertTrue(s.meanLogprob() < 0);
    }

    @Test
    void anExperimentRoundTripsThroughTheSessionLogWithItsOutputsAndRatings() throws IOException {
        var a = model("compare-a.gguf", 11);
        vm.nameProperty().set("Rivers and stones");
        vm.promptProperty().set("Write about {{thing}}.");
        vm.valuesProperty().set("rivers\nstones");
        vm.variants().setAll(variant("greedy", a, GREEDY),
                new CompareVariant("seeded", new LoadRequest(a, LOAD), SEEDED, "Answer briefly."));
        vm.run();
        var cell = vm.cell(1, 1, 0);
        vm.rate(cell, 1);
        vm.note(cell, "the best of the four");
        assertEquals(1, cell.ratingProperty().get());
        long id = vm.experimentIdProperty().get();

        var reopened = newViewModel();
        try {
            reopened.refreshSaved();
            assertEquals(id, reopened.saved().getFirst().id(), "the saved experiments list it, newest first");
            reopened.open(reopened.saved().getFirst().id());
            assertEquals("Rivers and stones", reopened.nameProperty().get());
            assertEquals("Write about {{thing}}.", reopened.promptProperty().get());
            assertEquals(List.copyOf(vm.variants()), List.copyOf(reopened.variants()));
            assertEquals(vm.columns().stream().map(this::texts).toList(),
                    reopened.columns().stream().map(this::texts).toList());
            var again = reopened.cell(1, 1, 0);
            assertEquals(1, again.ratingProperty().get());
            assertEquals("the best of the four", again.noteProperty().get());
            assertEquals(cell.statsLineProperty().get(), again.statsLineProperty().get().replace("stop: ", "stop: "));
            assertEquals(cell.tokens(), again.tokens());
            assertEquals(vm.summary().getFirst().meanLogprob(), reopened.summary().getFirst().meanLogprob(), 1e-6);
            assertTrue(reopened.diff(0, 1, 0, 0).size() > 0);
        } finally {
            reopened.close();
        }
    }

    @Test
    void theExportsHoldEveryOutputAndOneSummaryLinePerVariant() throws IOException {
        var a = model("compare-a.gguf", 11);
        vm.promptProperty().set("Hello");
        vm.variants().setAll(variant("greedy", a, GREEDY), variant("seeded, hot", a, SEEDED));
        vm.run();
        var md = vm.markdown();
        for (var c : vm.columns()) assertTrue(md.contains(c.cells().getFirst().text()));
        assertTrue(md.contains("| greedy | 1 | 8.0 |"), md);
        var lines = vm.csv().split("\r\n");
        assertEquals(3, lines.length);
        assertTrue(lines[0].startsWith("variant,model,engine,outputs,"));
        assertTrue(lines[2].startsWith("\"seeded, hot\",compare-a.gguf,,1,8.00,"), lines[2]);
        assertNotNull(vm.experimentIdProperty().get());

        var jsonl = vm.jsonl().lines().map(line -> {
            try {
                return new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
            } catch (IOException e) {
                throw new AssertionError(line, e);
            }
        }).toList();
        assertEquals(4, jsonl.size(), "two outputs, two summaries");
        var output = jsonl.get(1);
        assertEquals("seeded, hot", output.get("variant").asText());
        assertEquals(vm.columns().get(1).cells().getFirst().text(), output.get("output").asText());
        assertEquals(8, output.get("tokens").size());
        assertEquals(vm.columns().get(1).cells().getFirst().tokens().getFirst().logprob(),
                (float) output.get("tokens").get(0).get("logprob").asDouble(), 1e-6);
        assertEquals("summary", jsonl.get(3).get("type").asText());
    }

    @Test
    void twoModelsThatDoNotFitTogetherAreNotLoadedUntilTheUserChoosesOneAfterAnother() throws IOException {
        var a = model("compare-a.gguf", 11);
        var b = model("compare-b.gguf", 12);
        long one = LoadEstimator.READING_FILES.estimate(new LoadRequest(a, LOAD)).totalBytes();
        assertTrue(one > FitEstimate.DEFAULT_OVERHEAD, "the estimate counts weights, KV cache and compute buffers");
        vm.close();
        vm = onMachineWith(one + one / 2); // room for one model, not for two
        vm.promptProperty().set("Hello");
        vm.schedulingProperty().set(ExperimentPlan.Scheduling.CONCURRENT);
        vm.variants().setAll(variant("a", a, GREEDY), variant("b", b, GREEDY));
        vm.run();

        var problem = vm.memoryProblemProperty().get();
        assertNotNull(problem, "the plan is refused before anything loads");
        assertTrue(problem.sentence().startsWith("Loaded together, compare-a.gguf, compare-b.gguf need "), problem.sentence());
        assertTrue(problem.oneAfterAnotherFits());
        assertEquals(0, made.size(), "no engine was started");
        assertTrue(vm.columns().isEmpty());
        assertTrue(log.experiments(10).isEmpty(), "nothing was stored");
        assertEquals(CompareViewModel.State.IDLE, vm.stateProperty().get());

        vm.runOneAfterAnother();
        assertEquals(null, vm.memoryProblemProperty().get());
        assertEquals(ExperimentPlan.Scheduling.ONE_AFTER_ANOTHER, vm.schedulingProperty().get());
        assertEquals(2, made.size());
        for (var c : vm.columns()) assertEquals(CompareCell.State.DONE, c.cells().getFirst().state());
    }

    @Test
    void aModelLargerThanTheFreeMemoryIsNotLoadedEvenAlone() throws IOException {
        vm.close();
        vm = onMachineWith(64L << 20);
        vm.promptProperty().set("Hello");
        vm.variants().setAll(variant("a", model("compare-a.gguf", 11), GREEDY));
        vm.run();
        var problem = vm.memoryProblemProperty().get();
        assertNotNull(problem);
        assertFalse(problem.oneAfterAnotherFits());
        assertTrue(problem.sentence().startsWith("compare-a.gguf needs "), problem.sentence());
        assertTrue(problem.sentence().endsWith("64.0 MiB is free: it cannot be loaded."), problem.sentence());
        assertEquals(0, made.size());
        vm.dismissMemoryProblem();
        assertEquals(null, vm.memoryProblemProperty().get());
    }

    @Test
    void anEditedExperimentStaysTheSameExperimentWithEachRevisionViewableAndADuplicateIsANewOne() throws IOException {
        var a = model("compare-a.gguf", 11);
        vm.nameProperty().set("Edits");
        vm.promptProperty().set("Write about rivers.");
        vm.variants().setAll(variant("greedy", a, GREEDY));
        vm.run();
        long id = vm.experimentIdProperty().get();
        var firstText = vm.cell(0, 0, 0).text();

        vm.promptProperty().set("Write about {{thing}}.");
        vm.valuesProperty().set("stones");
        vm.rerun(vm.columns().getFirst()); // edited but not run: the column re-runs the setup it was made with
        assertTrue(log.generation(vm.cell(0, 0, 0).generationId()).orElseThrow().run().prompt()
                .contains("Write about rivers."));
        assertEquals(1, vm.revisionProperty().get());
        vm.nameProperty().set("Edits, renamed");
        vm.run();
        assertEquals(id, vm.experimentIdProperty().get(), "the edit is run in the same experiment");
        assertEquals(List.of(1, 2), List.copyOf(vm.revisions()));
        assertEquals(2, vm.revisionProperty().get());
        vm.run(); // unchanged: more generations in revision 2
        assertEquals(2, vm.revisionProperty().get());

        var stored = log.experiment(id).orElseThrow();
        assertEquals("Edits, renamed", stored.name());
        assertEquals(2, stored.variants(1).getFirst().generationIds().size());
        assertEquals(2, stored.variants(2).getFirst().generationIds().size());
        assertEquals("Write about rivers.", stored.variants(1).getFirst().settings().get("prompt"));

        var reopened = newViewModel();
        try {
            reopened.open(id);
            assertEquals("Write about {{thing}}.", reopened.promptProperty().get());
            assertEquals(2, reopened.revisionProperty().get());
            assertEquals(vm.cell(0, 0, 0).text(), reopened.cell(0, 0, 0).text());
            reopened.openRevision(1);
            assertEquals(1, reopened.revisionProperty().get());
            assertEquals("Write about rivers.", reopened.promptProperty().get());
            assertEquals(firstText, reopened.cell(0, 0, 0).text(), "the earlier run is kept as it was");

            reopened.duplicate();
            long copy = reopened.experimentIdProperty().get();
            assertNotEquals(id, copy);
            assertEquals("Edits, renamed (copy)", reopened.nameProperty().get());
            var duplicate = log.experiment(copy).orElseThrow();
            assertEquals(1, duplicate.latestRevision());
            assertEquals(stored.variants(1).getFirst().settings(), duplicate.variants(1).getFirst().settings());
            assertTrue(duplicate.variants(1).getFirst().generationIds().isEmpty(), "a duplicate has no outputs yet");
            reopened.run();
            assertEquals(copy, reopened.experimentIdProperty().get());
            assertEquals(firstText, reopened.cell(0, 0, 0).text(), "greedy: the duplicate answers as the original did");
            assertEquals(2, log.experiment(id).orElseThrow().variants(1).getFirst().generationIds().size(),
                    "the original is untouched");
        } finally {
            reopened.close();
        }
    }

    @Test
    void continuingFromAnotherTokenInAColumnIsShownUnderTheOutputAndRecordedWithTheExperiment() throws IOException {
        var a = model("compare-a.gguf", 11);
        vm.promptProperty().set("Hello");
        vm.variants().setAll(variant("greedy", a, GREEDY.withTopLogprobs(3)));
        vm.run();
        var cell = vm.cell(0, 0, 0);
        var tokens = cell.tokens();
        var alternative = tokens.get(2).top().get(1);
        assertNotEquals(tokens.get(2).id(), alternative.id());

        vm.continueWith(cell, 2, alternative);
        assertEquals(1, cell.continuations().size());
        var k = cell.continuations().getFirst();
        assertEquals(CompareCell.State.DONE, k.state());
        assertEquals(tokens.subList(0, 2).stream().map(t -> t.id()).toList(),
                k.tokens().subList(0, 2).stream().map(t -> t.id()).toList(), "the tokens before it are kept");
        assertEquals(alternative.id(), k.tokens().get(2).id());
        assertEquals(2 + 1 + 8, k.tokens().size(), "then the model goes on for its max tokens");
        assertTrue(k.text().startsWith(tokens.get(0).piece() + tokens.get(1).piece() + alternative.text()), k.text());

        var g = log.generation(k.generationId()).orElseThrow();
        assertEquals(vm.columns().getFirst().variantId(), g.variantId(), "recorded with the variant");
        assertEquals(List.of(new Continuation(k.generationId(), cell.generationId(), 2)),
                log.continuations(List.of(cell.generationId(), k.generationId())));
        assertEquals(1, vm.summary().getFirst().outputs(), "a continuation is not one of the variant's own outputs");

        var reopened = newViewModel();
        try {
            reopened.open(vm.experimentIdProperty().get());
            var again = reopened.cell(0, 0, 0);
            assertEquals(cell.text(), again.text());
            assertEquals(1, again.continuations().size());
            assertEquals(k.text(), again.continuations().getFirst().text());
            assertEquals(alternative.text(), again.continuations().getFirst().continuedFrom().token());
        } finally {
            reopened.close();
        }
    }
}
