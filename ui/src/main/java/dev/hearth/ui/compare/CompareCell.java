package dev.hearth.ui.compare;

import dev.hearth.storage.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.jspecify.annotations.Nullable;

/// One output of a run: a variant's answer to one row of values (and one repeat). Text and tokens grow as the answer
/// streams (on the UI thread, at most once per frame); then its figures come. Properties change on the UI thread.
public final class CompareCell {
    /// Where the output is.
    public enum State { WAITING, STREAMING, DONE, STOPPED, FAILED }

    /// The figures of a finished output.
    public record Figures(int tokens, double tokensPerSecond, double ttftMs, String stopReason) {
        String line() {
            return String.format(Locale.ROOT, "%d tokens · %.1f tok/s · TTFT %.0f ms · stop: %s", tokens,
                    tokensPerSecond, ttftMs, stopReason);
        }
    }

    private final int column;
    private final int row;
    private final int repeat;
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(State.WAITING);
    private final ReadOnlyStringWrapper text = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper statsLine = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<@Nullable Integer> rating = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper note = new ReadOnlyStringWrapper("");
    private final List<Token> tokens = new ArrayList<>();
    private final List<Consumer<List<Token>>> tokenListeners = new ArrayList<>();
    private final ObservableList<CompareCell> continuations = FXCollections.observableArrayList();
    /// Read-only view of `continuations`, kept: listeners added to a wrapper made per call are lost when it is collected.
    private final ObservableList<CompareCell> continuationsView = FXCollections.unmodifiableObservableList(continuations);
    private final @Nullable ContinuedFrom continuedFrom;
    private @Nullable Figures figures;
    private @Nullable Long generationId;
    private volatile @Nullable String prompt;

    /// Where a continuation branches off its source output: the token replaced and the one taken there.
    public record ContinuedFrom(long sourceGenerationId, int tokenIndex, String token) {}

    CompareCell(int column, int row, int repeat) {
        this(column, row, repeat, null);
    }

    private CompareCell(int column, int row, int repeat, @Nullable ContinuedFrom from) {
        this.column = column;
        this.row = row;
        this.repeat = repeat;
        this.continuedFrom = from;
    }

    /// A continuation of this output (same column, row and repeat), not yet started.
    CompareCell continuation(ContinuedFrom from) {
        var k = new CompareCell(column, row, repeat, from);
        k.prompt = prompt;
        return k;
    }

    /// The outputs continued from this one with another token ("Continue with this token"), oldest first.
    public ObservableList<CompareCell> continuations() {
        return continuationsView;
    }

    /// Where this output branches off another; null for an output of the variant itself.
    public @Nullable ContinuedFrom continuedFrom() {
        return continuedFrom;
    }

    /// The rendered prompt the output answers (null before it is known).
    public @Nullable String prompt() {
        return prompt;
    }

    void prompt(String rendered) {
        prompt = rendered;
    }

    void addContinuation(CompareCell k) {
        continuations.add(k);
    }

    /// The output as the summary counts it.
    public VariantSummary.Output output() {
        var f = figures;
        boolean finished = f != null && (state() == State.DONE || state() == State.STOPPED);
        double sum = 0;
        for (var t : tokens) sum += t.logprob();
        return new VariantSummary.Output(finished, f == null ? 0 : f.tokens(), f == null ? Double.NaN : f.tokensPerSecond(),
                f == null ? Double.NaN : f.ttftMs(), f == null ? "" : f.stopReason(), finished ? sum : 0,
                finished ? tokens.size() : 0, rating.get());
    }

    /// The variant's index.
    public int column() {
        return column;
    }

    /// The row of values' index.
    public int row() {
        return row;
    }

    /// Which repeat (0 for the first run; its seed is the variant's seed + repeat).
    public int repeat() {
        return repeat;
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public State state() {
        return state.get();
    }

    public ReadOnlyStringProperty textProperty() {
        return text.getReadOnlyProperty();
    }

    public String text() {
        return text.get();
    }

    /// "24 tokens · 310.2 tok/s · TTFT 12 ms · stop: length", or why it failed; empty while running.
    public ReadOnlyStringProperty statsLineProperty() {
        return statsLine.getReadOnlyProperty();
    }

    /// -1 (👎), 1 (👍) or null when not rated.
    public ReadOnlyObjectProperty<@Nullable Integer> ratingProperty() {
        return rating.getReadOnlyProperty();
    }

    /// The output's latest note (empty: none).
    public ReadOnlyStringProperty noteProperty() {
        return note.getReadOnlyProperty();
    }

    /// The tokens so far, in order.
    public List<Token> tokens() {
        return List.copyOf(tokens);
    }

    /// Calls `listener` with each batch of tokens appended from now on (the heatmap follows the stream this way).
    public void onTokens(Consumer<List<Token>> listener) {
        tokenListeners.add(listener);
    }

    public @Nullable Figures figures() {
        return figures;
    }

    /// The generation's id in the session log, once stored.
    public @Nullable Long generationId() {
        return generationId;
    }

    /// The mean natural-log probability of the output's tokens; NaN when it has none.
    public double meanLogprob() {
        if (tokens.isEmpty()) return Double.NaN;
        double sum = 0;
        for (var t : tokens) sum += t.logprob();
        return sum / tokens.size();
    }

    // ---- changes (UI thread)

    void waiting() {
        start();
        state.set(State.WAITING);
    }

    void start() {
        tokens.clear();
        text.set("");
        statsLine.set("");
        figures = null;
        generationId = null;
        rating.set(null);
        note.set("");
        continuations.clear();
        state.set(State.STREAMING);
    }

    void append(List<Token> batch) {
        tokens.addAll(batch);
        var sb = new StringBuilder(text.get());
        for (var t : batch) sb.append(t.piece());
        text.set(sb.toString());
        for (var l : List.copyOf(tokenListeners)) l.accept(batch);
    }

    void finish(State end, @Nullable Long id, @Nullable Figures f, String failure) {
        generationId = id;
        figures = f;
        statsLine.set(f != null ? f.line() : failure);
        state.set(end);
    }

    /// Fills a cell from a stored generation (reopening an experiment).
    void restore(String output, List<Token> stored, State end, @Nullable Long id, @Nullable Figures f, String failure,
            @Nullable Integer score, String latestNote) {
        tokens.clear();
        tokens.addAll(stored);
        text.set(output);
        finish(end, id, f, failure);
        rating.set(score);
        note.set(latestNote);
    }

    void noted(String text) {
        note.set(text);
    }

    void rated(@Nullable Integer score) {
        rating.set(score);
    }
}
