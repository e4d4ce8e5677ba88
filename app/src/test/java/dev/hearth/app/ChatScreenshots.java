package dev.hearth.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import atlantafx.base.theme.Theme;
import dev.hearth.inference.EngineLog;
import dev.hearth.inference.Engines;
import dev.hearth.inference.GenerationEvent;
import dev.hearth.inference.GenerationRequest;
import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.LoadProgress;
import dev.hearth.inference.NativeLibrary;
import dev.hearth.inference.Sampling;
import dev.hearth.inference.chat.ChatMessage;
import dev.hearth.inference.chat.EngineChatFormatter;
import dev.hearth.inference.gguf.FixtureModel;
import dev.hearth.inference.hub.HubConfig;
import dev.hearth.inference.library.ModelLibrary;
import dev.hearth.storage.Message;
import dev.hearth.storage.SqliteSessionLog;
import dev.hearth.ui.GenerationRecorder;
import dev.hearth.ui.Screenshots;
import dev.hearth.ui.engine.LoadRequest;
import dev.hearth.ui.engine.LoadedModel;
import dev.hearth.ui.inspector.TokenHeatmapView;
import dev.hearth.ui.settings.SettingsStore;
import dev.hearth.ui.shell.Section;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.stage.Popup;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/// Writes the README's chat screenshots to `docs/screenshots/`: the whole window with a conversation, the heatmap
/// on and one token's alternatives open, in AtlantaFX's light and dark themes. Runs only when asked:
///
///     ./mvnw -q -B -pl app -am test -Dtest=ChatScreenshots -Dsurefire.failIfNoSpecifiedTests=false -Dhearth.screenshots=true
///
/// Everything in the picture is real: a fixture model written by our GGUF writer answers in the real llama.cpp, the
/// answer is recorded in a real session log through the chat's own recorder, and the window (loading the same model
/// in an engine worker) reopens that session. The fixture's weights are random, so its answer is held to words of
/// its vocabulary by a grammar; the probabilities and alternatives are the raw model's (llama.cpp reports them
/// before the grammar).
@Tag("fx")
@EnabledIfSystemProperty(named = "hearth.screenshots", matches = "true")
class ChatScreenshots {
    private static final Path OUT = Path.of(System.getProperty("hearth.screenshots.dir", "../docs/screenshots"));
    private static final String QUESTION = "Write a function that can find the first number.";
    private static final String WORDS = """
            root ::= sentence sentence sentence sentence sentence
            sentence ::= word (" " word)+ ("." | "," | "!" | "?") (" " | "\\n")
            word ::= "the" | "of" | "and" | "to" | "in" | "is" | "you" | "that" | "it" | "for" | "on" | "are" \
                | "with" | "this" | "have" | "from" | "one" | "word" | "but" | "not" | "what" | "all" | "when" \
                | "can" | "there" | "use" | "each" | "which" | "how" | "if" | "will" | "about" | "many" \
                | "then" | "some" | "make" | "like" | "time" | "more" | "write" | "see" | "number" | "way" \
                | "first" | "find" | "long" | "get" | "come" | "part" | "model" | "token" | "code" | "file" \
                | "function" | "return" | "class" | "int" | "void" | "new" | "true" | "false" | "null" | "while"
            """;

    private static DataFolders folders;
    private static Path model;
    private static Stage stage;

