package dev.hearth.ui.inspector;

import dev.hearth.storage.Token;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.Bounds;
import javafx.geometry.Orientation;
import javafx.scene.AccessibleRole;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.StackPane;
import javafx.stage.Popup;
import org.fxmisc.flowless.VirtualFlow;
import org.fxmisc.flowless.VirtualizedScrollPane;
import org.fxmisc.richtext.StyleClassedTextArea;
import org.fxmisc.richtext.event.MouseOverTextEvent;
import org.fxmisc.richtext.model.StyleSpansBuilder;
import org.jspecify.annotations.Nullable;

/// A generated answer drawn token by token, each token's background coloured by its probability or by the entropy
/// at its position ([#modeProperty()]). Hovering or clicking a token opens its alternatives; so does Enter after
/// moving to it with the arrow keys (the view takes focus; Esc closes the popup).
///
/// The text is one read-only RichTextFX area: a token is a styled span, not a node, and neighbours in the same
/// colour share one text run, so thousands of tokens stay cheap. With [Sizing#GROW] the view is as tall as its text
/// wrapped at the width its parent offers (a chat message cell inside a scrolling list); with [Sizing#SCROLL] it
/// scrolls inside the height it is given.
///
/// Tokens come either all at once ([#setTokens]) or in batches while streaming ([#appendTokens], at most once
/// per frame). Whitespace stays as written but keeps its background; a newline token shows `↵` and an empty one
/// `∅` so every token can be pointed at. Call everything on the FX thread.
public final class TokenHeatmapView extends StackPane {
    private static final String SELECTED = "token-selected";

    private final GrowingTextArea area = new GrowingTextArea();
    private final List<Token> tokens = new ArrayList<>();
    private final List<Token> tokensView = Collections.unmodifiableList(tokens);
    /// Start of token i's text in the area; `starts[tokens.size()]` is the area's length.
    private int[] starts = new int[65];
    private final ObjectProperty<HeatmapMode> mode = new SimpleObjectProperty<>(this, "mode", HeatmapMode.PROBABILITY);
    private final ReadOnlyIntegerWrapper selected = new ReadOnlyIntegerWrapper(this, "selectedIndex", -1);
    private final Popup popup = new Popup();
    private final AlternativesView alternatives;
    private @Nullable ContinueHandler onContinue;
    private int shownIndex = -1;

    /// How the view takes its height.
    public enum Sizing {
        /// As tall as its text wrapped at the width the parent offers, for a message inside a scrolling list: every line
        /// is laid out, nothing scrolls. The view's height depends on its width (horizontal content bias).
        GROW,
        /// Scrolls inside the height it is given; only the visible lines are laid out (long answers, a side panel).
        SCROLL
    }

    /// A heatmap as tall as its text ([Sizing#GROW]).
    public TokenHeatmapView() {
        this(Sizing.GROW);
    }

