package dev.hearth.ui.history;

import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.css.PseudoClass;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import org.jspecify.annotations.Nullable;

/// Two generations compared: the word diff of their outputs (deleted words struck through, inserted underlined)
/// above the table of their parameters and stats, differing rows marked.
final class ComparisonView extends VBox {
    private static final PseudoClass DIFFERS = PseudoClass.getPseudoClass("differs");

    private final Label heading = new Label();
    private final TextFlow diff = new TextFlow();
    private final TableView<Comparison.Row> table = new TableView<>();

    ComparisonView(ReadOnlyObjectProperty<@Nullable Comparison> comparison) {
        super(8);
        getStyleClass().add("history-comparison");
        diff.getStyleClass().add("history-diff");
        var field = new TableColumn<Comparison.Row, String>("Field");
        field.setCellValueFactory(c -> new SimpleStringProperty(c.getValue().field()));
        var left = new TableColumn<Comparison.Row, String>("First");
        left.setCellValueFactory(c -> new SimpleStringProperty(c.getValue().left()));
        var right = new TableColumn<Comparison.Row, String>("Second");
        right.setCellValueFactory(c -> new SimpleStringProperty(c.getValue().right()));
        table.getColumns().setAll(java.util.List.of(field, left, right));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setRowFactory(_ -> new TableRow<>() {
            @Override
            protected void updateItem(Comparison.Row row, boolean empty) {
                super.updateItem(row, empty);
                pseudoClassStateChanged(DIFFERS, !empty && row != null && row.differs());
            }
        });
        table.getStyleClass().add("history-parameters");
        var scroll = new ScrollPane(diff);
        scroll.setFitToWidth(true);
        scroll.setPrefHeight(200);
        VBox.setVgrow(scroll, Priority.ALWAYS);
        VBox.setVgrow(table, Priority.ALWAYS);
        getChildren().setAll(heading, scroll, table);
        comparison.addListener((_, _, c) -> show(c));
        show(comparison.get());
    }

    private void show(@Nullable Comparison c) {
        if (c == null) {
            heading.setText("Select two generations and press Compare.");
            diff.getChildren().clear();
            table.getItems().clear();
            return;
        }
        heading.setText("Generation " + c.left().id() + " (struck through) → generation " + c.right().id() + " (underlined)");
        diff.getChildren().setAll(c.words().stream().map(piece -> {
            var text = new Text(piece.text());
            text.getStyleClass().add(switch (piece.change()) {
                case EQUAL -> "diff-equal";
                case DELETE -> "diff-delete";
                case INSERT -> "diff-insert";
            });
            return text;
        }).toList());
        table.getItems().setAll(c.rows());
    }
}