    @BeforeAll
    static void recordAConversation() throws Exception {
        var home = Path.of("target/screenshot-home").toAbsolutePath();
        if (Files.exists(home)) {
            try (Stream<Path> all = Files.walk(home)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        folders = DataFolders.resolve(Map.of("HEARTH_HOME", home.toString()), "Linux", home).create();
        model = FixtureModel.builder().name("Tiny demo model").width(64).layers(2).contextLength(2048).seed(7)
                .write(folders.models().resolve("tiny-demo.gguf"));
        var load = LoadOptions.DEFAULT.withThreads(2).withContextSize(2048);
        var library = NativeLibrary.bundled(folders.cache());
        try (var engine = Engines.inProcess(library, EngineLog.SYSTEM_LOGGER);
                var log = SqliteSessionLog.open(folders.database())) {
            var summary = engine.load(model, load, LoadProgress.NONE);
            var prompt = EngineChatFormatter.of(engine, summary, Engines.builtinChatFormatter(library))
                    .promptFor(List.of(ChatMessage.user(QUESTION)));
            var sampling = Sampling.DEFAULT.withSeed(42).withMaxTokens(70).withTopLogprobs(10).withTemperature(1.0)
                    .withGrammar(WORDS);
            long session = log.createSession("A first look at a model's tokens", null);
            long user = log.addMessage(session, null, Message.Role.USER, QUESTION, null);
            var recorder = GenerationRecorder.start(log, session, model, engine.capabilities().libraryBuild(), "in-process",
                    load, sampling, prompt, engine.tokenize(prompt, true, true).size());
            var text = new StringBuilder();
            var stats = engine.generate(new GenerationRequest(prompt, sampling), event -> {
                if (event instanceof GenerationEvent.Token t) text.append(recorder.token(t).piece());
            });
            recorder.finish(stats);
            log.flush();
            var generation = log.recentGenerations(1).getFirst().id();
            log.addMessage(session, user, Message.Role.ASSISTANT, text.toString(), generation);
        }
        stage = FxToolkit.registerPrimaryStage();
        Files.createDirectories(OUT);
    }

    @AfterAll
    static void closeWindows() throws Exception {
        fx(() -> {
            List.copyOf(Window.getWindows()).forEach(Window::hide);
            return null;
        });
    }

    @Test
    void theChatWithTheHeatmapAndAnAlternativesPopupInLightAndDark() throws Exception {
        write(new PrimerLight(), "chat-light.png");
        write(new PrimerDark(), "chat-dark.png");
    }

    private void write(Theme theme, String file) throws Exception {
        var wiring = fx(() -> {
            Application.setUserAgentStylesheet(theme.getUserAgentStylesheet());
            var w = HearthApplication.Wiring.of(folders, SettingsStore.open(folders.settings()),
                    new ModelLibrary(folders.models(), List.of(), List.of()),
                    () -> new HubConfig(URI.create("http://127.0.0.1:9"), null), new FxUiTasks(), _ -> {});
            w.load(new LoadRequest(model, LoadOptions.DEFAULT.withThreads(1).withContextSize(2048)));
            w.shell().sectionProperty().set(Section.CHAT);
            var scene = new Scene(w.shellView(), 1280, 800);
            var css = HearthApplication.class.getResource("/dev/hearth/ui/hearth.css");
            if (css != null) scene.getStylesheets().add(css.toExternalForm());
            stage.setScene(scene);
            stage.setTitle("Hearth");
            stage.show();
            return w;
        });
        try {
            var chat = wiring.chat();
            WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> chat.messages().size() == 2
                    && wiring.engines().activeProperty().get() != null
                    && wiring.engines().activeProperty().get().state() == LoadedModel.State.READY);
            fx(() -> {
                chat.heatmapProperty().set(true);
                return null;
            });
            // the tokens come from the log, then the list lays the answer out again with them
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> {
                var shown = heatmap();
                return shown != null && !shown.getTokens().isEmpty() && shown.getHeight() > 40;
            });
            WaitForAsyncUtils.waitForFxEvents();
            var heatmap = heatmap();
            var tokens = heatmap.getTokens();
            // open a token the model did not rank first, past the first line
            int open = IntStream.range(12, tokens.size()).filter(i -> tokens.get(i).rank() > 0).findFirst().orElse(12);
            fx(() -> {
                heatmap.select(open);
                heatmap.showAlternatives(open);
                return null;
            });
            WaitForAsyncUtils.waitForFxEvents();
            var image = fx(() -> {
                var popup = Window.getWindows().stream().filter(w -> w instanceof Popup && w.isShowing())
                        .map(w -> (Popup) w).findFirst().orElseThrow();
                var composed = Screenshots.withPopup(stage.getScene(), popup.getContent().getFirst());
                heatmap.hideAlternatives();
                return composed;
            });
            assertEquals(2, chat.messages().size());
            Screenshots.write(image, OUT.resolve(file));
        } finally {
            fx(() -> {
                wiring.close();
                return null;
            });
        }
    }

    private static TokenHeatmapView heatmap() {
        return (TokenHeatmapView) stage.getScene().getRoot().lookup(".chat-heatmap");
    }

    private static <T> T fx(Callable<T> work) throws Exception {
        return WaitForAsyncUtils.asyncFx(work).get(60, TimeUnit.SECONDS);
    }
}
