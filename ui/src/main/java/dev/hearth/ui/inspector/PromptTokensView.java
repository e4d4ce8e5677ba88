package dev.hearth.ui.inspector;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.AccessibleRole;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.DataFormat;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.fxmisc.flowless.VirtualizedScrollPane;
import org.fxmisc.richtext.StyleClassedTextArea;
import org.fxmisc.richtext.event.MouseOverTextEvent;
import org.fxmisc.richtext.model.StyleSpansBuilder;
import org.jspecify.annotations.Nullable;

/// How a rendered prompt was tokenised ([PromptBreakdown]): a bar and a line of how many tokens the system prompt,
/// the history and the new message take against the context size; the prompt's tokens with their boundaries shown
/// by alternating backgrounds, special (control) tokens marked, ids on hover or all at once ("Show ids"); and the
/// rendered prompt as plain text with "Copy".
public final class PromptTokensView extends BorderPane {
    private static final PseudoClass OVERFLOW = PseudoClass.getPseudoClass("overflow");

    private final ObjectProperty<@Nullable PromptBreakdown> breakdown = new SimpleObjectProperty<>(this, "breakdown");
    private final BooleanProperty showIds = new SimpleBooleanProperty(this, "showIds", false);
    private final BooleanProperty plainText = new SimpleBooleanProperty(this, "plainText", false);
    private final StyleClassedTextArea tokensArea = new StyleClassedTextArea(false);
    private final TextArea plain = new TextArea();
    private final Label summary = new Label("No prompt yet.");
    private final HBox bar = new HBox();
    private final Tooltip hover = new Tooltip();
    /// Start of token i's text (with its id when shown) in the area; `starts[n]` is the length.
    private int[] starts = new int[1];

    public PromptTokensView() {
        getStyleClass().add("prompt-tokens");
        getStylesheets().add(Stylesheets.INSPECTOR);

        summary.getStyleClass().add("budget-summary");
        summary.setWrapText(true);
        bar.getStyleClass().add("budget-bar");
        bar.setAccessibleRole(AccessibleRole.TEXT);
        bar.accessibleTextProperty().bind(summary.textProperty());

        var tokensMode = new ToggleButton("Tokens");
        var textMode = new ToggleButton("Plain text");
        tokensMode.getStyleClass().addAll("left-pill", "small");
        textMode.getStyleClass().addAll("right-pill", "small");
        tokensMode.setId("prompt-view-tokens");
        textMode.setId("prompt-view-text");
        tokensMode.setAccessibleText("Show the prompt's tokens");
        textMode.setAccessibleText("Show the rendered prompt as plain text");
        var modes = new ToggleGroup();
        tokensMode.setToggleGroup(modes);
        textMode.setToggleGroup(modes);
        tokensMode.setSelected(true);
        modes.selectedToggleProperty().addListener((_, old, now) -> {
            if (now == null) old.setSelected(true);
            else plainText.set(now == textMode);
        });
        plainText.addListener((_, _, on) -> (on ? textMode : tokensMode).setSelected(true));

        var ids = new ToggleButton("Show ids");
        ids.setId("prompt-show-ids");
        ids.getStyleClass().add("small");
        ids.setAccessibleText("Show each token's id after it");
        ids.selectedProperty().bindBidirectional(showIds);
        ids.disableProperty().bind(plainText);

        var copy = new Button("Copy");
        copy.setId("prompt-copy");
        copy.getStyleClass().add("small");
        copy.setAccessibleText("Copy the rendered prompt");
        copy.setTooltip(new Tooltip("Copy the rendered prompt as plain text"));
        copy.disableProperty().bind(breakdown.isNull());
        copy.setOnAction(_ -> copyPrompt());

        var spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        var toolbar = new HBox(6, new HBox(tokensMode, textMode), ids, spacer, copy);
        toolbar.setAlignment(Pos.CENTER_LEFT);
        var header = new VBox(6, summary, bar, keys(), toolbar);
        header.setPadding(new Insets(0, 0, 6, 0));
        setTop(header);

        tokensArea.getStyleClass().add("prompt-tokens-text");
        tokensArea.setEditable(false);
        tokensArea.setWrapText(true);
        tokensArea.setAccessibleText("The prompt's tokens");
        tokensArea.setMouseOverTextDelay(Duration.ofMillis(250));
        tokensArea.addEventHandler(MouseOverTextEvent.MOUSE_OVER_TEXT_BEGIN, e -> {
            int i = tokenAt(e.getCharacterIndex());
            var b = breakdown.get();
            if (i < 0 || b == null) return;
            hover.setText(describe(b, i));
            hover.show(tokensArea, e.getScreenPosition().getX() + 8, e.getScreenPosition().getY() + 12);
        });
        tokensArea.addEventHandler(MouseOverTextEvent.MOUSE_OVER_TEXT_END, _ -> hover.hide());
        plain.setEditable(false);
        plain.setWrapText(true);
        plain.getStyleClass().add("prompt-plain-text");
        plain.setAccessibleText("The rendered prompt");
        var tokensPane = new VirtualizedScrollPane<>(tokensArea);
        tokensPane.visibleProperty().bind(plainText.not());
        plain.visibleProperty().bind(plainText);
        setCenter(new StackPane(tokensPane, plain));

        breakdown.addListener((_, _, _) -> refresh());
        showIds.addListener((_, _, _) -> fillTokens());
        refresh();
    }

