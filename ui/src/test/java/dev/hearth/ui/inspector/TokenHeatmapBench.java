package dev.hearth.ui.inspector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hearth.storage.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.ScrollPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/// How long the heatmap takes on the FX thread for a long answer: all tokens at once, and streamed in per-frame
/// batches (each batch appended, then CSS and layout as a frame would do). Prints figures and asserts no time;
/// runs only when asked:
///
///     ./mvnw -q -B -pl ui -am test -Dtest=TokenHeatmapBench -Dsurefire.failIfNoSpecifiedTests=false -Dhearth.bench=true
///
/// The figures are in `ui/target/surefire-reports/dev.hearth.ui.inspector.TokenHeatmapBench-output.txt`.
@Tag("fx")
@EnabledIfSystemProperty(named = "hearth.bench", matches = "true")
class TokenHeatmapBench {
    @Test
    void heatmapOfThousandsOfTokens() throws Exception {
        List<Token> answer;
        try (var fixture = new FixtureAnswers()) {
            answer = fixture.answer(120, 8);
        }
        int total = Integer.getInteger("hearth.bench.tokens", 4000);
        var tokens = new ArrayList<Token>(total);
        for (int i = 0; i < total; i++) {
            var t = answer.get(i % answer.size());
            tokens.add(new Token(i, t.id(), t.piece(), t.logprob(), t.rank(), t.entropy(), t.ms(), t.top()));
        }
        Stage stage = FxToolkit.registerPrimaryStage();
        var view = fx(() -> {
            Application.setUserAgentStylesheet(new atlantafx.base.theme.PrimerLight().getUserAgentStylesheet());
            var sizing = TokenHeatmapView.Sizing.valueOf(System.getProperty("hearth.bench.sizing", "GROW"));
            var v = new TokenHeatmapView(sizing);
            javafx.scene.Parent root = v;
            if (sizing == TokenHeatmapView.Sizing.GROW) {
                var scroll = new ScrollPane(v);
                scroll.setFitToWidth(true);
                root = scroll;
            }
            stage.setScene(new Scene(root, 900, 700));
            stage.show();
            return v;
        });
        for (int round = 0; round < 3; round++) {
            long allAtOnce = fx(() -> {
                long t0 = System.nanoTime();
                view.setTokens(tokens);
                frame(stage);
                return System.nanoTime() - t0;
            });
            int batch = 16; // ~1,000 tokens/s at 60 frames/s
            var frames = new ArrayList<Long>();
            var appends = new ArrayList<Long>();
            fx(() -> {
                view.clear();
                frame(stage);
                return null;
            });
            for (int from = 0; from < total; from += batch) {
                int start = from;
                frames.add(fx(() -> {
                    long t0 = System.nanoTime();
                    view.appendTokens(tokens.subList(start, Math.min(total, start + batch)));
                    appends.add(System.nanoTime() - t0);
                    frame(stage);
                    return System.nanoTime() - t0;
                }));
            }
            assertEquals(total, view.getTokens().size());
            System.out.printf(Locale.ROOT, "text nodes %d, paragraphs %d; ", fx(() -> view.lookupAll(".text").size()),
                    fx(() -> view.text().split("\n", -1).length));
            long[] sorted = frames.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "%s: append alone median %.2f ms; ", System.getProperty("hearth.bench.sizing", "GROW"),
                    appends.stream().mapToLong(Long::longValue).sorted().toArray()[appends.size() / 2] / 1e6);
            System.out.printf(Locale.ROOT,
                    "round %d: %d tokens at once %.1f ms; streamed in batches of %d: frame median %.2f ms, p99 %.2f ms, max %.2f ms, last 10 mean %.2f ms%n",
                    round, total, allAtOnce / 1e6, batch, sorted[sorted.length / 2] / 1e6,
                    sorted[(int) (sorted.length * 0.99)] / 1e6, sorted[sorted.length - 1] / 1e6,
                    frames.subList(frames.size() - 10, frames.size()).stream().mapToLong(Long::longValue).average().orElse(0) / 1e6);
        }
        fx(() -> {
            stage.hide();
            return null;
        });
    }

    private static void frame(Stage stage) {
        var root = stage.getScene().getRoot();
        root.applyCss();
        root.layout();
    }

    private static <T> T fx(Callable<T> work) throws Exception {
        return WaitForAsyncUtils.asyncFx(work).get(120, TimeUnit.SECONDS);
    }

}
