package dev.hearth.ui.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.chat.BuiltinChatFormatter;
import dev.hearth.inference.chat.ChatMessage;
import dev.hearth.inference.project.ContextBudget;
import dev.hearth.inference.project.ProjectContext;
import dev.hearth.inference.project.ProjectFile;
import dev.hearth.storage.SessionLog;
import dev.hearth.storage.SqliteSessionLog;
import dev.hearth.ui.InlineUiTasks;
import dev.hearth.ui.chat.ChatViewModel;
import dev.hearth.ui.chat.SystemPromptPresets;
import dev.hearth.ui.engine.LoadRequest;
import dev.hearth.ui.engine.LoadedModels;
import dev.hearth.ui.engine.ScriptedEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The Project section's view model without a toolkit: a real folder, a real SQLite log, a scripted engine
/// (one character per token, a context of 512).
class ProjectViewModelTest {
    @TempDir Path dir;
    Path root;
    final List<ScriptedEngine> engines = new ArrayList<>();
    SessionLog log;
    LoadedModels models;
    ChatViewModel chat;
    ProjectViewModel vm;

    @BeforeEach
    void setUp() throws Exception {
        root = dir.resolve("proj");
        Files.createDirectories(root.resolve("src"));
        Files.writeString(root.resolve(".gitignore"), "*.tmp\n");
        Files.writeString(root.resolve("src/a.txt"), "alpha");
        Files.writeString(root.resolve("src/b.txt"), "bravo!");
        Files.writeString(root.resolve("x.tmp"), "ignored");
        Files.write(root.resolve("blob.bin"), new byte[] {0, 1});
        log = SqliteSessionLog.open(dir.resolve("hearth.db"));
        var tasks = new InlineUiTasks();
        models = new LoadedModels(() -> {
            var e = new ScriptedEngine();
            engines.add(e);
            return e;
        }, tasks);
        models.load(new LoadRequest(dir.resolve("tiny.gguf"), LoadOptions.DEFAULT));
        chat = new ChatViewModel(models, log, BuiltinChatFormatter.NONE,
                SystemPromptPresets.open(dir.resolve("system-prompts.json")), tasks);
        chat.sampling().maxTokensProperty().set(16);
        vm = new ProjectViewModel(log, models, chat, tasks);
        vm.open(root);
    }

    @AfterEach
    void tearDown() {
        models.close();
        log.close();
    }

    @Test
    void openingAFolderListsItsFilesAndRemembersTheProject() throws Exception {
        assertEquals(ProjectViewModel.State.OPEN, vm.stateProperty().get());
        assertEquals(List.of(".gitignore", "blob.bin", "src/a.txt", "src/b.txt"),
                vm.files().stream().map(ProjectFile::path).toList());
        assertEquals(root.toRealPath().toString(), vm.projectProperty().get().folder());
        assertEquals(vm.projectProperty().get().id(), vm.recentProjects().getFirst().id());
    }

    @Test
    void checkingAFileMakesAChipCountedWithTheModelsTokenizer() {
        vm.setIncluded("src/a.txt", true);
        assertEquals(List.of(new ProjectViewModel.Chip("src/a.txt", 5, false)), vm.chips());
        vm.setIncluded("src/a.txt", false);
        assertEquals(List.of(), vm.chips());
        vm.addFolder("src");
        assertEquals(List.of("src/a.txt", "src/b.txt"), vm.chips().stream().map(ProjectViewModel.Chip::path).toList());
    }

    @Test
    void aListenerAddedToTheChipsListIsStillCalledAfterAGarbageCollection() {
        // a view adds its listener to what chips() returns without keeping it; a read-only wrapper made per call was
        // collected, and the listener with it (the Project tree then missed the opened project's files)
        var calls = new java.util.concurrent.atomic.AtomicInteger();
        vm.chips().addListener((javafx.collections.ListChangeListener<ProjectViewModel.Chip>) _ -> calls.incrementAndGet());
        for (int i = 0; i < 3; i++) {
            System.gc();
            vm.setIncluded("src/a.txt", true);
            vm.setIncluded("src/a.txt", false);
        }
        assertEquals(6, calls.get(), "every change of the chips was heard");
    }

    @Test
    void aBinaryFileIsRefusedWithTheReason() {
        vm.add("blob.bin");
        assertEquals(List.of(), vm.chips());
        assertTrue(vm.noticeProperty().get().contains("binary"), vm.noticeProperty().get());
    }

