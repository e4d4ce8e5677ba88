package dev.hearth.ui.settings;

import org.jspecify.annotations.Nullable;
import javafx.stage.DirectoryChooser;
import javafx.scene.control.ListView;
import atlantafx.base.theme.Styles;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.util.StringConverter;

/// The Settings section: appearance, Hugging Face Hub, GPU library, defaults for new loads and chats, and the
/// session log. Each group has its own save button and its outcome line. Lays out, binds, forwards.
public final class SettingsView extends ScrollPane {

    public SettingsView(SettingsViewModel vm) {
        this(vm, null);
    }

    /// @param folders the model folders group; `null` leaves it out
    public SettingsView(SettingsViewModel vm, @Nullable ModelFoldersViewModel folders) {
        this(vm, folders, null);
    }

    /// @param engines the Engines group (installed engines, install, remove); `null` leaves it out
    public SettingsView(SettingsViewModel vm, @Nullable ModelFoldersViewModel folders, @Nullable EnginesViewModel engines) {
        getStyleClass().add("settings");
        setFitToWidth(true);
        var content = new VBox(20, appearance(vm), hub(vm), library(vm), defaults(vm), sessionLog(vm));
        if (engines != null) content.getChildren().add(3, new EnginesView(engines));
        if (folders != null) content.getChildren().add(1, modelFolders(folders));
        content.setPadding(new Insets(24));
        content.setMaxWidth(820);
        setContent(content);
    }

    private static VBox group(String title, Node... children) {
        var heading = new Label(title);
        heading.getStyleClass().add(Styles.TITLE_4);
        var box = new VBox(8, heading);
        box.getChildren().addAll(children);
        return box;
    }

    private static Label outcome(String id, ObservableValue<String> text) {
        var label = new Label();
        label.setId(id);
        label.setWrapText(true);
        label.getStyleClass().add(Styles.TEXT_MUTED);
        label.textProperty().bind(text);
        return label;
    }

    private static Node appearance(SettingsViewModel vm) {
        var theme = new ChoiceBox<Theme>();
        theme.setId("settings-theme");
        theme.getItems().setAll(Theme.values());
        theme.setConverter(new StringConverter<>() {
            @Override
            public String toString(Theme t) {
                return t == null ? "" : switch (t) {
                    case LIGHT -> "Light";
                    case DARK -> "Dark";
                    case SYSTEM -> "Follow system";
                };
            }

            @Override
            public Theme fromString(String s) {
                return Theme.SYSTEM;
            }
        });
        theme.setValue(vm.shell().themeProperty().get());
        vm.shell().themeProperty().addListener((_, _, now) -> theme.setValue(now));
        theme.valueProperty().addListener((_, _, now) -> {
            if (now != null) vm.shell().useTheme(now);
        });
        return group("Appearance", row("Theme", theme));
    }

