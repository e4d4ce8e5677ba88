package dev.hearth.app;

import dev.hearth.ui.inspector.TokenHeatmapView;
import javafx.scene.control.Button;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.gguf.FixtureModel;
import dev.hearth.inference.library.ModelLibrary;
import dev.hearth.inference.worker.EngineClient;
import dev.hearth.storage.GenerationStatus;
import dev.hearth.storage.Message;
import dev.hearth.ui.chat.ChatViewModel;
import dev.hearth.ui.chat.MessageItem;
import dev.hearth.ui.engine.LoadRequest;
import dev.hearth.ui.engine.LoadedModel;
import dev.hearth.ui.settings.SettingsStore;
import dev.hearth.ui.shell.Section;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/// The Chat section in the real window content, with real engine worker processes on a fixture model and a real
/// session log: load, send, streaming, Stop (Esc), Regenerate, ‹ › between the branches; and a worker killed
/// with SIGKILL mid-answer shows the error in place, and Reload model works.
@Tag("fx")
@ExtendWith(ApplicationExtension.class)
class ChatUiTest {
    @TempDir
    static Path home;

    private HearthApplication.Wiring wiring;
    private ChatViewModel chat;
    private Path model;

    @Start
    void start(Stage stage) throws Exception {
        javafx.application.Application.setUserAgentStylesheet(new atlantafx.base.theme.PrimerLight().getUserAgentStylesheet());
        var folders = DataFolders.resolve(Map.of("HEARTH_HOME", home.toString()), "Linux", home).create();
        model = folders.models().resolve("chat-fixture.gguf");
        if (!Files.exists(model)) {
            FixtureModel.builder().width(64).layers(2).contextLength(4096).seed(7).write(model);
        }
        wiring = HearthApplication.Wiring.of(folders, SettingsStore.open(folders.settings()),
                new ModelLibrary(folders.models(), List.of(), List.of()),
                () -> new dev.hearth.inference.hub.HubConfig(java.net.URI.create("http://127.0.0.1:9"), null), new FxUiTasks(), _ -> {});
        wiring.shell().sectionProperty().set(Section.CHAT);
        chat = wiring.chat();
        stage.setScene(new Scene(wiring.shellView(), 1100, 750));
        stage.show();
    }

    @AfterEach
    void closeEngines() {
        wiring.close();
    }

    private LoadedModel load(FxRobot robot) throws Exception {
        robot.interact(() -> wiring.load(new LoadRequest(model, LoadOptions.DEFAULT.withThreads(1).withContextSize(4096))));
        var loaded = wiring.engines().activeProperty().get();
        waitFor(90, () -> loaded.state() == LoadedModel.State.READY || loaded.state() == LoadedModel.State.FAILED);
        assertEquals(LoadedModel.State.READY, loaded.state(), loaded.messageProperty().get());
        assertTrue(loaded.logFile().isPresent(), "the model runs in a worker process with its own log");
        return loaded;
    }

    private void sendLong(FxRobot robot, String text) {
        robot.clickOn("#chat-new-session"); // the log may hold the other test's session, reopened at start
        robot.interact(() -> {
            chat.sampling().temperatureProperty().set(0);
            chat.sampling().maxTokensProperty().set(3000);
        });
        robot.interact(() -> chat.draftProperty().set(text));
        robot.clickOn("#chat-draft");
        robot.press(KeyCode.CONTROL, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.CONTROL);
    }

    private MessageItem last() {
        return chat.messages().getLast();
    }

    @Test
    void sendStreamStopRegenerateAndSwitchBranchesWithEverythingInTheSessionLog(FxRobot robot) throws Exception {
        load(robot);
        sendLong(robot, "Hello world, the model");
        waitFor(60, () -> chat.messages().size() == 2 && last().tokens().size() >= 2);
        assertEquals(MessageItem.State.STREAMING, last().state(), "the answer streams while it is generated");
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
        waitFor(60, () -> chat.stateProperty().get() == ChatViewModel.State.IDLE);
        var stopped = last();
        assertEquals(MessageItem.State.STOPPED, stopped.state());
        assertTrue(stopped.statsProperty().get().contains("stop: cancelled"), stopped.statsProperty().get());
        var stoppedText = stopped.text();
        assertTrue(!stoppedText.isEmpty() && stopped.tokens().size() < 3000);

        robot.interact(() -> chat.sampling().maxTokensProperty().set(5));
        robot.clickOn(".chat-regenerate");
        waitFor(60, () -> chat.stateProperty().get() == ChatViewModel.State.IDLE && last() != stopped);
        var regenerated = last();
        assertEquals(MessageItem.State.DONE, regenerated.state());
        assertEquals("2/2", siblingPosition(robot));
        assertTrue(regenerated.statsProperty().get().startsWith("5 tokens"), regenerated.statsProperty().get());

        robot.clickOn("‹");
        assertEquals(stopped, last());
        assertEquals("1/2", siblingPosition(robot));
        robot.clickOn("›");
        assertEquals(regenerated, last());

        var log = wiring.log();
        log.flush();
        var session = chat.sessionProperty().get();
        var answers = log.messages(session.id()).stream().filter(m -> m.role() == Message.Role.ASSISTANT).toList();
        assertEquals(2, answers.size(), "both branches are stored");
        assertEquals(answers.get(0).parentId(), answers.get(1).parentId());
        assertEquals(stoppedText, answers.get(0).content());
        assertEquals(GenerationStatus.CANCELLED, log.generation(answers.get(0).generationId()).orElseThrow().status());
        assertEquals(GenerationStatus.DONE, log.generation(answers.get(1).generationId()).orElseThrow().status());
        assertEquals(5, log.tokens(answers.get(1).generationId()).size());
    }