    @Test
    void theBudgetCountsFilesDraftAndAnswerRoom() {
        vm.add("src/a.txt");
        chat.draftProperty().set("Why?");
        var plan = vm.budgetProperty().get();
        assertEquals(512, plan.contextSize());
        assertEquals(16, plan.used(ContextBudget.Part.Kind.ANSWER_ROOM));
        assertEquals(4, plan.used(ContextBudget.Part.Kind.QUESTION));
        assertTrue(plan.used(ContextBudget.Part.Kind.FILE) > 5, "the file and its frame");
        assertTrue(plan.fits());
        assertFalse(vm.estimatedProperty().get(), "counted with the loaded model against its context");
    }

    @Test
    void theBudgetCountsTheChatTemplateAsTheTurnIsSent() {
        vm.add("src/a.txt");
        chat.systemPromptProperty().set("Be brief.");
        chat.draftProperty().set("Why?");
        var plan = vm.budgetProperty().get();
        int template = plan.used(ContextBudget.Part.Kind.TEMPLATE);
        assertTrue(template > 0, "ChatML's markers and BOS: " + template);
        // the turn as the chat sends it: the project's prompt through the chat's own formatter, tokenized with BOS
        var model = models.activeProperty().get();
        var engine = model.engine();
        var summary = model.summary().orElseThrow();
        var prepared = vm.prepare(engine, summary, List.of(ChatMessage.system("Be brief."), ChatMessage.user("Why?")),
                chat.sampling().sampling());
        var prompt = chat.formatter(engine, summary).promptFor(prepared.conversation());
        assertTrue(prompt.contains("<|im_start|>user\nWhy?<|im_end|>"), prompt);
        assertEquals(engine.tokenize(prompt, true, true).size(), plan.used() - 16);
    }

    @Test
    void aFileTooBigForTheContextIsShownAsCut() throws Exception {
        Files.writeString(root.resolve("src/big.txt"), "z".repeat(600));
        vm.add("src/big.txt");
        var plan = vm.budgetProperty().get();
        assertTrue(plan.overBudget());
        assertEquals(List.of("src/big.txt"), plan.cut().stream().map(ContextBudget.Part::label).toList());
    }

    @Test
    void aTurnCarriesTheFilesAndRecordsThemWithTheirHashes() throws Exception {
        vm.add("src/a.txt");
        engines.getLast().answers.add("ok");
        chat.draftProperty().set("What is in @src/b.txt and a?");
        chat.send();
        var prompt = engines.getLast().prompts.getLast();
        assertTrue(prompt.contains("File: src/a.txt"), prompt);
        assertTrue(prompt.contains("File: src/b.txt"), "an @mention adds the file: " + prompt);
        assertEquals(List.of("src/a.txt", "src/b.txt"), vm.chips().stream().map(ProjectViewModel.Chip::path).toList());
        var generation = log.recentGenerations(1).getFirst();
        var context = log.context(generation.id()).orElseThrow();
        assertEquals(List.of("src/a.txt", "src/b.txt"), context.files().stream().map(f -> f.path()).toList());
        assertEquals(ProjectContext.sha256("alpha".getBytes(StandardCharsets.UTF_8)), context.files().getFirst().sha256());
        var session = log.session(generation.sessionId()).orElseThrow();
        assertEquals(vm.projectProperty().get().id(), session.projectId());
        assertEquals(List.of(session.id()), chat.sessions().stream().map(s -> s.id()).toList());
    }

    @Test
    void reopeningTheProjectReopensItsLatestSession() {
        engines.getLast().answers.add("ok");
        chat.draftProperty().set("First question");
        chat.send();
        var session = chat.sessionProperty().get();
        chat.newSession();
        vm.open(root);
        assertEquals(session.id(), chat.sessionProperty().get().id());
        assertEquals(List.of("First question", "ok"), chat.messages().stream().map(m -> m.text()).toList());
    }

    @Test
    void aProjectSessionOpenedFromElsewhereOpensItsProjectWithThatSession() throws Exception {
        long projectId = vm.projectProperty().get().id();
        long older = log.createSession("Older", projectId);
        log.addMessage(older, null, dev.hearth.storage.Message.Role.USER, "the older question", null);
        long newer = log.createSession("Newer", projectId);
        var other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("o.txt"), "other");
        vm.open(other);
        assertTrue(vm.files().stream().anyMatch(f -> f.path().equals("o.txt")));

