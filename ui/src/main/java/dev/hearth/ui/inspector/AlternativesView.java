package dev.hearth.ui.inspector;

import dev.hearth.storage.Token;
import dev.hearth.storage.TopToken;
import java.util.function.BiConsumer;
import javafx.css.PseudoClass;
import javafx.scene.AccessibleRole;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/// The content of the alternatives popup: one position's chosen token, its probability and the entropy, then the
/// top-K alternatives (rank, text with visible whitespace, probability, log-probability), the chosen one
/// highlighted, each other one with "Continue with this token".
final class AlternativesView extends VBox {
    static final PseudoClass CHOSEN = PseudoClass.getPseudoClass("chosen");

    private final BiConsumer<Token, TopToken> onContinue;
    private final Label title = new Label();
    private final Label stats = new Label();
    private final VBox rows = new VBox(2);

    AlternativesView(BiConsumer<Token, TopToken> onContinue) {
        this.onContinue = onContinue;
        getStyleClass().add("token-alternatives");
        getStylesheets().add(Stylesheets.INSPECTOR);
        setSpacing(6);
        title.getStyleClass().add("alternatives-title");
        stats.getStyleClass().add("alternatives-stats");
        rows.getStyleClass().add("alternatives-rows");
        getChildren().setAll(title, stats, rows);
        setAccessibleRole(AccessibleRole.PARENT);
    }

    /// Shows `token`'s position.
    void show(Token token) {
        title.setText("Token " + (token.index() + 1) + ": " + TokenFormat.quoted(token.piece()) + "  id " + token.id());
        stats.setText("Probability " + TokenFormat.percent(token.logprob()) + " · log-prob " + TokenFormat.logprob(token.logprob())
                + " · rank " + TokenFormat.rank(token.rank()) + " · entropy " + TokenFormat.entropy(token.entropy()));
        setAccessibleText("Alternatives for " + title.getText() + ". " + stats.getText());
        rows.getChildren().clear();
        if (token.top().isEmpty()) {
            var none = new Label("No alternatives were recorded for this token.");
            none.getStyleClass().add("alternatives-none");
            rows.getChildren().add(none);
            return;
        }
        boolean chosenListed = false;
        for (int r = 0; r < token.top().size(); r++) {
            var alternative = token.top().get(r);
            boolean chosen = alternative.id() == token.id();
            chosenListed |= chosen;
            rows.getChildren().add(row(token, r, alternative, chosen));
        }
        if (!chosenListed) {
            var chosen = new TopToken(token.id(), token.piece(), token.logprob());
            rows.getChildren().add(row(token, token.rank(), chosen, true));
        }
    }

    private HBox row(Token token, int rank, TopToken alternative, boolean chosen) {
        var rankLabel = new Label(TokenFormat.rank(rank));
        rankLabel.getStyleClass().add("alternative-rank");
        var text = new Label(TokenFormat.quoted(alternative.text()));
        text.getStyleClass().add("alternative-text");
        text.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(text, Priority.ALWAYS);
        double p = Double.isNaN(alternative.logprob()) ? 0 : Math.exp(alternative.logprob());
        var fill = new Region();
        fill.getStyleClass().add("alternative-bar-fill");
        fill.setMaxWidth(Region.USE_PREF_SIZE);
        fill.setPrefWidth(Math.max(1, 60 * p));
        var bar = new StackPane(fill);
        bar.getStyleClass().add("alternative-bar");
        StackPane.setAlignment(fill, javafx.geometry.Pos.CENTER_LEFT);
        var percent = new Label(TokenFormat.percent(alternative.logprob()));
        percent.getStyleClass().add("alternative-percent");
        var logprob = new Label(TokenFormat.logprob(alternative.logprob()));
        logprob.getStyleClass().add("alternative-logprob");
        var row = new HBox(8, rankLabel, text, bar, percent, logprob);
        row.getStyleClass().add("alternative-row");
        row.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        row.pseudoClassStateChanged(CHOSEN, chosen);
        var description = TokenFormat.rank(rank) + " " + TokenFormat.quoted(alternative.text()) + ", "
                + TokenFormat.percent(alternative.logprob()) + ", log-prob " + TokenFormat.logprob(alternative.logprob());
        if (chosen) {
            var mark = new Label("chosen");
            mark.getStyleClass().add("alternative-chosen-mark");
            row.getChildren().add(mark);
            row.setAccessibleText("Chosen token " + description);
        } else {
            var go = new Button("Continue");
            go.getStyleClass().addAll("alternative-continue", "small");
            go.setTooltip(new Tooltip("Continue with this token: the answer is kept up to here and goes on from "
                    + TokenFormat.quoted(alternative.text())));
            go.setAccessibleText("Continue with this token: " + description);
            go.setOnAction(_ -> onContinue.accept(token, alternative));
            go.setOnKeyPressed(e -> {
                if (e.getCode() == javafx.scene.input.KeyCode.ENTER) {
                    go.fire();
                    e.consume();
                }
            });
            row.getChildren().add(go);
            row.setAccessibleText("Alternative " + description);
        }
        return row;
    }

    /// The first "Continue" button, to focus when the popup was opened from the keyboard.
    java.util.Optional<Button> firstContinue() {
        return rows.lookupAll(".alternative-continue").stream().filter(Button.class::isInstance).map(Button.class::cast).findFirst();
    }
}
