package dev.hearth.ui.models;

import atlantafx.base.theme.Styles;
import dev.hearth.inference.library.ModelLibrary;
import dev.hearth.ui.Units;
import dev.hearth.ui.engine.LoadDialog;
import java.io.File;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
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
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import org.jspecify.annotations.Nullable;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/// The Models section: the library (Hearth's models folder and other tools' caches) with details, fit, import,
/// removal and "Load…"; the Hub search with a repository's models and Download buttons; and the downloads panel.
/// Files dropped anywhere on the section are imported (copy or link) or inspected.
public final class ModelsView extends BorderPane {
    private final ModelsViewModel vm;

    public ModelsView(ModelsViewModel vm) {
        this.vm = vm;
        getStyleClass().add("models-view");

        var title = new Label("Models");
        title.getStyleClass().add(Styles.TITLE_3);
        var refresh = new Button("Refresh", new FontIcon(Feather.REFRESH_CW));
        refresh.setId("models-refresh");
        refresh.setOnAction(_ -> vm.refresh());
        refresh.disableProperty().bind(vm.stateProperty().isEqualTo(ModelsViewModel.State.SCANNING));
        var importButton = new Button("Import…", new FontIcon(Feather.PLUS));
        importButton.setId("models-import");
        importButton.setOnAction(_ -> chooseFile("Import a GGUF model").ifPresent(this::importOrInspect));
        var inspect = new Button("Inspect a GGUF file…", new FontIcon(Feather.FILE_TEXT));
        inspect.setId("models-inspect");
        inspect.setOnAction(_ -> chooseFile("Inspect a GGUF file").ifPresent(vm::inspect));
        var spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        var addFolder = new Button("Add folder…", new FontIcon(Feather.FOLDER_PLUS));
        addFolder.setId("models-add-folder");
        addFolder.setAccessibleText("Add a folder of your own GGUF models to the library");
        addFolder.setOnAction(_ -> {
            var chooser = new DirectoryChooser();
            chooser.setTitle("Add a folder of GGUF models");
            var dir = chooser.showDialog(getScene().getWindow());
            if (dir != null) vm.addFolder(dir.toPath());
        });
        addFolder.setVisible(vm.canAddFolders());
        addFolder.setManaged(vm.canAddFolders());
        var toolbar = new HBox(8, title, spacer, refresh, importButton, addFolder, inspect);
        toolbar.setAlignment(Pos.CENTER_LEFT);
        var message = new Label();
        message.setId("models-message");
        message.getStyleClass().add(Styles.TEXT_MUTED);
        message.setWrapText(true);
        message.textProperty().bind(vm.messageProperty());
        var header = new VBox(6, toolbar, message);
        header.setPadding(new Insets(16, 16, 8, 16));
        setTop(header);

        var library = new Tab("Library", libraryPane());
        library.setId("models-tab-library");
        var hub = new Tab("Hub");
        hub.setId("models-tab-hub");
        // built when first opened: a tab's content is laid out and styled even while hidden, and the Hub's lists and
        // table would cost the window's first frame (docs/decisions/0015)
        hub.selectedProperty().subscribe(selected -> {
            if (selected && hub.getContent() == null) hub.setContent(new HubView(vm.hub()));
        });
        var tabs = new TabPane(library, hub);
        tabs.setId("models-tabs");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        setCenter(tabs);
        setBottom(new DownloadsView(vm.downloads()));

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
            event.setDropCompleted(!files.isEmpty());
            event.consume();
            if (!files.isEmpty()) {
                var file = files.getFirst().toPath();
                // the question is a dialog: ask after the drag gesture has finished
                javafx.application.Platform.runLater(() -> importOrInspect(file));
            }
        });
    }

    private Optional<Path> chooseFile(String title) {
        var chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("GGUF models", "*.gguf"),
                new FileChooser.ExtensionFilter("All files", "*"));
        File file = chooser.showOpenDialog(getScene().getWindow());
        return Optional.ofNullable(file).map(File::toPath);
    }

    /// Asks whether to copy the file into the library, link to it, or only look at it.
    private void importOrInspect(Path file) {
        var copy = new ButtonType("Copy into the library", ButtonBar.ButtonData.OK_DONE);
        var link = new ButtonType("Link to it", ButtonBar.ButtonData.OTHER);
        var look = new ButtonType("Only inspect", ButtonBar.ButtonData.OTHER);
        var alert = new Alert(Alert.AlertType.CONFIRMATION, "A copy stays if the original moves; a link uses no space.",
                copy, link, look, ButtonType.CANCEL);
        alert.setHeaderText("Add " + file.getFileName() + " to the library?");
        alert.initOwner(getScene().getWindow());
        alert.showAndWait().ifPresent(choice -> {
            if (choice == copy) vm.importFile(file, ModelLibrary.ImportMode.COPY);
            else if (choice == link) vm.importFile(file, ModelLibrary.ImportMode.LINK);
            else if (choice == look) vm.inspect(file);
        });
    }

    private SplitPane libraryPane() {
        var table = table(vm);
        vm.machineProperty().addListener((_, _, _) -> table.refresh());
        var load = new Button("Load…", new FontIcon(Feather.PLAY));
        load.setId("models-load");
        load.getStyleClass().add(Styles.ACCENT);
        load.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(() -> {
            var entry = vm.selectedProperty().get();
            return entry == null || entry.model() == null || !entry.usable();
        }, vm.selectedProperty()));
        load.setOnAction(_ -> {
            var entry = vm.selectedProperty().get();
            var dialog = entry == null ? null : vm.loadDialog(entry);
            if (dialog != null) LoadDialog.ask(getScene().getWindow(), dialog).ifPresent(vm::load);
        });
        var remove = new Button("Remove…", new FontIcon(Feather.TRASH_2));
        remove.setId("models-remove");
        remove.getStyleClass().add(Styles.DANGER);
        remove.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(() -> {
            var entry = vm.selectedProperty().get();
            return entry == null || !entry.removable();
        }, vm.selectedProperty()));
        remove.setOnAction(_ -> {
            var entry = vm.selectedProperty().get();
            if (entry == null) return;
            var alert = new Alert(Alert.AlertType.CONFIRMATION, "Its files are deleted from " + entry.path().getParent()
                    + " (" + Units.bytes(entry.sizeBytes()) + "). A linked model loses only the link.", ButtonType.OK, ButtonType.CANCEL);
            alert.setHeaderText("Remove " + entry.name() + "?");
            alert.initOwner(getScene().getWindow());
            alert.showAndWait().filter(ButtonType.OK::equals).ifPresent(_ -> vm.remove(entry));
        });
        var actions = new HBox(8, load, remove);
        actions.setPadding(new Insets(8, 16, 0, 16));
        var details = new BorderPane(new ModelDetailsView(vm.selectedProperty()));
        details.setTop(actions);
        var split = new SplitPane(table, details);
        split.setDividerPositions(0.6);
        return split;
    }

    private static TableView<ModelEntry> table(ModelsViewModel vm) {
        var table = new TableView<>(vm.models());
        table.setId("models-table");
        table.getStyleClass().add("models-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No models yet: search the Hub, or drop a .gguf file here"));
        table.getColumns().addAll(
                column("Model", ModelEntry::name),
                column("Source", e -> e.source() == null ? "" : e.source().displayName()),
                column("Architecture", e -> e.info() == null ? "unusable" : orDash(e.info().architecture())),
                column("Parameters", e -> e.info() == null ? "" : Units.count(e.info().parameterCount())),
                column("Type", e -> e.info() == null ? "" : e.info().fileType()),
                column("Context", e -> e.info() == null || e.info().contextLength() == 0 ? ""
                        : String.format(Locale.ROOT, "%,d", e.info().contextLength())),
                column("Size", e -> Units.bytes(e.sizeBytes())),
                column("Fit", vm::fitLabel));
        table.getSelectionModel().selectedItemProperty().addListener((_, _, now) -> {
            if (now != null) vm.selectedProperty().set(now);
        });
        vm.selectedProperty().addListener((_, _, now) -> {
            if (now != null && table.getItems().contains(now)) table.getSelectionModel().select(now);
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
