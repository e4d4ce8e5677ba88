package dev.hearth.ui.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.chat.BuiltinChatFormatter;
import dev.hearth.storage.GenerationStatus;
import dev.hearth.storage.Message;
import dev.hearth.storage.SessionLog;
import dev.hearth.storage.SqliteSessionLog;
import dev.hearth.storage.TopToken;
import dev.hearth.ui.InlineUiTasks;
import dev.hearth.ui.engine.LoadRequest;
import dev.hearth.ui.engine.LoadedModel;
import dev.hearth.ui.engine.LoadedModels;
import dev.hearth.ui.engine.ScriptedEngine;
import dev.hearth.ui.inspector.PromptBreakdown;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The chat's view model without a toolkit: a scripted engine (one character per token), a real SQLite session log.
class ChatViewModelTest {
    @TempDir Path dir;

    private final List<ScriptedEngine> engines = new ArrayList<>();
    private SessionLog log;
    private LoadedModels models;
    private ChatViewModel vm;

    @BeforeEach
    void setUp() {
        log = SqliteSessionLog.open(dir.resolve("hearth.db"));
        models = new LoadedModels(() -> {
            var e = new ScriptedEngine();
            engines.add(e);
            return e;
        }, new InlineUiTasks());
        models.load(new LoadRequest(dir.resolve("tiny.gguf"), LoadOptions.DEFAULT));
        vm = newViewModel();
    }

    @AfterEach
    void tearDown() {
        models.close();
        log.close();
    }

    private ChatViewModel newViewModel() {
        return new ChatViewModel(models, log, BuiltinChatFormatter.NONE,
                SystemPromptPresets.open(dir.resolve("system-prompts.json")), new InlineUiTasks());
    }

    private ScriptedEngine engine() {
        return engines.getLast();
    }

    private void send(String text) {
        vm.draftProperty().set(text);
        vm.send();
    }

    private List<String> shown() {
        return vm.messages().stream().map(MessageItem::text).toList();
    }

    @Test
    void aSentMessageStreamsItsAnswerAndBothAreStoredWithTheGeneration() {
        engine().answers.add("Hello");
        send("Hi there");

        assertEquals(List.of("Hi there", "Hello"), shown());
        var answer = vm.messages().getLast();
        assertEquals(MessageItem.State.DONE, answer.state());
        assertTrue(answer.statsProperty().get().startsWith("5 tokens"), answer.statsProperty().get());
        assertTrue(answer.statsProperty().get().contains("stop: eos"), answer.statsProperty().get());
        assertEquals(5, answer.tokens().size());
        assertEquals("", vm.draftProperty().get());
        assertEquals(ChatViewModel.State.IDLE, vm.stateProperty().get());
        assertEquals(LoadedModel.State.READY, models.activeProperty().get().state());

        log.flush();
        var session = log.sessions(10).getFirst();
        assertEquals("Hi there", session.title());
        var stored = log.messages(session.id());
        assertEquals(List.of(Message.Role.USER, Message.Role.ASSISTANT), stored.stream().map(Message::role).toList());
        assertEquals(stored.get(0).id(), stored.get(1).parentId());
        var generation = log.generation(stored.get(1).generationId()).orElseThrow();
        assertEquals(GenerationStatus.DONE, generation.status());
        assertTrue(generation.run().prompt().contains("<|im_start|>user\nHi there<|im_end|>"), generation.run().prompt());
        var tokens = log.tokens(generation.id());
        assertEquals("Hello", tokens.stream().map(t -> t.piece()).reduce("", String::concat));
        assertEquals(0, tokens.getFirst().rank(), "the engine's 1-based rank is stored 0-based");
        assertEquals(3, tokens.getFirst().top().size());
    }

    @Test
    void theSecondTurnSendsTheWholeConversationWithTheSystemPrompt() {
        vm.systemPromptProperty().set("Be brief.");
        engine().answers.addAll(List.of("One", "Two"));
        send("first");
        send("second");
        var prompt = engine().prompts.getLast();
        assertTrue(prompt.startsWith("<|im_start|>system\nBe brief.<|im_end|>"), prompt);
        assertTrue(prompt.contains("first<|im_end|>\n<|im_start|>assistant\nOne<|im_end|>\n<|im_start|>user\nsecond"), prompt);
        assertEquals(List.of("first", "One", "second", "Two"), shown());
    }