    @Test
    void aWorkerKilledMidAnswerShowsTheErrorInPlaceAndReloadModelWorks(FxRobot robot) throws Exception {
        var loaded = load(robot);
        sendLong(robot, "Hello world, the model");
        waitFor(60, () -> chat.messages().size() == 2 && last().tokens().size() >= 2);
        long pid = ((EngineClient) loaded.engine()).pid();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL
        waitFor(60, () -> last().state() == MessageItem.State.FAILED);
        WaitForAsyncUtils.waitForFxEvents();

        var error = robot.lookup(".chat-error").queryAs(Label.class);
        assertEquals("The engine stopped while generating.", error.getText());
        assertEquals(2, chat.messages().size(), "the conversation stays");
        assertTrue(!last().text().isEmpty(), "the partial answer is kept");
        assertEquals(LoadedModel.State.FAILED, loaded.state());
        assertTrue(loaded.messageProperty().get().startsWith("The engine stopped (signal 9)"), loaded.messageProperty().get());
        var log = wiring.log();
        log.flush();
        assertEquals(GenerationStatus.FAILED, log.generation(last().generationId()).orElseThrow().status());

        robot.clickOn("#chat-reload-model");
        waitFor(90, () -> loaded.state() == LoadedModel.State.READY);
        robot.interact(() -> chat.sampling().maxTokensProperty().set(4));
        robot.interact(() -> chat.draftProperty().set("again"));
        robot.clickOn("#chat-send");
        try {
            waitFor(90, () -> chat.stateProperty().get() == ChatViewModel.State.IDLE && last().state() == MessageItem.State.DONE);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("state " + chat.stateProperty().get() + ", last " + last().state() + " " + last().text().length()
                    + " chars, " + last().tokens().size() + " tokens, max " + chat.sampling().sampling().maxTokens() + ", "
                    + chat.messages().size() + " messages, model " + loaded.state() + ", notice " + chat.noticeProperty().get()
                    + ", draft '" + chat.draftProperty().get() + "'");
        }
        assertEquals(4, last().tokens().size());
    }

    @Test
    void theHeatmapListsAnAnswersAlternativesAndContinuingWithOneMakesANewBranchInTheLog(FxRobot robot) throws Exception {
        load(robot);
        robot.clickOn("#chat-new-session");
        robot.interact(() -> {
            chat.sampling().temperatureProperty().set(0);
            chat.sampling().maxTokensProperty().set(6);
            chat.draftProperty().set("Hello world, the model");
        });
        robot.clickOn("#chat-send");
        waitFor(60, () -> chat.stateProperty().get() == ChatViewModel.State.IDLE && last().state() == MessageItem.State.DONE);
        var first = last();
        var firstTokens = List.copyOf(first.tokens());
        assertEquals(6, firstTokens.size());

        robot.clickOn("#chat-heatmap");
        WaitForAsyncUtils.waitForFxEvents();
        var heatmap = robot.lookup(".chat-heatmap").queryAs(TokenHeatmapView.class);
        assertEquals(firstTokens, heatmap.getTokens(), "the heatmap shows the answer's tokens");
        robot.interact(() -> heatmap.showAlternatives(2));
        WaitForAsyncUtils.waitForFxEvents();
        var rows = robot.lookup(".alternative-row").queryAll();
        assertEquals(firstTokens.get(2).top().size(), rows.size(), "one row per alternative of token 2");
        var alternative = firstTokens.get(2).top().stream().filter(t -> t.id() != firstTokens.get(2).id()).findFirst().orElseThrow();
        // Rows are in rank order and the chosen row has no Continue, so the first Continue is `alternative`'s.
        robot.clickOn(robot.lookup(".alternative-continue").queryAllAs(Button.class).iterator().next());
        waitFor(60, () -> chat.stateProperty().get() == ChatViewModel.State.IDLE && last() != first
                && last().state() == MessageItem.State.DONE);
        var branch = last();
        var branchTokens = List.copyOf(branch.tokens());
        assertEquals(firstTokens.subList(0, 2).stream().map(dev.hearth.storage.Token::id).toList(),
                branchTokens.subList(0, 2).stream().map(dev.hearth.storage.Token::id).toList(), "the branch keeps the tokens before");
        assertEquals(alternative.id(), branchTokens.get(2).id(), "the branch takes the alternative at position 2");
        assertEquals("2/2", siblingPosition(robot));

        var log = wiring.log();
        log.flush();
        var answers = log.messages(chat.sessionProperty().get().id()).stream()
                .filter(m -> m.role() == Message.Role.ASSISTANT).toList();
        assertEquals(2, answers.size(), "both branches are stored");
        assertEquals(answers.get(0).parentId(), answers.get(1).parentId());
        var stored = log.tokens(answers.get(1).generationId());
        assertEquals(branchTokens.get(2).id(), stored.get(2).id(), "the log holds the branch with the alternative");
    }

    private static String siblingPosition(FxRobot robot) {
        WaitForAsyncUtils.waitForFxEvents();
        return robot.lookup(".chat-sibling-position").queryAllAs(Label.class).stream()
                .filter(l -> l.getScene() != null && l.isVisible()).map(Label::getText).reduce((a, b) -> b).orElse("");
    }

    private static void waitFor(int seconds, Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
    }
}