    public TokenHeatmapView(Sizing sizing) {
        getStyleClass().add("token-heatmap");
        getStylesheets().add(Stylesheets.INSPECTOR);
        area.getStyleClass().add("token-heatmap-text");
        area.setEditable(false);
        area.setWrapText(true);
        area.setAutoHeight(sizing == Sizing.GROW);
        if (sizing == Sizing.GROW) area.setMinHeight(USE_PREF_SIZE); // never squeezed into scrolling its text
        area.setFocusTraversable(true);
        area.setAccessibleRole(AccessibleRole.TEXT_AREA);
        area.setAccessibleRoleDescription("token heatmap");
        area.setAccessibleHelp("Arrow keys move between tokens, Enter shows the alternatives, Escape closes them.");
        updateAccessibleText();
        getChildren().add(sizing == Sizing.GROW ? area : new VirtualizedScrollPane<>(area));

        alternatives = new AlternativesView((token, alternative) -> {
            hideAlternatives();
            var handler = onContinue;
            if (handler != null) handler.continueWith(token.index(), alternative);
        });
        popup.getContent().add(alternatives);
        popup.setAutoHide(true);
        popup.setHideOnEscape(true);
        popup.setConsumeAutoHidingEvents(false);
        popup.setOnHidden(_ -> shownIndex = -1);

        mode.addListener((_, _, _) -> {
            restyle();
            updateAccessibleText();
        });
        selected.addListener((_, old, now) -> {
            restyleToken(old.intValue());
            restyleToken(now.intValue());
        });

        area.setMouseOverTextDelay(Duration.ofMillis(350));
        area.addEventHandler(MouseOverTextEvent.MOUSE_OVER_TEXT_BEGIN, e -> {
            int i = tokenAt(e.getCharacterIndex());
            if (i >= 0 && i != shownIndex) {
                select(i);
                showAlternatives(i, false);
            }
        });
        area.addEventHandler(MouseEvent.MOUSE_CLICKED, e -> {
            if (e.getButton() != MouseButton.PRIMARY) return;
            var hit = area.hit(e.getX(), e.getY()).getCharacterIndex();
            if (hit.isEmpty()) return;
            int i = tokenAt(hit.getAsInt());
            if (i >= 0) {
                select(i);
                showAlternatives(i, false);
            }
        });
        area.addEventFilter(KeyEvent.KEY_PRESSED, this::onKey);
    }

    /// Replaces the tokens shown (an answer from the session log, or none).
    public void setTokens(List<Token> all) {
        hideAlternatives();
        tokens.clear();
        starts = new int[Math.max(65, all.size() + 1)];
        selected.set(-1);
        area.edit(area::clear);
        appendTokens(all);
    }

    /// Adds tokens at the end (a batch while an answer streams).
    public void appendTokens(List<Token> batch) {
        if (batch.isEmpty()) return;
        int first = tokens.size();
        int needed = first + batch.size() + 1;
        if (starts.length < needed) starts = Arrays.copyOf(starts, Math.max(needed, starts.length * 2));
        var text = new StringBuilder();
        var spans = new StyleSpansBuilder<Collection<String>>(batch.size());
        int offset = starts[first];
        for (var token : batch) {
            var shown = VisibleText.inline(token.piece());
            tokens.add(token);
            text.append(shown);
            spans.add(styleOf(tokens.size() - 1), shown.length());
            offset += shown.length();
            starts[tokens.size()] = offset;
        }
        int at = area.getLength();
        area.edit(() -> {
            area.appendText(text.toString());
            area.setStyleSpans(at, spans.create());
        });
        updateAccessibleText();
    }

    /// Removes every token.
    public void clear() {
        setTokens(List.of());
    }

    /// The tokens shown, in order (read-only).
    public List<Token> getTokens() {
        return tokensView;
    }

    /// What the colours show; bind it to the chat's heatmap toggle (and a [HeatmapLegend]).
    public ObjectProperty<HeatmapMode> modeProperty() {
        return mode;
    }

    public HeatmapMode getMode() {
        return mode.get();
    }

    public void setMode(HeatmapMode value) {
        mode.set(value);
    }

    /// Position in [#getTokens()] of the token the keyboard is on (outlined), or -1.
    public ReadOnlyIntegerProperty selectedIndexProperty() {
        return selected.getReadOnlyProperty();
    }

    /// Moves the keyboard selection to the token at position `i` of [#getTokens()].
    public void select(int i) {
        if (i < -1 || i >= tokens.size()) throw new IndexOutOfBoundsException("token " + i + " of " + tokens.size());
        selected.set(i);
    }

    /// Called with the position and the alternative when "Continue with this token" is pressed; null for none.
    public void setOnContinue(@Nullable ContinueHandler handler) {
        onContinue = handler;
    }

    /// Opens the alternatives popup of the token at position `i` of [#getTokens()], under the token.
    public void showAlternatives(int i) {
        showAlternatives(i, true);
    }

    /// Closes the alternatives popup if it is open.
    public void hideAlternatives() {
        if (popup.isShowing()) popup.hide();
        shownIndex = -1;
    }

