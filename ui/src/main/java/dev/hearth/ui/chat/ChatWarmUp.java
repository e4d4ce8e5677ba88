package dev.hearth.ui.chat;

import dev.hearth.storage.Message;
import dev.hearth.storage.Token;
import dev.hearth.storage.TopToken;
import dev.hearth.ui.inspector.HeatmapLegend;
import dev.hearth.ui.inspector.HeatmapMode;
import dev.hearth.ui.inspector.TokenHeatmapView;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.beans.InvalidationListener;
import javafx.beans.Observable;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.scene.Scene;
import javafx.scene.control.ListView;
import javafx.scene.layout.VBox;

/// Once per process, right after the first chat view is shown: a sample conversation (a question, a finished
/// Markdown answer with code, a table and lists, an answer that streams and ends, and a token heatmap with its
/// legend) laid out and rendered off screen, through the chat's own cells, skin and style sheets, then dropped.
///
/// Without it the first real answer paid, in the frames it streamed in, for what a JVM does once: loading and
/// linking the classes of the Markdown parser, RichTextFX and the cells, parsing the chat's and the inspector's
/// style sheets, opening the bold, italic and monospaced fonts and rasterising their first glyphs, and the software
/// renderer's first shapes. Those frames took 60–120 ms at 1,000 tokens/s where later answers' took under 50 ms
/// (docs/decisions/0019). The warm-up runs a step a frame at a moment nothing streams (the chat was just opened; no
/// model answers before one is loaded). `-Dhearth.chat.warmUp=false` turns it off, to measure it.
/// FX thread only.
final class ChatWarmUp {
    private static final Logger LOG = Logger.getLogger(ChatWarmUp.class.getName());
    /// The system property that turns the warm-up off when `false`.
    static final String PROPERTY = "hearth.chat.warmUp";

    private static boolean started;
    private static final List<Runnable> whenDone = new ArrayList<>();
    private static boolean done;

    private ChatWarmUp() {}

    /// Warms up once `view` is in a scene, unless a chat view did already in this process.
    static void afterShown(ChatView view, ChatViewModel vm) {
        if (started || "false".equals(System.getProperty(PROPERTY))) return;
        started = true;
        view.sceneProperty().addListener(new InvalidationListener() {
            @Override
            public void invalidated(Observable observable) {
                var scene = view.getScene();
                if (scene == null) return;
                view.sceneProperty().removeListener(this);
                Platform.runLater(() -> run(vm, scene, view));
            }
        });
    }

    /// Calls `then` once the warm-up is over (at once if it is, or if none will run in this process).
    static void whenDone(Runnable then) {
        if (done || !started) then.run();
        else whenDone.add(then);
    }

