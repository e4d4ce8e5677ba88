package dev.hearth.ui.history;

import javafx.scene.control.TableCell;
import javafx.scene.layout.HBox;
import javafx.scene.text.Text;

/// The excerpt column: the search snippet with matched words highlighted, or the start of the prompt.
final class ExcerptCell extends TableCell<HistoryRow, HistoryRow> {
    ExcerptCell() {
        getStyleClass().add("history-excerpt");
    }

    @Override
    protected void updateItem(HistoryRow row, boolean empty) {
        super.updateItem(row, empty);
        setText(null);
        if (empty || row == null) {
            setGraphic(null);
            return;
        }
        var line = new HBox();
        for (var span : row.excerpt()) {
            var text = new Text(span.text());
            text.getStyleClass().add(span.match() ? "history-match" : "history-excerpt-text");
            line.getChildren().add(text);
        }
        setGraphic(line);
    }
}