    /// Whether the alternatives popup is open, and for which position (-1 when closed).
    public int alternativesShownFor() {
        return popup.isShowing() ? shownIndex : -1;
    }

    /// The popup window, for a screenshot or a test to look into.
    Popup alternativesPopup() {
        return popup;
    }

    /// The text as drawn (tests).
    String text() {
        return area.getText();
    }

    /// The style classes of character `offset` (tests).
    Collection<String> styleAt(int offset) {
        return area.getStyleOfChar(offset);
    }

    /// The position of the token whose text holds character `offset` of the area, or -1.
    int tokenAt(int offset) {
        int n = tokens.size();
        if (n == 0 || offset < 0 || offset >= starts[n]) return n > 0 && offset == starts[n] ? n - 1 : -1;
        int i = Arrays.binarySearch(starts, 0, n + 1, offset);
        return i >= 0 ? i : -i - 2;
    }

    /// Where token `i` is on screen, if it is laid out.
    Optional<Bounds> tokenBoundsOnScreen(int i) {
        return area.getCharacterBoundsOnScreen(starts[i], Math.max(starts[i] + 1, firstLineEnd(i)));
    }

    private int firstLineEnd(int i) {
        int end = starts[i + 1];
        var text = area.getText(starts[i], end);
        int nl = text.indexOf('\n');
        return nl < 0 ? end : starts[i] + nl;
    }

    private void showAlternatives(int i, boolean fromKeyboard) {
        if (i < 0 || i >= tokens.size()) throw new IndexOutOfBoundsException("token " + i + " of " + tokens.size());
        if (getScene() == null || getScene().getWindow() == null) return;
        alternatives.show(tokens.get(i));
        shownIndex = i;
        var bounds = tokenBoundsOnScreen(i).orElseGet(() -> localToScreen(getLayoutBounds()));
        if (bounds == null) return;
        if (popup.isShowing()) {
            popup.setX(bounds.getMinX());
            popup.setY(bounds.getMaxY() + 4);
        } else {
            popup.show(area, bounds.getMinX(), bounds.getMaxY() + 4);
        }
        if (fromKeyboard) alternatives.firstContinue().ifPresent(javafx.scene.Node::requestFocus);
    }

    private void onKey(KeyEvent e) {
        int n = tokens.size();
        if (n == 0) return;
        int at = selected.get();
        switch (e.getCode()) {
            case LEFT, UP -> select(Math.max(0, at - 1));
            case RIGHT, DOWN -> select(at < 0 ? 0 : Math.min(n - 1, at + 1));
            case HOME -> select(0);
            case END -> select(n - 1);
            case ENTER, SPACE -> {
                if (at < 0) select(0);
                showAlternatives(selected.get(), true);
            }
            case ESCAPE -> {
                if (!popup.isShowing()) return;
                hideAlternatives();
            }
            default -> {
                return;
            }
        }
        e.consume();
    }

    private List<String> styleOf(int i) {
        var heat = HeatmapMode.styleClass(mode.get().bucketOf(tokens.get(i)));
        return i == selected.get() ? List.of("token", heat, SELECTED) : List.of("token", heat);
    }

    private void restyleToken(int i) {
        if (i < 0 || i >= tokens.size()) return;
        area.edit(() -> area.setStyle(starts[i], starts[i + 1], styleOf(i)));
        if (i == selected.get()) {
            area.moveTo(starts[i]);
            area.requestFollowCaret();
        }
    }

    private void restyle() {
        if (tokens.isEmpty()) return;
        var spans = new StyleSpansBuilder<Collection<String>>(tokens.size());
        for (int i = 0; i < tokens.size(); i++) spans.add(styleOf(i), starts[i + 1] - starts[i]);
        area.edit(() -> area.setStyleSpans(0, spans.create()));
    }

