package dev.hearth.ui.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.Engine;
import dev.hearth.storage.GenerationStatus;
import dev.hearth.storage.SessionLog;
import dev.hearth.storage.SqliteSessionLog;
import dev.hearth.ui.InlineUiTasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The History's view model on a real session log (a SQLite file) holding real runs of a fixture model; Replay runs
/// the real llama.cpp in-process. No toolkit: [InlineUiTasks] runs everything on the test's thread.
class HistoryViewModelTest {
    @TempDir static Path dir;
    static SessionLog log;
    static long session;
    static long first;
    static long second;
    static long missing;

    @BeforeAll
    static void record() throws Exception {
        log = SqliteSessionLog.open(dir.resolve("hearth.db"));
        session = log.createSession("Trees", null);
        var model = RecordedRuns.model("history-fixture.gguf", 7);
        first = RecordedRuns.record(log, session, model, "Name some words.", RecordedRuns.sampling(42));
        second = RecordedRuns.record(log, session, model, "Name some words.", RecordedRuns.sampling(43));
        var gone = Files.copy(model, dir.resolve("gone.gguf"));
        missing = RecordedRuns.record(log, null, gone, "Name other words.", RecordedRuns.sampling(44));
        Files.delete(gone);
    }

    @AfterAll
    static void close() {
        log.close();
    }

    private final AtomicInteger enginesStarted = new AtomicInteger();
    private final Supplier<Engine> engines = () -> {
        enginesStarted.incrementAndGet();
        return RecordedRuns.engine();
    };

    private HistoryViewModel vm() {
        var vm = new HistoryViewModel(log, engines, new InlineUiTasks());
        vm.refresh();
        return vm;
    }

    private static HistoryRow row(HistoryViewModel vm, long id) {
        return vm.rows().stream().filter(r -> r.generation().id() == id).findFirst().orElseThrow();
    }

    @Test
    void browsingListsEveryGenerationNewestFirstWithTheFilterChoices() {
        var vm = vm();
        assertEquals(List.of(missing, second, first), vm.rows().stream().map(r -> r.generation().id()).toList());
        assertEquals(List.of("gone.gguf", "history-fixture.gguf"), vm.models());
        assertEquals(1, vm.sessions().size());
        assertEquals("", vm.messageProperty().get());
    }

    @Test
    void theProjectFilterKeepsTheGenerationsOfThatProjectsSessions(@org.junit.jupiter.api.io.TempDir Path other) {
        try (var own = SqliteSessionLog.open(other.resolve("hearth.db"))) {
            long project = own.createProject("hearth", other.toString());
            long inProject = own.createSession("In the project", project);
            long outside = own.createSession("Elsewhere", null);
            var run = dev.hearth.ui.GenerationRecorder.runRecord(other.resolve("m.gguf"), "b4916", "worker",
                    RecordedRuns.LOAD, RecordedRuns.sampling(1), "Q", 1);
            long a = own.startGeneration(inProject, null, run).id().join();
            own.startGeneration(outside, null, run);
            own.flush();
            var vm = new HistoryViewModel(own, engines, new InlineUiTasks());
            vm.refresh();
            assertEquals(2, vm.rows().size());
            assertEquals(List.of("hearth"), vm.projects().stream().map(dev.hearth.storage.Project::name).toList());
            vm.projectProperty().set(vm.projects().getFirst());
            vm.refresh();
            assertEquals(List.of(a), vm.rows().stream().map(r -> r.generation().id()).toList());
        }
    }

    @Test
    void openSessionHandsTheSelectedGenerationsSessionToTheOpener(@org.junit.jupiter.api.io.TempDir Path other) {
        try (var own = SqliteSessionLog.open(other.resolve("hearth.db"))) {
            long project = own.createProject("hearth", other.toString());
            long inProject = own.createSession("In the project", project);
            var run = dev.hearth.ui.GenerationRecorder.runRecord(other.resolve("m.gguf"), "b4916", "worker",
                    RecordedRuns.LOAD, RecordedRuns.sampling(1), "Q", 1);
            long a = own.startGeneration(inProject, null, run).id().join();
            long alone = own.startGeneration(null, null, run).id().join();
            own.flush();
            var vm = new HistoryViewModel(own, engines, new InlineUiTasks());
            var opened = new java.util.ArrayList<dev.hearth.storage.Session>();
            vm.openSessionsWith(opened::add);
            vm.refresh();

            vm.select(List.of(row(vm, a)));
            vm.openSession();
            assertEquals(List.of(inProject), opened.stream().map(dev.hearth.storage.Session::id).toList());
            assertEquals(project, opened.getFirst().projectId(), "the opener sees the session's project");

            vm.select(List.of(row(vm, alone)));
            vm.openSession();
            assertEquals(1, opened.size());
            assertTrue(vm.messageProperty().get().contains("no session"), vm.messageProperty().get());

            own.deleteSession(inProject);
            vm.select(List.of(row(vm, a)));
            vm.openSession();
            assertEquals(1, opened.size(), "a session in the bin is not opened");
            assertTrue(vm.messageProperty().get().contains("in the bin"), vm.messageProperty().get());
        }
    }

