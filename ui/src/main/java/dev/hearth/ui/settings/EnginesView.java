package dev.hearth.ui.settings;

import atlantafx.base.theme.Styles;
import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;

/// Settings → Engines: the installed llama.cpp engines (name, build, generation, backends, devices with free memory),
/// Install from a pack file or folder, Remove with a confirmation, and the guide for GPU packs. Lays out, binds,
/// forwards.
public final class EnginesView extends VBox {

    public EnginesView(EnginesViewModel vm) {
        super(8);
        getStyleClass().add("settings-engines");
        var heading = new Label("Engines");
        heading.getStyleClass().add(Styles.TITLE_4);
        var list = new ListView<>(vm.rows());
        list.setId("settings-engines");
        list.setAccessibleText("Installed engines");
        list.setPrefHeight(170);
        list.setPlaceholder(new Label("Reading the engines…"));
        list.setCellFactory(_ -> new EngineCell());
        var checking = new ProgressIndicator();
        checking.setPrefSize(18, 18);
        var busy = vm.stateProperty().isNotEqualTo(EnginesViewModel.State.IDLE);
        checking.visibleProperty().bind(busy);
        checking.managedProperty().bind(busy);
        var installFile = new Button("Install from file…");
        installFile.setId("settings-engine-install-file");
        installFile.disableProperty().bind(vm.stateProperty().isEqualTo(EnginesViewModel.State.INSTALLING));
        installFile.setOnAction(_ -> {
            var chooser = new FileChooser();
            chooser.setTitle("Engine pack (.tgz from npm pack)");
            chooser.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Engine pack", "*.tgz", "*.tar.gz"),
                    new FileChooser.ExtensionFilter("Any file", "*"));
            var file = chooser.showOpenDialog(getScene().getWindow());
            if (file != null) vm.install(file.toPath());
        });
        var installFolder = new Button("Install from folder…");
        installFolder.setId("settings-engine-install-folder");
        installFolder.disableProperty().bind(installFile.disableProperty());
        installFolder.setOnAction(_ -> {
            var chooser = new DirectoryChooser();
            chooser.setTitle("Unpacked engine pack folder");
            var dir = chooser.showDialog(getScene().getWindow());
            if (dir != null) vm.install(dir.toPath());
        });
        var remove = new Button("Remove…");
        remove.setId("settings-engine-remove");
        var selected = list.getSelectionModel().selectedItemProperty();
        remove.disableProperty().bind(Bindings.createBooleanBinding(
                () -> selected.get() == null || selected.get().entry().builtIn(), selected));
        remove.setOnAction(_ -> {
            var row = selected.get();
            if (row == null) return;
            var confirm = new Alert(Alert.AlertType.CONFIRMATION, "Remove the engine " + row.name()
                    + "? Its files are deleted; models loaded on it keep running until unloaded.", ButtonType.CANCEL,
                    ButtonType.OK);
            confirm.setHeaderText("Remove " + row.name());
            confirm.initOwner(getScene().getWindow());
            confirm.showAndWait().filter(b -> b == ButtonType.OK).ifPresent(_ -> vm.remove(row));
        });
        var refresh = new Button("Check again");
        refresh.disableProperty().bind(busy);
        refresh.setOnAction(_ -> vm.refresh());
        var buttons = new HBox(8, installFile, installFolder, remove, refresh, checking);
        buttons.setAlignment(Pos.CENTER_LEFT);
        var message = new Label();
        message.setId("settings-engines-message");
        message.setWrapText(true);
        message.getStyleClass().add(Styles.TEXT_MUTED);
        message.textProperty().bind(vm.messageProperty());
        var guide = new Label(EnginesViewModel.GPU_GUIDE);
        guide.setWrapText(true);
        guide.getStyleClass().add(Styles.TEXT_MUTED);
        getChildren().addAll(heading, list, buttons, message, guide);
    }

    /// One engine: its name and build line, then its devices or why it is unavailable.
    private static final class EngineCell extends ListCell<EnginesViewModel.EngineRow> {
        @Override
        protected void updateItem(EnginesViewModel.EngineRow row, boolean empty) {
            super.updateItem(row, empty);
            if (empty || row == null) {
                setGraphic(null);
                setText(null);
                return;
            }
            var name = new Label(row.name());
            name.getStyleClass().add(Styles.TEXT_BOLD);
            var summary = new Label(row.summary());
            summary.getStyleClass().add(Styles.TEXT_MUTED);
            var status = new Label(row.status());
            status.setWrapText(true);
            if (row.probe() == EnginesViewModel.Probe.UNAVAILABLE) status.getStyleClass().add(Styles.DANGER);
            var box = new VBox(2, new HBox(8, name, summary), status);
            setText(null);
            setGraphic(box);
            setAccessibleText(row.name() + ", " + row.summary() + ". " + row.status());
        }
    }
}