    @Test
    void regenerateAddsASiblingAnswerAndTheArrowsSwitchBetweenThem() {
        engine().answers.addAll(List.of("Old", "New"));
        send("Q");
        vm.regenerate(vm.messages().getLast());

        assertEquals(List.of("Q", "New"), shown());
        var answer = vm.messages().getLast();
        assertEquals(1, answer.siblingIndexProperty().get());
        assertEquals(2, answer.siblingCountProperty().get());

        vm.showSibling(answer, -1);
        assertEquals(List.of("Q", "Old"), shown());
        assertEquals(0, vm.messages().getLast().siblingIndexProperty().get());

        var stored = log.messages(vm.sessionProperty().get().id());
        var answers = stored.stream().filter(m -> m.role() == Message.Role.ASSISTANT).toList();
        assertEquals(List.of("Old", "New"), answers.stream().map(Message::content).toList());
        assertEquals(answers.get(0).parentId(), answers.get(1).parentId(), "both answers answer the same message");
    }

    @Test
    void editAndResendKeepsTheOriginalQuestionAsASibling() {
        engine().answers.addAll(List.of("A1", "A2"));
        send("original");
        vm.editAndResend(vm.messages().getFirst(), "edited");

        assertEquals(List.of("edited", "A2"), shown());
        assertEquals(2, vm.messages().getFirst().siblingCountProperty().get());
        vm.showSibling(vm.messages().getFirst(), -1);
        assertEquals(List.of("original", "A1"), shown());
        assertEquals(4, log.messages(vm.sessionProperty().get().id()).size());
    }

    @Test
    void stopKeepsThePartialAnswerMarkedStoppedAndTheGenerationCancelled() {
        engine().answers.add("Hello world");
        engine().cancelAfterTokens = 3;
        send("Hi");

        var answer = vm.messages().getLast();
        assertEquals("Hel", answer.text());
        assertEquals(MessageItem.State.STOPPED, answer.state());
        assertTrue(answer.statsProperty().get().contains("stop: cancelled"));
        assertEquals(GenerationStatus.CANCELLED, log.generation(answer.generationId()).orElseThrow().status());
    }

    @Test
    void aCrashedEngineShowsTheErrorInPlaceKeepsThePartialAnswerAndReloadStartsAFreshEngine() {
        engine().answers.add("Hello world");
        engine().crashAfterTokens = 4;
        send("Hi");

        var answer = vm.messages().getLast();
        assertEquals(List.of("Hi", "Hell"), shown());
        assertEquals(MessageItem.State.FAILED, answer.state());
        assertTrue(answer.engineStoppedProperty().get());
        assertEquals("The engine stopped while generating.", answer.errorProperty().get());
        var model = models.activeProperty().get();
        assertEquals(LoadedModel.State.FAILED, model.state());
        assertFalse(vm.canSendProperty().get());
        var generation = log.generation(answer.generationId()).orElseThrow();
        assertEquals(GenerationStatus.FAILED, generation.status());
        assertEquals(4, log.tokens(generation.id()).size());

        vm.reloadModel();
        assertEquals(2, engines.size(), "reload starts a fresh engine");
        assertTrue(engines.getFirst().closed);
        assertEquals(LoadedModel.State.READY, model.state());
        engine().answers.add("Back");
        send("again");
        assertEquals("Back", vm.messages().getLast().text());
    }

