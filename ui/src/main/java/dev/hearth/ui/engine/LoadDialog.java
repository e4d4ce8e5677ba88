package dev.hearth.ui.engine;

import atlantafx.base.theme.Styles;
import dev.hearth.inference.gguf.KvCacheType;
import dev.hearth.inference.library.LocalModel;
import dev.hearth.inference.library.ModelFit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import javafx.util.StringConverter;
import org.jspecify.annotations.Nullable;

/// The load dialog: a model, the engine's load options, and the live memory estimate with its fit badge.
/// Opened from the Models section ("Load…") and from the chat, both through [#ask].
public final class LoadDialog extends Dialog<LoadRequest> {
    /// The Load button's type (its button has the id `load-confirm`).
    public static final ButtonType LOAD = new ButtonType("Load", ButtonBar.ButtonData.OK_DONE);
    private static final PseudoClass FITS = PseudoClass.getPseudoClass("fits");
    private static final PseudoClass PARTIAL = PseudoClass.getPseudoClass("partial");
    private static final PseudoClass CPU = PseudoClass.getPseudoClass("cpu");
    private static final PseudoClass TOO_LARGE = PseudoClass.getPseudoClass("too-large");

    public LoadDialog(LoadDialogViewModel vm) {
        setTitle("Load a model");
        setHeaderText("Load a model");
        setResizable(true);
        getDialogPane().getButtonTypes().setAll(LOAD, ButtonType.CANCEL);
        getDialogPane().setContent(new LoadOptionsView(vm));
        getDialogPane().setId("load-dialog");
        var load = getDialogPane().lookupButton(LOAD);
        load.setId("load-confirm");
        load.disableProperty().bind(vm.canLoadProperty().not());
        setResultConverter(button -> button == LOAD ? vm.request().orElse(null) : null);
        setOnHidden(_ -> vm.close());
        // the estimate and messages arrive after the dialog is shown: let the window grow to fit their lines
        javafx.beans.value.ChangeListener<String> grow = (_, _, _) -> javafx.application.Platform.runLater(() -> {
            var scene = getDialogPane().getScene();
            if (scene != null && scene.getWindow() != null && isShowing()) scene.getWindow().sizeToScene();
        });
        vm.estimateTextProperty().addListener(grow);
        vm.messageProperty().addListener(grow);
        vm.gpuNoteProperty().addListener(grow);
    }

    /// Shows the dialog over `owner` and waits: the request when the user pressed Load, else empty.
    public static Optional<LoadRequest> ask(@Nullable Window owner, LoadDialogViewModel vm) {
        var dialog = new LoadDialog(vm);
        if (owner != null) {
            dialog.initOwner(owner);
            if (owner.getScene() != null) dialog.getDialogPane().getStylesheets().setAll(owner.getScene().getStylesheets());
        }
        return dialog.showAndWait();
    }

