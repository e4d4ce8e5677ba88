package dev.hearth.ui.engine;

import atlantafx.base.theme.Styles;
import dev.hearth.ui.Units;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Separator;
import javafx.geometry.Orientation;
import javafx.scene.layout.HBox;
import org.controlsfx.control.StatusBar;

/// The status bar's part for loaded models: one item per model with its name, memory and state, a progress bar and
/// Cancel while loading, Unload, and Reload after a failure.
public final class LoadedModelsStatus {
    private LoadedModelsStatus() {}

    /// Keeps `bar`'s right items in step with `models`.
    public static void attach(StatusBar bar, LoadedModels models) {
        Runnable sync = () -> {
            bar.getRightItems().clear();
            for (var model : models.models()) {
                if (!bar.getRightItems().isEmpty()) bar.getRightItems().add(new Separator(Orientation.VERTICAL));
                bar.getRightItems().add(item(model, models));
            }
        };
        models.models().addListener((ListChangeListener<LoadedModel>) _ -> sync.run());
        sync.run();
    }

    static Node item(LoadedModel model, LoadedModels models) {
        var name = new Label(model.name());
        name.getStyleClass().add(Styles.TEXT_BOLD);
        var engine = new Label(model.engineName().map(n -> "on " + n).orElse(""));
        engine.getStyleClass().add(Styles.TEXT_MUTED);
        engine.setManaged(model.engineName().isPresent());
        var memory = new Label();
        memory.textProperty().bind(Bindings.createStringBinding(
                () -> model.memoryBytesProperty().get() > 0 ? Units.bytes(model.memoryBytesProperty().get()) : "",
                model.memoryBytesProperty()));
        var state = new Label();
        state.getStyleClass().add(Styles.TEXT_MUTED);
        state.textProperty().bind(Bindings.createStringBinding(() -> switch (model.state()) {
            case LOADING -> model.messageProperty().get();
            case READY -> "ready";
            case GENERATING -> "generating";
            case FAILED -> model.messageProperty().get();
            case UNLOADED -> "unloaded";
        }, model.stateProperty(), model.messageProperty()));
        var progress = new ProgressBar();
        progress.setPrefWidth(80);
        progress.progressProperty().bind(model.progressProperty());
        var loading = model.stateProperty().isEqualTo(LoadedModel.State.LOADING);
        progress.visibleProperty().bind(loading);
        progress.managedProperty().bind(loading);
        var cancel = button("Cancel", "Cancel loading " + model.name());
        cancel.visibleProperty().bind(loading);
        cancel.managedProperty().bind(loading);
        cancel.setOnAction(_ -> models.cancelLoad(model));
        var unload = button("Unload", "Unload " + model.name());
        unload.visibleProperty().bind(loading.not());
        unload.managedProperty().bind(loading.not());
        unload.disableProperty().bind(model.stateProperty().isEqualTo(LoadedModel.State.GENERATING));
        unload.setOnAction(_ -> models.unload(model));
        var failed = model.stateProperty().isEqualTo(LoadedModel.State.FAILED);
        var reload = button("Reload", "Reload " + model.name() + " in a fresh engine");
        reload.visibleProperty().bind(failed);
        reload.managedProperty().bind(failed);
        reload.setOnAction(_ -> models.reload(model));
        var box = new HBox(6, name, engine, memory, state, progress, cancel, reload, unload);
        box.setAlignment(Pos.CENTER_LEFT);
        box.getStyleClass().add("loaded-model");
        box.setAccessibleText("Loaded model " + model.name() + model.engineName().map(n -> " on engine " + n).orElse(""));
        return box;
    }

    private static Button button(String text, String accessible) {
        var b = new Button(text);
        b.getStyleClass().addAll(Styles.SMALL, Styles.FLAT);
        b.setAccessibleText(accessible);
        return b;
    }
}