    /// A read-only text area whose auto height is the height of its paragraphs wrapped at the width it is asked for.
    /// RichTextFX's own auto height (0.11.7) measures at the area's current width, or unwrapped before the area has
    /// one, so a list cell that asks for a height before laying the area out got one line per paragraph; and it
    /// reports no content bias, so a parent does not pass it a width at all.
    private static final class GrowingTextArea extends StyleClassedTextArea {
        private record Measured(Node box, double breadth) {}

        /// Heights of paragraph boxes measured at a width the flow has not given them (a list measures its cells at
        /// its full width, then again without its scroll bar, every frame). A paragraph whose text or style changes
        /// gets a new box, so an entry stays right until something else asks for a layout (styles, fonts).
        private final Map<Measured, Double> measured = new HashMap<>();
        /// While the area's own text changes or while it measures: a layout request then is no reason to forget.
        private boolean quiet;

        GrowingTextArea() {
            super(false);
        }

        /// Changes the text without forgetting the heights of the paragraphs that stay as they were.
        void edit(Runnable change) {
            boolean was = quiet;
            quiet = true;
            try {
                change.run();
            } finally {
                quiet = was;
            }
        }

        @Override
        public @Nullable Orientation getContentBias() {
            return isAutoHeight() ? Orientation.HORIZONTAL : null;
        }

        @Override
        public void requestLayout() {
            if (!quiet && measured != null) measured.clear(); // null while RichTextFX's constructor runs
            super.requestLayout();
        }

        /// The sum of the paragraphs' heights at the width their boxes get from the area's flow (the area's width
        /// less its insets): what the flow lays out. A box the flow has sized at that width has its height already;
        /// another is measured once per width (while an answer streams, only the changed last paragraph is new).
        @Override
        protected double computePrefHeight(double width) {
            if (!isAutoHeight()) return super.computePrefHeight(width);
            var w = width >= 0 ? width : getWidth();
            VirtualFlow<?, ?> flow = null;
            for (var child : getChildrenUnmodifiable()) if (child instanceof VirtualFlow<?, ?> f) flow = f;
            if (w <= 0 || flow == null) return super.computePrefHeight(width);
            var insets = getInsets();
            double breadth = Math.max(0, w - insets.getLeft() - insets.getRight());
            boolean was = quiet;
            quiet = true;
            try {
                var boxes = boxes(flow);
                double height = 0;
                for (var box : boxes) {
                    if (box.getLayoutBounds().getWidth() == breadth) {
                        height += box.getLayoutBounds().getHeight();
                    } else {
                        height += measured.computeIfAbsent(new Measured(box, breadth), m -> m.box().prefHeight(breadth));
                    }
                }
                if (measured.size() > 4 * boxes.size() + 16) {
                    var current = Collections.newSetFromMap(new IdentityHashMap<Node, Boolean>());
                    current.addAll(boxes);
                    measured.keySet().removeIf(m -> !current.contains(m.box()));
                }
                return Math.ceil(height + insets.getTop() + insets.getBottom());
            } finally {
                quiet = was;
            }
        }

        /// The boxes of all paragraphs in order. The flow's cell container holds the boxes made so far in order; when
        /// some are missing (a changed or new paragraph), the flow makes them (it sizes a box it makes at its width).
        private List<Node> boxes(VirtualFlow<?, ?> flow) {
            int n = getParagraphs().size();
            var container = flow.getChildrenUnmodifiable().isEmpty() ? null : flow.getChildrenUnmodifiable().getFirst();
            if (container instanceof Parent cells) {
                var made = cells.getChildrenUnmodifiable();
                for (int i = made.size(); i < n; i++) flow.getCell(i); // usually just the last, changed paragraph
                if (made.size() == n) return made;
            }
            var boxes = new ArrayList<Node>(n);
            for (int i = 0; i < n; i++) boxes.add(flow.getCell(i).getNode());
            return boxes;
        }
    }

    private void updateAccessibleText() {
        area.setAccessibleText("Generated answer, " + tokens.size() + " tokens, coloured by "
                + mode.get().label().toLowerCase(java.util.Locale.ROOT));
    }
}