    @Test
    void theOldestOfManySessionsCanBeChosenAsAFilter(@org.junit.jupiter.api.io.TempDir Path other) {
        try (var own = SqliteSessionLog.open(other.resolve("hearth.db"))) {
            long oldest = own.createSession("Years ago", null);
            var run = dev.hearth.ui.GenerationRecorder.runRecord(other.resolve("m.gguf"), "b4916", "worker",
                    RecordedRuns.LOAD, RecordedRuns.sampling(1), "Q", 1);
            long g = own.startGeneration(oldest, null, run).id().join();
            for (int i = 0; i < 510; i++) own.createSession("Chat " + i, null);
            own.startGeneration(null, null, run);
            own.flush();
            var vm = new HistoryViewModel(own, engines, new InlineUiTasks());
            vm.refresh();
            assertEquals(511, vm.sessions().size(), "more sessions than the choices once held (500)");
            var choice = vm.sessions().getLast();
            assertEquals(oldest, choice.id());
            vm.sessionProperty().set(choice);
            vm.refresh();
            assertEquals(List.of(g), vm.rows().stream().map(r -> r.generation().id()).toList());
        }
    }

    @Test
    void filtersNarrowTheTableInSql() {
        var vm = vm();
        vm.modelProperty().set("gone.gguf");
        vm.refresh();
        assertEquals(List.of(missing), vm.rows().stream().map(r -> r.generation().id()).toList());
        vm.modelProperty().set(null);
        vm.sessionProperty().set(vm.sessions().getFirst());
        vm.refresh();
        assertEquals(List.of(second, first), vm.rows().stream().map(r -> r.generation().id()).toList());
        vm.statusProperty().set(GenerationStatus.FAILED);
        vm.refresh();
        assertTrue(vm.rows().isEmpty());
        assertEquals("No generation matches.", vm.messageProperty().get());
        vm.clearFilters();
        vm.minTokensPerSecondProperty().set(1e9);
        vm.refresh();
        assertTrue(vm.rows().isEmpty(), "nothing runs at a billion tokens per second");
        vm.minTokensPerSecondProperty().set(null);
        vm.maxTokensPerSecondProperty().set(1e9);
        vm.refresh();
        assertEquals(3, vm.rows().size());
    }

    @Test
    void searchFindsAGenerationByAWordOfItsAnswerAndMarksTheMatch() {
        var vm = vm();
        var answer = row(vm, first).generation().output();
        var word = answer.strip().split(" ")[0];
        vm.searchTextProperty().set(word);
        vm.refresh();
        assertTrue(vm.rows().stream().anyMatch(r -> r.generation().id() == first), vm.rows().toString());
        var hit = row(vm, first);
        assertTrue(hit.excerpt().stream().anyMatch(s -> s.match() && s.text().equals(word)), hit.excerpt().toString());
        assertTrue(vm.rows().stream().allMatch(r -> r.generation().output().contains(word)
                || r.generation().run().prompt().contains(word)));
    }

    @Test
    void aSearchWithoutWordsSaysSo() {
        var vm = vm();
        vm.searchTextProperty().set("\"\"");
        vm.refresh();
        assertTrue(vm.rows().isEmpty());
        assertEquals("Type a word to search for.", vm.messageProperty().get());
    }

    @Test
    void selectingAGenerationShowsItsTokens() {
        var vm = vm();
        vm.select(List.of(row(vm, first)));
        var detail = vm.detailProperty().get();
        assertNotNull(detail);
        assertEquals(first, detail.generation().id());
        assertEquals(detail.generation().tokenCount(), detail.tokens().size());
        assertFalse(detail.tokens().isEmpty());
        vm.select(List.of());
        assertEquals(null, vm.detailProperty().get());
    }