    @Test
    void anAnswerCutOffByHearthStoppingIsShownAsInterruptedWhenTheSessionReopens() {
        long session = log.createSession("Cut off", null);
        long question = log.addMessage(session, null, Message.Role.USER, "Q", null);
        var sampling = dev.hearth.inference.Sampling.DEFAULT;
        var writer = log.startGeneration(session, null, dev.hearth.ui.GenerationRecorder.runRecord(dir.resolve("tiny.gguf"),
                "b4916", "worker", LoadOptions.DEFAULT, sampling, "Q", 1));
        writer.append(new dev.hearth.storage.Token(0, 5, "Half", -0.1f, 0, 0.5f, 10, List.of()));
        writer.append(new dev.hearth.storage.Token(1, 6, " an answer", -0.2f, 0, 0.5f, 20, List.of()));
        log.close(); // Hearth stops mid-answer: the generation is never finished
        log = SqliteSessionLog.open(dir.resolve("hearth.db"));

        var reopened = newViewModel();
        reopened.refreshSessions();
        assertEquals(List.of("Q", "Half an answer"), reopened.messages().stream().map(MessageItem::text).toList());
        var answer = reopened.messages().getLast();
        assertEquals(MessageItem.State.FAILED, answer.state());
        var stored = log.messages(session).getLast();
        assertEquals(question, stored.parentId(), "the answer hangs under its question");
        assertEquals(GenerationStatus.INTERRUPTED, log.generation(stored.generationId()).orElseThrow().status());

        newViewModel().refreshSessions();
        assertEquals(2, log.messages(session).size(), "reopening again adds nothing");
    }

    @Test
    void reopeningRestoresTheLastSessionWithItsBranchesAndFigures() {
        engine().answers.addAll(List.of("Old", "New"));
        send("Q");
        vm.regenerate(vm.messages().getLast());
        log.flush();

        var reopened = newViewModel();
        reopened.refreshSessions();
        assertEquals(1, reopened.sessions().size());
        assertEquals(List.of("Q", "New"), reopened.messages().stream().map(MessageItem::text).toList());
        var answer = reopened.messages().getLast();
        assertEquals(2, answer.siblingCountProperty().get());
        assertTrue(answer.statsProperty().get().startsWith("3 tokens"), answer.statsProperty().get());
        assertFalse(answer.tokensLoaded());
        reopened.loadTokens(answer);
        assertEquals(3, answer.tokens().size());
    }

    @Test
    void aDeletedSessionLeavesTheListAndUndoBringsItBack() {
        send("keep me");
        var session = vm.sessionProperty().get();
        vm.deleteSession(session);
        assertTrue(vm.sessions().isEmpty());
        assertEquals(session.id(), vm.lastDeletedProperty().get().id());
        assertNull(vm.sessionProperty().get());
        assertTrue(vm.messages().isEmpty());
        assertEquals(1, log.deletedSessions().size());

        vm.undoDelete();
        assertEquals(1, vm.sessions().size());
        assertTrue(log.deletedSessions().isEmpty());
        assertNull(vm.lastDeletedProperty().get());
    }

    @Test
    void sessionsCanBeRenamedAndSearchedByTitle() {
        send("alpha question");
        vm.newSession();
        send("beta question");
        assertEquals(2, vm.sessions().size());
        vm.searchProperty().set("ALPHA");
        assertEquals(List.of("alpha question"), vm.sessions().stream().map(s -> s.title()).toList());
        vm.renameSession(vm.sessions().getFirst(), "Renamed");
        vm.searchProperty().set("");
        assertTrue(vm.sessions().stream().anyMatch(s -> s.title().equals("Renamed")));
        assertTrue(log.sessions(10).stream().anyMatch(s -> s.title().equals("Renamed")));
    }

    @Test
    void sessionSearchFindsWordsInMessageBodiesAndSaysWhichMessageMatched() {
        engine().answers.addAll(List.of("A zebra is striped black and white.", "ok"));
        send("first question");
        var first = vm.sessionProperty().get();
        vm.newSession();
        send("second question");
        assertEquals(2, vm.sessions().size());

        vm.searchProperty().set("Zebra");
        assertEquals(List.of(first.id()), vm.sessions().stream().map(s -> s.id()).toList(),
                "the word is only in an answer, not in a title");
        var match = vm.searchMatches().get(first.id());
        assertNotNull(match);
        assertEquals(Message.Role.ASSISTANT, match.role());
        assertTrue(match.snippet("[", "]").contains("[zebra]"), match.snippet());

        vm.searchProperty().set("second");
        assertEquals(List.of("second question"), vm.sessions().stream().map(s -> s.title()).toList());
        assertEquals(1, vm.searchMatches().size(), "the user's message holds the word too");

        vm.searchProperty().set("zebra second");
        assertTrue(vm.sessions().isEmpty(), "every word must match, in one message or in the title");

        vm.searchProperty().set("  ");
        assertEquals(2, vm.sessions().size());
        assertTrue(vm.searchMatches().isEmpty());
    }

