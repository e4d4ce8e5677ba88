package dev.hearth.ui.models;

import atlantafx.base.theme.Styles;
import dev.hearth.ui.Units;
import java.io.File;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.kordamp.ikonli.feather.Feather;
import org.jspecify.annotations.Nullable;
import org.kordamp.ikonli.javafx.FontIcon;

/// The Models section: a table of the models folder's GGUF files and a details pane. Files can be chosen or
/// dropped anywhere on the section to inspect them.
public final class ModelsView extends BorderPane {

    public ModelsView(ModelsViewModel vm) {
        getStyleClass().add("models-view");

        var title = new Label("Models");
        title.getStyleClass().add(Styles.TITLE_3);
        var refresh = new Button("Refresh", new FontIcon(Feather.REFRESH_CW));
        refresh.setId("models-refresh");
        refresh.setOnAction(_ -> vm.refresh());
        refresh.disableProperty().bind(vm.stateProperty().isEqualTo(ModelsViewModel.State.SCANNING));
        var inspect = new Button("Inspect a GGUF file…", new FontIcon(Feather.FILE_TEXT));
        inspect.setId("models-inspect");
        inspect.setOnAction(_ -> {
            var chooser = new FileChooser();
            chooser.setTitle("Inspect a GGUF file");
            chooser.getExtensionFilters().addAll(
                    new FileChooser.ExtensionFilter("GGUF models", "*.gguf"),
                    new FileChooser.ExtensionFilter("All files", "*"));
            File file = chooser.showOpenDialog(getScene().getWindow());
            if (file != null) vm.inspect(file.toPath());
        });
        var spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        var toolbar = new HBox(8, title, spacer, refresh, inspect);
        toolbar.setAlignment(Pos.CENTER_LEFT);
        var message = new Label();
        message.setId("models-message");
        message.getStyleClass().add(Styles.TEXT_MUTED);
        message.textProperty().bind(vm.messageProperty());
        var header = new VBox(6, toolbar, message);
        header.setPadding(new Insets(16, 16, 8, 16));
        setTop(header);

        var table = table(vm);
        var details = new ModelDetailsView(vm.selectedProperty());
        var split = new SplitPane(table, details);
        split.setDividerPositions(0.6);
        setCenter(split);

        setOnDragOver(event -> {
            if (event.getDragboard().hasFiles()) {
                event.acceptTransferModes(TransferMode.COPY_OR_MOVE);
                if (!getStyleClass().contains("drop-target")) getStyleClass().add("drop-target");
            }
            event.consume();
        });
        setOnDragExited(_ -> getStyleClass().remove("drop-target"));
        setOnDragDropped(event -> {
            var files = event.getDragboard().getFiles();
            if (!files.isEmpty()) vm.inspect(files.getFirst().toPath());
            event.setDropCompleted(!files.isEmpty());
            event.consume();
        });
    }

    private static TableView<ModelEntry> table(ModelsViewModel vm) {
        var table = new TableView<>(vm.models());
        table.setId("models-table");
        table.getStyleClass().add("models-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No models yet"));
        table.getColumns().addAll(
                column("File", ModelEntry::fileName),
                column("Architecture", e -> e.info() == null ? "unusable" : orDash(e.info().architecture())),
                column("Parameters", e -> e.info() == null ? "" : Units.count(e.info().parameterCount())),
                column("Type", e -> e.info() == null ? "" : e.info().fileType()),
                column("Context", e -> e.info() == null || e.info().contextLength() == 0 ? ""
                        : String.format(java.util.Locale.ROOT, "%,d", e.info().contextLength())),
                column("Size", e -> Units.bytes(e.sizeBytes())));
        table.getSelectionModel().selectedItemProperty().addListener((_, _, now) -> {
            if (now != null) vm.selectedProperty().set(now);
        });
        return table;
    }

    private static TableColumn<ModelEntry, String> column(String name, Function<ModelEntry, String> value) {
        var column = new TableColumn<ModelEntry, String>(name);
        column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
        column.setCellFactory(_ -> new TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                var entry = empty ? null : getTableRow().getItem();
                setText(empty ? null : item);
                setTooltip(entry != null && entry.problem() != null ? new Tooltip(entry.problem()) : null);
                pseudoClassStateChanged(INVALID, entry != null && !entry.usable());
            }
        });
        return column;
    }

    private static final javafx.css.PseudoClass INVALID = javafx.css.PseudoClass.getPseudoClass("invalid");

    static String orDash(@Nullable String s) {
        return s == null || s.isBlank() ? "–" : s;
    }
}