    @Test
    void replayOfASeededRunIsIdenticalInAFreshEngine() {
        var vm = vm();
        vm.select(List.of(row(vm, first)));
        vm.replay();
        int n = vm.detailProperty().get().tokens().size();
        assertEquals(HistoryViewModel.ReplayState.IDENTICAL, vm.replayStateProperty().get(), vm.replayMessageProperty().get());
        assertEquals("identical: " + n + " of " + n + " tokens", vm.replayMessageProperty().get());
        assertEquals(1.0, vm.replayProgressProperty().get());
        assertEquals(1, enginesStarted.get());
    }

    @Test
    void cancellingAReplayWhileItGeneratesStopsItWithoutAVerdict() {
        var vm = vm();
        vm.select(List.of(row(vm, second)));
        vm.replayProgressProperty().addListener((_, _, p) -> {
            if (p.doubleValue() > 0.5) vm.cancelReplay();
        });
        vm.replay();
        assertEquals(HistoryViewModel.ReplayState.IDLE, vm.replayStateProperty().get());
        assertEquals("Replay cancelled.", vm.replayMessageProperty().get());
        assertEquals(1, enginesStarted.get());
    }

    @Test
    void aMissingModelFileIsAMessageAndNoEngineStarts() {
        var vm = vm();
        vm.select(List.of(row(vm, missing)));
        vm.replay();
        assertEquals(HistoryViewModel.ReplayState.FAILED, vm.replayStateProperty().get());
        assertTrue(vm.replayMessageProperty().get().contains("is not there any more"), vm.replayMessageProperty().get());
        assertEquals(0, enginesStarted.get());
    }

    @Test
    void compareDiffsTheTwoSelectedOutputsAndListsTheSeedDifference() {
        var vm = vm();
        vm.select(List.of(row(vm, first)));
        vm.compare();
        assertEquals(null, vm.comparisonProperty().get());
        assertTrue(vm.compareMessageProperty().get().startsWith("Select two generations"));

        vm.select(List.of(row(vm, second), row(vm, first)));
        vm.compare();
        var c = vm.comparisonProperty().get();
        assertNotNull(c);
        assertEquals(first, c.left().id(), "the older generation comes first");
        var left = new StringBuilder();
        var right = new StringBuilder();
        for (var p : c.words()) {
            if (p.change() != Comparison.Change.INSERT) left.append(p.text());
            if (p.change() != Comparison.Change.DELETE) right.append(p.text());
        }
        assertEquals(c.left().output(), left.toString());
        assertEquals(c.right().output(), right.toString());
        var seed = c.rows().stream().filter(r -> r.field().equals("seed")).findFirst().orElseThrow();
        assertEquals(new Comparison.Row("seed", "42", "43"), seed);
        assertTrue(seed.differs());
        assertFalse(c.rows().stream().filter(r -> r.field().equals("model")).findFirst().orElseThrow().differs());
    }

    @Test
    void exportWritesTheSelectionOrTheSessionAndReportsABadPath() throws Exception {
        var vm = vm();
        vm.select(List.of(row(vm, first)));
        var jsonl = dir.resolve("selection.jsonl");
        vm.export(jsonl, HistoryViewModel.ExportFormat.JSONL, false);
        assertEquals(1, Files.readAllLines(jsonl).size());
        assertEquals("Exported 1 generation to " + jsonl + ".", vm.exportMessageProperty().get());

        var md = dir.resolve("session.md");
        vm.export(md, HistoryViewModel.ExportFormat.MARKDOWN, true);
        assertTrue(Files.readString(md).contains("Trees"));
        assertEquals("Exported 2 generations to " + md + ".", vm.exportMessageProperty().get());

        var bad = dir.resolve("no-such-folder").resolve("x.md");
        vm.export(bad, HistoryViewModel.ExportFormat.MARKDOWN, false);
        assertEquals("Cannot write " + bad + ": its folder does not exist.", vm.exportMessageProperty().get());

        vm.select(List.of(row(vm, missing)));
        vm.export(md, HistoryViewModel.ExportFormat.MARKDOWN, true);
        assertTrue(vm.exportMessageProperty().get().contains("is not part of a session"));
    }
}