    private List<Long> listed() {
        return vm.sessions().stream().map(s -> s.id()).toList();
    }

    @Test
    void everySessionIsListedAndFoundHoweverOld() {
        long oldest = log.createSession("Old chat", null);
        log.addMessage(oldest, null, Message.Role.USER, "How tall is the lighthouse at the harbour?", null);
        long titled = log.createSession("Zebra facts", null);
        for (int i = 0; i < 510; i++) log.createSession("Chat " + i, null);
        vm.refreshSessions();
        assertEquals(512, vm.sessions().size(), "more sessions than the list once held (500)");
        assertEquals(List.of(titled, oldest), listed().subList(510, 512));

        vm.searchProperty().set("lighthouse");
        assertEquals(List.of(oldest), listed(), "found by a word in its message");
        var match = vm.searchMatches().get(oldest);
        assertNotNull(match);
        assertTrue(match.snippet("[", "]").contains("[lighthouse]"), match.snippet());

        vm.searchProperty().set("zebra");
        assertEquals(List.of(titled), listed(), "found by its title alone");
        assertNull(vm.searchMatches().get(titled));

        vm.searchProperty().set("");
        assertEquals(512, vm.sessions().size());
    }

    @Test
    void aProjectSessionChosenInThePlainChatGoesToItsProjectAndIsNotShownHere() {
        long project = log.createProject("Harbour", null);
        long plain = log.createSession("Plain chat", null);
        long inProject = log.createSession("Project chat", project);
        var handed = new ArrayList<Long>();
        vm.openProjectSessionsWith(s -> handed.add(s.id()));
        vm.refreshSessions();
        assertEquals(plain, vm.sessionProperty().get().id(),
                "at start the plain chat reopens its latest session without a project, not the project's newer one");
        assertEquals(List.of(), handed);

        var projectSession = log.session(inProject).orElseThrow();
        assertTrue(vm.opensElsewhere(projectSession));
        vm.openSession(projectSession);
        assertEquals(List.of(inProject), handed);
        assertEquals(plain, vm.sessionProperty().get().id(), "the plain chat keeps its own session");

        vm.useProject(project, null);
        assertFalse(vm.opensElsewhere(projectSession), "a chat bound to the project opens it itself");
    }

    @Test
    void theProjectChatListsFindsAndRestoresOnlyItsOwnSessionsHoweverOld() {
        long project = log.createProject("Harbour", null);
        long own = log.createSession("Old project chat", project);
        log.addMessage(own, null, Message.Role.USER, "the lighthouse plan", null);
        long other = log.createSession("Elsewhere", null);
        log.addMessage(other, null, Message.Role.USER, "another lighthouse", null);
        for (int i = 0; i < 510; i++) log.createSession("Chat " + i, null);
        long recent = log.createSession("Recent project chat", project);

        vm.useProject(project, null);
        assertEquals(List.of(recent, own), listed());
        assertEquals(recent, vm.sessionProperty().get().id(), "the project's latest session opens with it");

        vm.searchProperty().set("lighthouse");
        assertEquals(List.of(own), listed(), "a session of another project is not shown");
        vm.searchProperty().set("");

        vm.deleteSession(vm.sessions().getFirst());
        assertEquals(List.of(own), listed());
        vm.undoDelete();
        assertEquals(List.of(recent, own), listed(), "undo lists the project's sessions again, not every session");
    }

    @Test
    void continueWithSendsThePromptTheTokensBeforeThePositionAndTheAlternative() {
        engine().answers.addAll(List.of("abc", "Z"));
        send("Q");
        var answer = vm.messages().getLast();
        var prompt = answer.prompt();
        vm.continueWith(answer, 1, new TopToken('x', "x", -2.5f));

        var request = engine().tokenRequests.getFirst();
        var expected = new ArrayList<Integer>(engine().tokenize(prompt, true, true).stream().map(p -> p.id()).toList());
        expected.add((int) 'a');
        expected.add((int) 'x');
        assertEquals(expected, request);
        var branch = vm.messages().getLast();
        assertEquals("axZ", branch.text());
        assertEquals(2, branch.siblingCountProperty().get());
        assertEquals(List.of("a", "x", "Z"), branch.tokens().stream().map(t -> t.piece()).toList());
        assertEquals(1, branch.tokens().get(1).rank(), "the alternative's place in the top list");
        log.flush();
        var tokens = log.tokens(branch.generationId());
        assertEquals(List.of(0, 1, 2), tokens.stream().map(t -> t.index()).toList());
        assertEquals("axZ", tokens.stream().map(t -> t.piece()).reduce("", String::concat));
    }

