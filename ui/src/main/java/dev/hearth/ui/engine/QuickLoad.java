package dev.hearth.ui.engine;

import dev.hearth.inference.LoadOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import javafx.scene.Node;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceDialog;
import javafx.stage.FileChooser;

/// The chat's "Load model…" until the load dialog is plugged in: pick a model from the library (or a file), loaded
/// with [LoadOptions#DEFAULT].
public final class QuickLoad {
    private QuickLoad() {}

    /// Asks for a model among `library` (or any GGUF file) and hands the request to `load`.
    public static void ask(Node owner, List<Path> library, Consumer<LoadRequest> load) {
        var window = owner.getScene() == null ? null : owner.getScene().getWindow();
        if (!library.isEmpty()) {
            var dialog = new ChoiceDialog<>(library.getFirst(), library);
            dialog.setTitle("Load model");
            dialog.setHeaderText("Load a model from the library");
            dialog.setContentText("Model:");
            var browse = new ButtonType("Other file…", ButtonBar.ButtonData.LEFT);
            dialog.getDialogPane().getButtonTypes().add(browse);
            if (window != null) dialog.initOwner(window);
            dialog.setResultConverter(button -> button == ButtonType.OK ? dialog.getSelectedItem()
                    : button == browse ? Path.of("") : null);
            var picked = dialog.showAndWait();
            if (picked.isEmpty()) return;
            if (!picked.get().toString().isEmpty()) {
                load.accept(new LoadRequest(picked.get(), LoadOptions.DEFAULT));
                return;
            }
        }
        var chooser = new FileChooser();
        chooser.setTitle("Load a GGUF model");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("GGUF models", "*.gguf"));
        var file = chooser.showOpenDialog(window);
        if (file != null) load.accept(new LoadRequest(file.toPath(), LoadOptions.DEFAULT));
    }
}