        vm.openSession(log.session(older).orElseThrow());
        assertEquals(ProjectViewModel.State.OPEN, vm.stateProperty().get());
        assertEquals(projectId, vm.projectProperty().get().id(), "the session's project is opened, not a new one");
        assertTrue(vm.files().stream().anyMatch(f -> f.path().equals("src/a.txt")), "with its folder's files");
        assertEquals(older, chat.sessionProperty().get().id(), "that session, not the project's latest");
        assertEquals(List.of("the older question"), chat.messages().stream().map(m -> m.text()).toList());
        assertEquals(java.util.Set.of(older, newer), chat.sessions().stream().map(x -> x.id()).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void openingASessionOfTheOpenProjectKeepsItsFilesInContext() {
        long projectId = vm.projectProperty().get().id();
        vm.add("src/a.txt");
        long other = log.createSession("Other", projectId);
        vm.openSession(log.session(other).orElseThrow());
        assertEquals(other, chat.sessionProperty().get().id());
        assertEquals(List.of("src/a.txt"), vm.chips().stream().map(ProjectViewModel.Chip::path).toList());
    }

    @Test
    void aSessionWhoseFolderIsGoneIsStillShownWithANoticeSayingSo() throws Exception {
        var gone = Files.createDirectories(dir.resolve("gone"));
        Files.writeString(gone.resolve("g.txt"), "g");
        vm.open(gone);
        long projectId = vm.projectProperty().get().id();
        long session = log.createSession("Before the move", projectId);
        log.addMessage(session, null, dev.hearth.storage.Message.Role.USER, "where was it?", null);
        vm.open(root);
        Files.delete(gone.resolve("g.txt"));
        Files.delete(gone);

        vm.openSession(log.session(session).orElseThrow());
        assertEquals(ProjectViewModel.State.OPEN, vm.stateProperty().get());
        assertEquals(projectId, vm.projectProperty().get().id());
        var notice = vm.noticeProperty().get();
        assertTrue(notice.contains("no longer exists") && notice.contains("gone"), notice);
        assertEquals(List.of(), vm.files());
        assertEquals(session, chat.sessionProperty().get().id(), "the conversation is shown all the same");
        assertEquals(List.of("where was it?"), chat.messages().stream().map(m -> m.text()).toList());

        vm.add("g.txt");
        assertTrue(vm.noticeProperty().get().contains("no longer exists"), vm.noticeProperty().get());
        vm.open(root);
        assertTrue(vm.files().stream().anyMatch(f -> f.path().equals("src/a.txt")), "another folder opens as before");
    }

    @Test
    void aFileChangedOnDiskIsReReadBeforeTheNextTurn() throws Exception {
        vm.add("src/a.txt");
        var file = root.resolve("src/a.txt");
        Files.writeString(file, "alpha, changed");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
        engines.getLast().answers.add("ok");
        chat.draftProperty().set("Now?");
        chat.send();
        assertTrue(engines.getLast().prompts.getLast().contains("alpha, changed"));
        assertTrue(vm.noticeProperty().get().contains("src/a.txt"), vm.noticeProperty().get());
        assertEquals(14, vm.chips().getFirst().tokens());
    }

    @Test
    void theRepoMapBudgetIsRecordedWhenTheMapIsOn() {
        vm.repoMapProperty().set(true);
        vm.repoMapTokensProperty().set(200);
        engines.getLast().answers.add("ok");
        chat.draftProperty().set("Map?");
        chat.send();
        assertTrue(engines.getLast().prompts.getLast().contains("Repository map"), engines.getLast().prompts.getLast());
        var context = log.context(log.recentGenerations(1).getFirst().id()).orElseThrow();
        assertEquals(200, context.repoMapBudget());
        assertTrue(context.repoMapTokens() > 0);
    }

    @Test
    void completionsOfferIncludablePathsByPrefixThenByContent() {
        assertEquals(List.of("src/a.txt", "src/b.txt"), vm.completions("src/"));
        assertEquals(List.of("src/b.txt"), vm.completions("b.t"));
        assertFalse(vm.completions("").contains("blob.bin"));
    }

    @Test
    void mentionsAreAtPathsNotEmailAddresses() {
        assertEquals(List.of("src/a.txt", "README.md"), ProjectViewModel.mentions("see @src/a.txt, and @README.md. mail me@x.org"));
    }
}