    @Test
    void thePromptBreakdownSplitsSystemHistoryAndTheNewMessage() {
        vm.systemPromptProperty().set("sys");
        engine().answers.addAll(List.of("one", "two"));
        send("first");
        send("second");
        var result = new AtomicReference<PromptBreakdown>();
        vm.promptBreakdown(vm.messages().getLast(), result::set, message -> { throw new AssertionError(message); });
        var b = result.get();
        assertNotNull(b);
        assertEquals(b.totalTokens(), b.systemTokens() + b.historyTokens() + b.newMessageTokens());
        assertTrue(b.systemTokens() > 0 && b.historyTokens() > 0 && b.newMessageTokens() > 0, b.toString());
        assertTrue(b.renderedPrompt().endsWith("second<|im_end|>\n<|im_start|>assistant\n"), b.renderedPrompt());
        assertEquals(512, b.contextSize());
    }

    @Test
    void sendIsRefusedWithoutAReadyModelOrWithAnEmptyDraft() {
        vm.draftProperty().set("   ");
        assertFalse(vm.canSendProperty().get());
        vm.draftProperty().set("hi");
        assertTrue(vm.canSendProperty().get());
        models.unload(models.activeProperty().get());
        assertFalse(vm.canSendProperty().get());
        assertEquals("No model loaded", vm.modelLineProperty().get());
        vm.send();
        assertTrue(vm.messages().isEmpty());
    }

    @Test
    void resetToDefaultsShowsTheSamplingSavedInSettings() {
        var saved = dev.hearth.inference.Sampling.DEFAULT.withTemperature(0.2).withTopK(7).withMaxTokens(99);
        var sampling = new SamplingViewModel(() -> SamplingViewModel.chatDefaults(saved));
        sampling.temperatureProperty().set(1.5);
        sampling.reset();
        assertEquals(0.2, sampling.temperatureProperty().get(), 1e-9);
        assertEquals(7, sampling.topKProperty().get());
        assertEquals(99, sampling.sampling().maxTokens());
        assertEquals(SamplingViewModel.TOP_ALTERNATIVES, sampling.sampling().topLogprobs(), "answers keep their alternatives");
        assertEquals(SamplingViewModel.DEFAULTS, SamplingViewModel.chatDefaults(dev.hearth.inference.Sampling.DEFAULT));
    }

    @Test
    void systemPromptPresetsAreSavedAndReused() {
        vm.systemPromptProperty().set("You are a pirate.");
        vm.savePreset("Pirate");
        vm.systemPromptProperty().set("");
        assertEquals(List.of(dev.hearth.inference.project.edit.EditFormatPrompt.NAME, "Pirate"), vm.presetNames());
        var other = newViewModel();
        other.usePreset("Pirate");
        assertEquals("You are a pirate.", other.systemPromptProperty().get());
    }

    @Test
    void theEditFormatPresetIsOfferedWithoutBeingSaved() {
        vm.usePreset(dev.hearth.inference.project.edit.EditFormatPrompt.NAME);
        assertTrue(vm.systemPromptProperty().get().contains("<<<<<<< SEARCH"), vm.systemPromptProperty().get());
    }

    @Test
    void samplingResetRestoresTheDefaultsAndAsksForTenAlternatives() {
        var s = vm.sampling();
        s.temperatureProperty().set(0);
        s.topKProperty().set(3);
        s.stopStringsProperty().set("END\nSTOP");
        s.randomSeedProperty().set(false);
        s.seedProperty().set(7);
        assertEquals(List.of("END", "STOP"), s.sampling().stop());
        assertEquals(7, s.sampling().seed());
        assertEquals(0, s.sampling().temperature());
        s.reset();
        assertEquals(SamplingViewModel.DEFAULTS, s.sampling());
        assertEquals(10, s.sampling().topLogprobs());
    }
}
