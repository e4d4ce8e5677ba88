package dev.hearth.ui.shell;

import atlantafx.base.theme.Styles;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/// The page of a section this version of Hearth does not have yet: it says what the section will hold and
/// nothing else — no sample data.
public final class PendingSectionView extends VBox {

    public PendingSectionView(Section section) {
        super(8);
        getStyleClass().add("pending-section");
        setPadding(new Insets(32));
        setAlignment(Pos.TOP_LEFT);
        var title = new Label(section.title());
        title.getStyleClass().add(Styles.TITLE_2);
        var purpose = new Label(section.purpose());
        purpose.setWrapText(true);
        var when = new Label("Not available in this version of Hearth yet.");
        when.getStyleClass().add(Styles.TEXT_MUTED);
        getChildren().addAll(title, purpose, when);
    }
}