    private static Node modelFolders(ModelFoldersViewModel vm) {
        var own = new Label("Hearth's models folder: " + vm.modelsDir() + " (downloads go here; always listed)");
        own.setWrapText(true);
        var list = new ListView<>(vm.folders());
        list.setId("settings-model-folders");
        list.setAccessibleText("Your model folders");
        list.setPrefHeight(110);
        list.setPlaceholder(new Label("No folders of your own yet."));
        var add = new Button("Add folder…");
        add.setId("settings-add-folder");
        add.setOnAction(_ -> {
            var chooser = new DirectoryChooser();
            chooser.setTitle("Add a folder of GGUF models");
            var dir = chooser.showDialog(add.getScene().getWindow());
            if (dir != null) vm.add(dir.toPath());
        });
        var remove = new Button("Remove");
        remove.setId("settings-remove-folder");
        remove.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull());
        remove.setOnAction(_ -> {
            var chosen = list.getSelectionModel().getSelectedItem();
            if (chosen != null) vm.remove(chosen);
        });
        return group("Model folders", own, list, new HBox(8, add, remove),
                outcome("settings-folders-message", vm.messageProperty()));
    }

    private static Node hub(SettingsViewModel vm) {
        var endpoint = new TextField();
        endpoint.setId("settings-endpoint");
        endpoint.setPromptText("https://huggingface.co");
        endpoint.textProperty().bindBidirectional(vm.endpointProperty());
        var saveEndpoint = new Button("Save endpoint");
        saveEndpoint.setOnAction(_ -> vm.saveEndpoint());
        var token = new PasswordField();
        token.setId("settings-token");
        token.setPromptText("hf_…");
        token.textProperty().bindBidirectional(vm.newTokenProperty());
        var saveToken = new Button("Save token");
        saveToken.setOnAction(_ -> vm.saveToken());
        var removeToken = new Button("Remove token");
        removeToken.setOnAction(_ -> vm.removeToken());
        var state = new Label();
        state.textProperty().bind(vm.tokenStateProperty());
        return group("Hugging Face Hub", row("Endpoint", endpoint, saveEndpoint), row("Token", token, saveToken, removeToken),
                state, outcome("settings-hub-message", vm.hubMessageProperty()));
    }

    private static Node library(SettingsViewModel vm) {
        var file = new TextField();
        file.setId("settings-library");
        file.setPromptText("Bundled CPU library");
        file.textProperty().bindBidirectional(vm.libraryProperty());
        var browse = new Button("Choose…");
        browse.setOnAction(_ -> {
            var chooser = new FileChooser();
            chooser.setTitle("llama.cpp library for a GPU build");
            var chosen = chooser.showOpenDialog(browse.getScene().getWindow());
            if (chosen != null) vm.libraryProperty().set(chosen.getAbsolutePath());
        });
        var test = new Button("Test");
        test.setId("settings-library-test");
        test.disableProperty().bind(vm.testingProperty());
        test.setOnAction(_ -> vm.testLibrary());
        var save = new Button("Save");
        save.setOnAction(_ -> vm.saveLibrary());
        var hint = new Label("A java-llama.cpp build of the same version with CUDA, Vulkan or Metal. Empty: the bundled CPU library.");
        hint.setWrapText(true);
        hint.getStyleClass().add(Styles.TEXT_MUTED);
        return group("Native library", row("Library file", file, browse, test, save), hint,
                outcome("settings-library-message", vm.libraryMessageProperty()));
    }

    private static Node defaults(SettingsViewModel vm) {
        var grid = new GridPane(12, 8);
        int r = 0;
        grid.addRow(r++, new Label("GPU layers"), field("settings-gpu-layers", vm.gpuLayersProperty()),
                new Label("Context size (0 = model's, capped)"), field("settings-context", vm.contextSizeProperty()));
        var flash = new CheckBox("Flash attention");
        flash.selectedProperty().bindBidirectional(vm.flashAttentionProperty());
        grid.addRow(r++, new Label("Threads (0 = cores)"), field("settings-threads", vm.threadsProperty()), flash);
        grid.addRow(r++, new Label("Temperature"), field("settings-temperature", vm.temperatureProperty()),
                new Label("Top-k"), field("settings-top-k", vm.topKProperty()));
        grid.addRow(r++, new Label("Top-p"), field("settings-top-p", vm.topPProperty()),
                new Label("Min-p"), field("settings-min-p", vm.minPProperty()));
        grid.addRow(r, new Label("Repeat penalty"), field("settings-repeat", vm.repeatPenaltyProperty()),
                new Label("Max tokens"), field("settings-max-tokens", vm.maxTokensProperty()));
        var save = new Button("Save defaults");
        save.setId("settings-save-defaults");
        save.getStyleClass().add(Styles.ACCENT);
        save.setOnAction(_ -> vm.saveDefaults());
        var reset = new Button("Hearth's defaults");
        reset.setOnAction(_ -> vm.resetDefaults());
        var buttons = new HBox(8, save, reset);
        return group("Defaults for new loads and chats", grid, buttons,
                outcome("settings-defaults-message", vm.defaultsMessageProperty()));
    }

    private static TextField field(String id, StringProperty value) {
        var field = new TextField();
        field.setId(id);
        field.setPrefColumnCount(7);
        field.textProperty().bindBidirectional(value);
        return field;
    }

    private static Node sessionLog(SettingsViewModel vm) {
        var location = new TextField(vm.database().toString());
        location.setEditable(false);
        HBox.setHgrow(location, Priority.ALWAYS);
        var size = new Label();
        size.setId("settings-log-size");
        size.textProperty().bind(vm.logSizeProperty());
        var vacuum = new Button("Vacuum");
        vacuum.disableProperty().bind(vm.logBusyProperty());
        vacuum.setOnAction(_ -> vm.vacuum());
        var purge = new Button("Purge deleted");
        purge.disableProperty().bind(vm.logBusyProperty());
        purge.setOnAction(_ -> vm.purgeDeleted());
        return group("Session log", row("Location", location), row("Size", size, vacuum, purge),
                outcome("settings-log-message", vm.logMessageProperty()));
    }

    private static HBox row(String label, Node... nodes) {
        var name = new Label(label);
        name.setMinWidth(110);
        var row = new HBox(8, name);
        row.setAlignment(Pos.CENTER_LEFT);
        row.getChildren().addAll(nodes);
        for (var n : nodes) if (n instanceof TextField) HBox.setHgrow(n, Priority.ALWAYS);
        return row;
    }
}
