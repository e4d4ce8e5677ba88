package dev.hearth.app;

import dev.hearth.inference.library.ModelLibrary;
import dev.hearth.storage.Message;
import dev.hearth.storage.SqliteSessionLog;
import dev.hearth.ui.chat.ChatView;
import dev.hearth.ui.chat.MessageItem;
import dev.hearth.ui.settings.SettingsStore;
import dev.hearth.ui.shell.Section;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.animation.AnimationTimer;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ListView;
import javafx.scene.input.ScrollEvent;
import javafx.stage.Stage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/// How long the chat's frames take while a user scrolls through a stored conversation of 1,000 messages (~100k
/// tokens of Markdown with headings, bold, inline code and a code block per answer): the issue asks that it
/// "scrolls smoothly" (virtualised list, finished messages not re-parsed). The whole window (`Wiring`, shell, chat,
/// session log) is the real one. Three passes, a frame apart each step:
/// - **wheel**: 300 mouse-wheel steps of 120 px upwards from the end (about 36,000 px, a fast flick's speed);
/// - **wheel again**: the same stretch once more, its messages' bodies built before;
/// - **jumps**: 60 jumps to random messages (`ListView.scrollTo`, as a search hit does), each showing messages
///   never shown before (their Markdown parsed and rendered in that frame).
///
/// Prints figures and asserts none; runs only when asked:
///
///     ./mvnw -q -B -pl app -am test -Dtest=ChatScrollBench -Dsurefire.failIfNoSpecifiedTests=false -Dhearth.bench=true
///
/// The figures are in `app/target/surefire-reports/dev.hearth.app.ChatScrollBench-output.txt`.
@Tag("fx")
@EnabledIfSystemProperty(named = "hearth.bench", matches = "true")
class ChatScrollBench {
    @TempDir
    Path home;

    @Test
    void framesWhileScrollingAThousandMessageConversation() throws Exception {
        var folders = DataFolders.resolve(Map.of("HEARTH_HOME", home.toString()), "Linux", home).create();
        long tokens = 0;
        try (var log = SqliteSessionLog.open(folders.database())) {
            long session = log.createSession("Long conversation", null);
            Long parent = null;
            for (int i = 0; i < 500; i++) {
                var answer = "## Answer " + i + "\n\n"
                        + ("Some **bold** words and `code` in a sentence, then more words to read through. ").repeat(8)
                        + "\n\n- a point\n- another point with `code`\n\n```java\nvar total = items.stream().mapToInt(Item::size).sum(); // "
                        + i + "\n```\n\n" + "A closing paragraph with *emphasis* and a [link](https://example.org). ".repeat(3);
                parent = log.addMessage(session, parent, Message.Role.USER, "Question " + i + ": how does this work?", null);
                parent = log.addMessage(session, parent, Message.Role.ASSISTANT, answer, null);
                tokens += answer.length() / 4 + 8; // about 4 characters a token
            }
        }
        System.out.println(String.format(Locale.ROOT, "conversation: 1,000 messages, about %,d tokens", tokens));

        Stage stage = FxToolkit.registerPrimaryStage();
        var wiring = fx(() -> {
            // the app's theme (HearthApplication sets it at start)
            javafx.application.Application.setUserAgentStylesheet(new atlantafx.base.theme.PrimerLight().getUserAgentStylesheet());
            var w = HearthApplication.Wiring.of(folders, SettingsStore.open(folders.settings()),
                    new ModelLibrary(folders.models(), List.of(), List.of()),
                    () -> new dev.hearth.inference.hub.HubConfig(java.net.URI.create("http://127.0.0.1:9"), null),
                    new FxUiTasks(), _ -> {});
            w.shell().sectionProperty().set(Section.CHAT);
            stage.setScene(new Scene(w.shellView(), 1200, 800));
            stage.show();
            return w;
        });
        try {
            var chat = wiring.chat();
            WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> chat != null && chat.messages().size() == 1000
                    && chat.messages().getLast().state() == MessageItem.State.DONE);
            var warm = new CountDownLatch(1);
            fx(() -> {
                ChatView.whenWarmedUp(warm::countDown);
                return null;
            });
            warm.await(60, TimeUnit.SECONDS);
            Thread.sleep(500);
            @SuppressWarnings("unchecked")
            ListView<MessageItem> list = (ListView<MessageItem>) stage.getScene().lookup("#chat-messages");
            Node flow = list.lookup(".virtual-flow");

            var wheel = new ArrayList<Runnable>();
            for (int i = 0; i < 300; i++) wheel.add(() -> javafx.event.Event.fireEvent(flow, wheelUp(flow, 120)));
            run("wheel", stage.getScene(), wheel);
            fx(() -> {
                list.scrollTo(999);
                return null;
            });
            Thread.sleep(300);
            run("wheel again", stage.getScene(), wheel);
            var random = new Random(42);
            var jumps = new ArrayList<Runnable>();
            for (int i = 0; i < 60; i++) {
                int to = random.nextInt(1000);
                jumps.add(() -> list.scrollTo(to));
            }
            run("jumps", stage.getScene(), jumps);
        } finally {
            fx(() -> {
                stage.hide();
                wiring.close();
                return null;
            });
        }
    }

    /// Runs `steps` one per frame (in an animation timer, where a frame's input would be handled) and prints the
    /// frames' gaps and the FX and render threads' CPU per frame.
    private static void run(String label, Scene scene, List<Runnable> steps) throws Exception {
        var gaps = new ArrayList<Long>();
        var frames = new ArrayList<ChatStreamingBench.Frame>();
        var probe = new ChatStreamingBench.FrameProbe(scene, frames, () -> 0);
        var finished = new CountDownLatch(1);
        fx(() -> {
            probe.start();
            new AnimationTimer() {
                int next;
                long last;

                @Override
                public void handle(long now) {
                    if (last != 0) gaps.add(now - last);
                    last = now;
                    probe.pulseStarted();
                    if (next < steps.size()) {
                        steps.get(next++).run();
                    } else {
                        stop();
                        probe.stop();
                        finished.countDown();
                    }
                }
            }.start();
            return null;
        });
        finished.await(120, TimeUnit.SECONDS);
        var ms = gaps.stream().map(n -> n / 1e6).sorted().toList();
        System.out.println(String.format(Locale.ROOT, "%s: %d frames: median %.1f ms, p99 %.1f ms, max %.1f ms, %d over 50 ms",
                label, ms.size(), ms.get(ms.size() / 2), ms.get(Math.min(ms.size() - 1, (int) Math.ceil(ms.size() * 0.99) - 1)),
                Collections.max(ms), ms.stream().filter(m -> m > 50).count()));
        ChatStreamingBench.reportCpu(frames);
        if (Boolean.getBoolean("hearth.bench.frames")) {
            for (var f : frames) if (f.gapMs() > 50) System.out.println("  long frame: " + f);
        }
    }

    /// A mouse-wheel step over `node` moving the view `pixels` up.
    private static ScrollEvent wheelUp(Node node, double pixels) {
        var at = node.localToScreen(node.getBoundsInLocal());
        return new ScrollEvent(ScrollEvent.SCROLL, 100, 100, at.getCenterX(), at.getCenterY(), false, false, false,
                false, false, false, 0, pixels, 0, pixels, ScrollEvent.HorizontalTextScrollUnits.NONE, 0,
                ScrollEvent.VerticalTextScrollUnits.NONE, 0, 0, null);
    }

    private static <T> T fx(Callable<T> work) throws Exception {
        return WaitForAsyncUtils.asyncFx(work).get(60, TimeUnit.SECONDS);
    }
}
