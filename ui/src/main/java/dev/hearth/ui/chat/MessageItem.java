package dev.hearth.ui.chat;

import dev.hearth.storage.Message;
import dev.hearth.storage.Token;
import java.util.List;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.jspecify.annotations.Nullable;

/// One message as the chat shows it: its text (growing while it streams), its state, the figures under an answer,
/// its place among its siblings, and (for answers) its tokens. Changes on the UI thread only.
public final class MessageItem {
    /// Where a message stands.
    public enum State {
        /// Being generated.
        STREAMING,
        /// Complete.
        DONE,
        /// The user stopped it; the text so far is kept.
        STOPPED,
        /// The engine failed or stopped; the text so far is kept and [#errorProperty()] says what happened.
        FAILED
    }

    private final Message.Role role;
    private @Nullable Long parentId;
    private long id;
    private @Nullable Long generationId;
    private @Nullable String prompt;
    private final ReadOnlyStringWrapper text;
    private final ReadOnlyObjectWrapper<State> state;
    private final ReadOnlyStringWrapper stats = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper engineStopped = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyIntegerWrapper siblingIndex = new ReadOnlyIntegerWrapper(0);
    private final ReadOnlyIntegerWrapper siblingCount = new ReadOnlyIntegerWrapper(1);
    private final ObservableList<Token> tokens = FXCollections.observableArrayList();
    private final ObservableList<Token> readOnlyTokens = FXCollections.unmodifiableObservableList(tokens);
    private boolean tokensLoaded;

    MessageItem(long id, Message.Role role, @Nullable Long parentId, String text, State state) {
        this.id = id;
        this.role = role;
        this.parentId = parentId;
        this.text = new ReadOnlyStringWrapper(text);
        this.state = new ReadOnlyObjectWrapper<>(state);
    }

    /// The stored message's id; 0 while it is not stored yet (streaming).
    public long id() {
        return id;
    }

    public Message.Role role() {
        return role;
    }

    public boolean isAnswer() {
        return role == Message.Role.ASSISTANT;
    }

    /// The message this one answers or follows; null for a conversation's first message.
    public @Nullable Long parentId() {
        return parentId;
    }

    /// The generation that wrote this answer, once known.
    public @Nullable Long generationId() {
        return generationId;
    }

    /// The rendered prompt the answer was generated from, when known.
    public @Nullable String prompt() {
        return prompt;
    }

    public ReadOnlyStringProperty textProperty() {
        return text.getReadOnlyProperty();
    }

    public String text() {
        return text.get();
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public State state() {
        return state.get();
    }

    /// "42 tokens · 35.2 tok/s · TTFT 120 ms · stop: eos" under a finished answer; empty otherwise.
    public ReadOnlyStringProperty statsProperty() {
        return stats.getReadOnlyProperty();
    }

    /// What went wrong, in one sentence, when [State#FAILED].
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /// Whether the engine itself stopped (crashed) while writing this answer: the view offers View log / Reload.
    public ReadOnlyBooleanProperty engineStoppedProperty() {
        return engineStopped.getReadOnlyProperty();
    }

    /// 0-based place among the messages with the same parent (the ‹ 2/3 › control shows index + 1).
    public ReadOnlyIntegerProperty siblingIndexProperty() {
        return siblingIndex.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty siblingCountProperty() {
        return siblingCount.getReadOnlyProperty();
    }

    /// The answer's tokens with their probabilities and alternatives: live while streaming, loaded from the session
    /// log for older answers ([ChatViewModel#loadTokens]). Empty for user messages.
    public ObservableList<Token> tokens() {
        return readOnlyTokens;
    }

    /// Whether [#tokens()] holds all of the answer's tokens.
    public boolean tokensLoaded() {
        return tokensLoaded;
    }

    // ---- changed by ChatViewModel ----

    void stored(long messageId, @Nullable Long parent, @Nullable Long generation) {
        id = messageId;
        parentId = parent;
        generationId = generation;
    }

    void prompt(@Nullable String renderedPrompt) {
        prompt = renderedPrompt;
    }

    void append(List<Token> streamed) {
        var sb = new StringBuilder(text.get());
        for (var t : streamed) sb.append(t.piece());
        text.set(sb.toString());
        tokens.addAll(streamed);
    }

    void startTokens(List<Token> initial) {
        tokens.setAll(initial);
        tokensLoaded = true;
    }

    void tokensLoaded(List<Token> loaded) {
        tokens.setAll(loaded);
        tokensLoaded = true;
    }

    void finish(State end, String figures) {
        state.set(end);
        stats.set(figures);
    }

    void fail(String sentence, boolean stopped) {
        state.set(State.FAILED);
        error.set(sentence);
        engineStopped.set(stopped);
    }

    void siblings(int index, int count) {
        siblingIndex.set(index);
        siblingCount.set(count);
    }
}