    /// The dialog's content, usable on its own (a chat side panel can embed it).
    public static final class LoadOptionsView extends VBox {
        public LoadOptionsView(LoadDialogViewModel vm) {
            super(12);
            getStyleClass().add("load-options");
            setPadding(new Insets(8, 4, 8, 4));
            setPrefWidth(560);

            var model = new ComboBox<>(vm.models());
            model.setId("load-model");
            model.setMaxWidth(Double.MAX_VALUE);
            model.valueProperty().bindBidirectional(vm.modelProperty());
            model.setCellFactory(_ -> new ModelCell());
            model.setButtonCell(new ModelCell());
            model.setAccessibleText("Model");

            var engine = new ComboBox<>(vm.engines());
            engine.setId("load-engine");
            engine.setMaxWidth(Double.MAX_VALUE);
            engine.valueProperty().bindBidirectional(vm.engineProperty());
            engine.setConverter(new StringConverter<>() {
                @Override
                public String toString(dev.hearth.inference.pack.EngineCatalog.@Nullable Entry e) {
                    return e == null ? "" : e.name() + " — llama.cpp " + e.build() + " (" + String.join(", ", e.backends()) + ")";
                }

                @Override
                public dev.hearth.inference.pack.EngineCatalog.@Nullable Entry fromString(String s) {
                    return vm.engines().stream().filter(e -> s.startsWith(e.name() + " ")).findFirst().orElse(null);
                }
            });
            engine.setAccessibleText("Engine");
            var hasEngines = Bindings.isNotEmpty(vm.engines());

            var layers = new Slider(0, 1, 0);
            layers.setId("load-gpu-layers");
            layers.setMajorTickUnit(1);
            layers.setMinorTickCount(0);
            layers.setSnapToTicks(true);
            layers.setBlockIncrement(1);
            layers.maxProperty().bind(vm.layerCountProperty());
            layers.valueProperty().bindBidirectional(vm.gpuLayersProperty());
            layers.disableProperty().bind(vm.gpuAvailableProperty().not());
            layers.setAccessibleText("GPU layers");
            HBox.setHgrow(layers, Priority.ALWAYS);
            var layersValue = new Label();
            layersValue.setId("load-gpu-layers-value");
            layersValue.textProperty().bind(Bindings.createStringBinding(() -> {
                int n = vm.gpuLayersProperty().get();
                int max = vm.layerCountProperty().get();
                return n >= max ? "all (" + max + ")" : n + " of " + max;
            }, vm.gpuLayersProperty(), vm.layerCountProperty()));
            layersValue.setMinWidth(80);
            var all = new CheckBox("All");
            all.setId("load-gpu-all");
            all.disableProperty().bind(vm.gpuAvailableProperty().not());
            all.selectedProperty().bind(Bindings.createBooleanBinding(
                    () -> vm.gpuLayersProperty().get() >= vm.layerCountProperty().get(), vm.gpuLayersProperty(), vm.layerCountProperty()));
            all.setOnAction(_ -> vm.gpuLayersProperty().set(
                    vm.gpuLayersProperty().get() >= vm.layerCountProperty().get() ? 0 : vm.layerCountProperty().get()));
            var gpuNote = muted(vm.gpuNoteProperty().getValue());
            gpuNote.setId("load-gpu-note");
            gpuNote.setMinHeight(Label.USE_PREF_SIZE);
            gpuNote.textProperty().bind(vm.gpuNoteProperty());

            var context = new Spinner<Integer>();
            context.setId("load-context");
            context.setEditable(true);
            var contextValues = new SpinnerValueFactory.IntegerSpinnerValueFactory(1, Integer.MAX_VALUE, vm.contextSizeProperty().get(), 512);
            contextValues.maxProperty().bind(vm.maxContextProperty());
            contextValues.valueProperty().addListener((_, _, now) -> {
                if (now != null) vm.contextSizeProperty().set(now);
            });
            vm.contextSizeProperty().addListener((_, _, now) -> contextValues.setValue(now.intValue()));
            context.setValueFactory(contextValues);
            context.setAccessibleText("Context size in tokens");
            var contextMax = muted("");
            contextMax.textProperty().bind(Bindings.createStringBinding(
                    () -> String.format(Locale.ROOT, "tokens (trained on %,d)", vm.maxContextProperty().get()), vm.maxContextProperty()));

            var threads = new Spinner<Integer>(1, vm.maxThreads(), Math.min(vm.maxThreads(), vm.threadsProperty().get()));
            threads.setId("load-threads");
            threads.setEditable(true);
            threads.valueProperty().addListener((_, _, now) -> {
                if (now != null) vm.threadsProperty().set(now);
            });
            vm.threadsProperty().addListener((_, _, now) -> threads.getValueFactory().setValue(now.intValue()));
            threads.setAccessibleText("Threads");

            var flash = new CheckBox("Flash attention");
            flash.setId("load-flash");
            flash.selectedProperty().bindBidirectional(vm.flashAttentionProperty());
            var kv = new ComboBox<KvCacheType>();
            kv.getItems().setAll(LoadDialogViewModel.KV_CACHE_TYPES);
            kv.setId("load-kv");
            kv.valueProperty().bindBidirectional(vm.kvCacheTypeProperty());
            kv.setConverter(new StringConverter<>() {
                @Override
                public String toString(@Nullable KvCacheType t) {
                    return t == null ? "" : t.name().toLowerCase(Locale.ROOT);
                }

                @Override
                public KvCacheType fromString(String s) {
                    return KvCacheType.valueOf(s.toUpperCase(Locale.ROOT));
                }
            });
            kv.setAccessibleText("KV cache type");
            var kvNote = muted("q8_0 and q4_0 need flash attention");
            var mmap = new CheckBox("Map the file (mmap)");
            mmap.setId("load-mmap");
            mmap.selectedProperty().bindBidirectional(vm.mmapProperty());
            mmap.disableProperty().bind(Bindings.createBooleanBinding(
                    () -> vm.machineProperty().get() != null && !vm.machineProperty().get().mmap(), vm.machineProperty()));
            var mlock = new CheckBox("Lock in RAM (mlock)");
            mlock.setId("load-mlock");
            mlock.selectedProperty().bindBidirectional(vm.mlockProperty());
            mlock.disableProperty().bind(Bindings.createBooleanBinding(
                    () -> vm.machineProperty().get() != null && !vm.machineProperty().get().mlock(), vm.machineProperty()));

            var grid = new GridPane(12, 8);
            int row = 0;
            grid.addRow(row++, key("Model"), model);
            GridPane.setHgrow(model, Priority.ALWAYS);
            var engineKey = key("Engine");
            grid.addRow(row++, engineKey, engine);
            for (var n : List.of(engineKey, engine)) {
                n.visibleProperty().bind(hasEngines);
                n.managedProperty().bind(hasEngines);
            }
            grid.addRow(row++, key("GPU layers"), new HBox(8, layers, layersValue, all));
            grid.add(gpuNote, 1, row++);
            grid.addRow(row++, key("Context size"), new HBox(8, context, contextMax));
            grid.addRow(row++, key("Threads"), new HBox(8, threads, muted("default: physical cores")));
            grid.addRow(row++, key("Attention"), flash);
            grid.addRow(row++, key("KV cache"), new HBox(8, kv, kvNote));
            grid.addRow(row++, key("Memory"), new HBox(16, mmap, mlock));
            for (var node : grid.getChildren()) {
                if (node instanceof HBox box) box.setAlignment(Pos.CENTER_LEFT);
            }

            var badge = new Label();
            badge.setId("load-fit");
            badge.getStyleClass().addAll("fit-badge", Styles.TEXT_BOLD);
            badge.textProperty().bind(vm.fitLabelProperty());
            badge.visibleProperty().bind(vm.fitLabelProperty().isNotEmpty());
            vm.fitProperty().addListener((_, _, f) -> styleFit(badge, f));
            styleFit(badge, vm.fitProperty().get());
            var estimate = new Label();
            estimate.setId("load-estimate");
            estimate.setWrapText(true);
            estimate.setMinHeight(Label.USE_PREF_SIZE); // wrap instead of cutting the sum off
            estimate.textProperty().bind(vm.estimateTextProperty());
            var message = new Label();
            message.setId("load-message");
            message.setWrapText(true);
            message.setMinHeight(Label.USE_PREF_SIZE);
            message.getStyleClass().add("problem");
            message.textProperty().bind(vm.messageProperty());
            var estimateBox = new VBox(6, new HBox(8, key("Estimate"), badge), estimate, message);
            getChildren().addAll(grid, estimateBox);
        }

        private static void styleFit(Label badge, @Nullable ModelFit fit) {
            badge.pseudoClassStateChanged(FITS, fit instanceof ModelFit.FitsOnGpu);
            badge.pseudoClassStateChanged(PARTIAL, fit instanceof ModelFit.PartialOffload);
            badge.pseudoClassStateChanged(CPU, fit instanceof ModelFit.CpuOnly);
            badge.pseudoClassStateChanged(TOO_LARGE, fit instanceof ModelFit.TooLarge);
        }

        private static Label key(String text) {
            var label = new Label(text);
            label.getStyleClass().add("key");
            label.setMinWidth(Label.USE_PREF_SIZE);
            return label;
        }

        private static Label muted(String text) {
            var label = new Label(text);
            label.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
            label.setWrapText(true);
            return label;
        }
    }

    private static final class ModelCell extends ListCell<LocalModel> {
        @Override
        protected void updateItem(@Nullable LocalModel item, boolean empty) {
            super.updateItem(item, empty);
            setText(empty || item == null ? null : item.name() + (item.readOnly() ? "  (" + item.source().displayName() + ")" : ""));
        }
    }
}