    /// Runs the warm-up's steps one a frame, so the view stays responsive while it warms up.
    private static void run(ChatViewModel vm, Scene shown, ChatView view) {
        long start = System.nanoTime();
        Iterator<Runnable> steps;
        try {
            steps = steps(vm, shown, view).iterator();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the chat's warm-up failed; the first answer may render slower", e);
            finished();
            return;
        }
        new AnimationTimer() {
            @Override
            public void handle(long now) {
                try {
                    if (steps.hasNext()) {
                        steps.next().run();
                        return;
                    }
                    LOG.fine(() -> "chat warm-up: " + (System.nanoTime() - start) / 1_000_000 + " ms");
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "the chat's warm-up failed; the first answer may render slower", e);
                }
                stop();
                finished();
            }
        }.start();
    }

    private static void finished() {
        done = true;
        var waiting = List.copyOf(whenDone);
        whenDone.clear();
        waiting.forEach(Runnable::run);
    }

    /// The warm-up as steps of about a frame's work each, to run in order on the FX thread: a sample conversation
    /// laid out with `view`'s cells and style sheets in a scene of its own, styled like `shown`, then rendered.
    /// Touches nothing of `vm`'s or the session log's.
    static List<Runnable> steps(ChatViewModel vm, Scene shown, ChatView view) {
        var question = new MessageItem(0, Message.Role.USER, null, "How do I read a file line by line in Java?",
                MessageItem.State.DONE);
        var streaming = new MessageItem(0, Message.Role.ASSISTANT, null, "", MessageItem.State.STREAMING);
        var answer = new MessageItem(0, Message.Role.ASSISTANT, null, ANSWER, MessageItem.State.DONE);
        answer.stored(-1, null, null); // a stored answer shows its actions; the id is never used
        var tokens = tokens(STREAMED);
        int half = tokens.size() / 2;

        var bodies = new MessageBodies(view::messageBody, () -> false);
        var list = new ListView<>(FXCollections.observableArrayList(question, streaming));
        list.setSkin(new MessageListSkin(list));
        list.getStyleClass().add("chat-messages");
        list.setCellFactory(_ -> new MessageCell(vm, bodies, () -> {}, _ -> null));
        list.setPrefHeight(1200);
        var root = new VBox(list);
        root.getStyleClass().setAll(view.getStyleClass());
        root.getStylesheets().setAll(view.getStylesheets());
        var scene = new Scene(root, 800, 1400);
        scene.getStylesheets().setAll(shown.getStylesheets());
        Runnable layout = () -> {
            root.applyCss();
            root.layout();
        };
        return List.of(
                // the question, and the first tokens of an answer: cells, streaming Markdown
                () -> {
                    streaming.append(tokens.subList(0, half));
                    layout.run();
                },
                // the rest of it, and its end: the figures and the actions under it
                () -> {
                    streaming.append(tokens.subList(half, tokens.size()));
                    streaming.stored(-2, null, null);
                    streaming.finish(MessageItem.State.DONE, "64 tokens · 1,000 tok/s · TTFT 20 ms · stop: end of text");
                    layout.run();
                },
                // a finished answer: a code block, a table, lists, a quote
                () -> {
                    list.getItems().add(answer);
                    layout.run();
                },
                // the token heatmap and its legend
                () -> {
                    var heatmap = new TokenHeatmapView(TokenHeatmapView.Sizing.GROW); // as in a chat message
                    heatmap.getStyleClass().add("chat-heatmap");
                    heatmap.setTokens(tokens);
                    root.getChildren().addAll(new HeatmapLegend(new SimpleObjectProperty<>(HeatmapMode.PROBABILITY)),
                            heatmap);
                    layout.run();
                },
                // the software renderer's first shapes and glyphs
                () -> scene.snapshot(null));
    }

    /// `text` cut into word-sized tokens with probabilities over the heatmap's range and one alternative each.
    private static List<Token> tokens(String text) {
        var tokens = new ArrayList<Token>();
        int at = 0;
        while (at < text.length()) {
            int end = at + 1;
            while (end < text.length() && Character.isLetterOrDigit(text.charAt(end))) end++;
            int i = tokens.size();
            float logprob = (float) -(i % 7) * 0.6f;
            tokens.add(new Token(i, 100 + i, text.substring(at, end), logprob, i % 7 == 0 ? 0 : 1, 0.1f * (i % 9), 1f,
                    List.of(new TopToken(100 + i, text.substring(at, end), logprob), new TopToken(7, " the", -2.5f))));
            at = end;
        }
        return tokens;
    }

    private static final String ANSWER = """
            ## Reading a file

            Use **`Files.lines`**, which reads *lazily*, or `Files.readAllLines` for ~~small~~ short files \
            (see https://docs.oracle.com/en/java/javase/25/).

            ```java
            try (var lines = Files.lines(Path.of("notes.txt"))) {
                lines.filter(line -> !line.isBlank()).forEach(System.out::println); // 42
            }
            ```

            | Method | Reads |
            |---|---|
            | `lines` | lazily |
            | `readAllLines` | at once |

            1. Open the file.
            2. Read it.

            - Close it.

            > The stream must be closed.
            """;

    /// Streamed in two batches: a finished paragraph, then an open one and the end.
    private static final String STREAMED = """
            Sure. **First**, open the file with `Files.newBufferedReader`.

            Then read each line in a loop until `readLine` returns null, and close the reader when done.
            """;
}