    /// The prompt shown; null shows nothing.
    public ObjectProperty<@Nullable PromptBreakdown> breakdownProperty() {
        return breakdown;
    }

    public @Nullable PromptBreakdown getBreakdown() {
        return breakdown.get();
    }

    public void setBreakdown(@Nullable PromptBreakdown value) {
        breakdown.set(value);
    }

    /// Whether each token's id is written after it.
    public BooleanProperty showIdsProperty() {
        return showIds;
    }

    /// Whether the rendered prompt is shown as plain text instead of tokens.
    public BooleanProperty plainTextProperty() {
        return plainText;
    }

    /// Puts the rendered prompt on the clipboard (does nothing without a prompt).
    public void copyPrompt() {
        var b = breakdown.get();
        if (b != null) Clipboard.getSystemClipboard().setContent(Map.of(DataFormat.PLAIN_TEXT, b.renderedPrompt()));
    }

    /// The text of the tokens area as drawn (tests).
    String tokensText() {
        return tokensArea.getText();
    }

    /// The style classes at character `offset` of the tokens area (tests).
    Collection<String> tokensStyleAt(int offset) {
        return tokensArea.getStyleOfChar(offset);
    }

    /// Where token `i`'s first character is on screen (tests).
    java.util.Optional<javafx.geometry.Bounds> tokenBoundsOnScreen(int i) {
        return tokensArea.getCharacterBoundsOnScreen(starts[i], starts[i] + 1);
    }

    /// The hover text shown now, or null (tests).
    @Nullable String hoverText() {
        return hover.isShowing() ? hover.getText() : null;
    }

    /// The position of the token whose text (or id) holds character `offset`, or -1.
    int tokenAt(int offset) {
        var b = breakdown.get();
        int n = b == null ? 0 : b.pieces().size();
        if (n == 0 || offset < 0 || offset >= starts[n]) return -1;
        int i = java.util.Arrays.binarySearch(starts, 0, n + 1, offset);
        return i >= 0 ? i : -i - 2;
    }

    private void refresh() {
        var b = breakdown.get();
        plain.setText(b == null ? "" : b.renderedPrompt());
        fillBar(b);
        fillTokens();
    }

    private void fillBar(@Nullable PromptBreakdown b) {
        bar.getChildren().clear();
        if (b == null) {
            summary.setText("No prompt yet.");
            summary.pseudoClassStateChanged(OVERFLOW, false);
            return;
        }
        var budget = PromptBudget.of(b);
        summary.setText(budget.summary());
        summary.pseudoClassStateChanged(OVERFLOW, budget.over() > 0);
        int fits = budget.over() > 0 ? budget.context() : budget.total();
        int shown = 0;
        for (var part : List.of(
                Map.entry("budget-system", budget.system()),
                Map.entry("budget-history", budget.history()),
                Map.entry("budget-new", budget.newMessage()),
                Map.entry("budget-template", budget.template()))) {
            int n = Math.min(part.getValue(), Math.max(0, fits - shown));
            shown += n;
            segment(part.getKey(), budget.fraction(n));
        }
        if (budget.over() > 0) segment("budget-over", budget.fraction(budget.over()));
    }

    private void segment(String styleClass, double fraction) {
        if (fraction <= 0) return;
        var r = new Region();
        r.getStyleClass().addAll("budget-segment", styleClass);
        r.setMinWidth(0);
        r.prefWidthProperty().bind(bar.widthProperty().multiply(fraction));
        bar.getChildren().add(r);
    }

    private static HBox keys() {
        var row = new HBox(12);
        row.setAlignment(Pos.CENTER_LEFT);
        for (var k : List.of(Map.entry("budget-system", "System prompt"), Map.entry("budget-history", "History"),
                Map.entry("budget-new", "New message"), Map.entry("budget-template", "Template"))) {
            var swatch = new Region();
            swatch.getStyleClass().addAll("budget-key", k.getKey());
            var label = new Label(k.getValue(), swatch);
            label.getStyleClass().add("text-small");
            row.getChildren().add(label);
        }
        return row;
    }

    private void fillTokens() {
        var b = breakdown.get();
        tokensArea.clear();
        if (b == null || b.pieces().isEmpty()) {
            starts = new int[1];
            return;
        }
        var pieces = b.pieces();
        starts = new int[pieces.size() + 1];
        var text = new StringBuilder();
        var spans = new StyleSpansBuilder<Collection<String>>(pieces.size() * 2);
        boolean ids = showIds.get();
        for (int i = 0; i < pieces.size(); i++) {
            var p = pieces.get(i);
            starts[i] = text.length();
            var shown = VisibleText.inline(p.piece());
            text.append(shown);
            var parity = i % 2 == 0 ? "prompt-token-even" : "prompt-token-odd";
            spans.add(p.control() ? List.of(parity, "prompt-token-control") : List.of(parity), shown.length());
            if (ids) {
                var id = "[" + p.id() + "]";
                text.append(id);
                spans.add(List.of("prompt-token-id"), id.length());
            }
        }
        starts[pieces.size()] = text.length();
        tokensArea.replaceText(text.toString());
        tokensArea.setStyleSpans(0, spans.create());
        tokensArea.moveTo(0);
    }

    private static String describe(PromptBreakdown b, int i) {
        var p = b.pieces().get(i);
        return "Token " + (i + 1) + " of " + b.pieces().size() + " · id " + p.id() + " · " + TokenFormat.quoted(p.piece())
                + (p.control() ? " · special token" : "");
    }
}
