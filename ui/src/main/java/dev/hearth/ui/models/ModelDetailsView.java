package dev.hearth.ui.models;

import atlantafx.base.theme.Styles;
import dev.hearth.inference.gguf.KvCacheType;
import dev.hearth.inference.gguf.ModelInfo;
import dev.hearth.ui.Units;
import java.util.Locale;
import java.util.stream.Collectors;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.jspecify.annotations.Nullable;

/// Everything the GGUF file says about one model, with the memory it needs; or why the file is unusable.
public final class ModelDetailsView extends ScrollPane {
    private final VBox content = new VBox(12);

    public ModelDetailsView(ObservableValue<@Nullable ModelEntry> entry) {
        setId("model-details");
        getStyleClass().add("model-details");
        setFitToWidth(true);
        content.setPadding(new Insets(16));
        setContent(content);
        show(entry.getValue());
        entry.addListener((_, _, now) -> show(now));
    }

    private void show(@Nullable ModelEntry entry) {
        content.getChildren().clear();
        if (entry == null) {
            var hint = new Label("Select a model to see its details, or drop a .gguf file here.");
            hint.setWrapText(true);
            hint.getStyleClass().add(Styles.TEXT_MUTED);
            content.getChildren().add(hint);
            return;
        }
        var info = entry.info();
        var title = new Label(info != null && info.name() != null ? info.name() : entry.fileName());
        title.setId("model-details-title");
        title.getStyleClass().add(Styles.TITLE_3);
        title.setWrapText(true);
        var path = new Label(entry.path().toString());
        path.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        path.setWrapText(true);
        content.getChildren().addAll(title, path);
        if (info == null) {
            var problem = new Label(entry.problem());
            problem.setId("model-details-problem");
            problem.getStyleClass().add("problem");
            problem.setWrapText(true);
            content.getChildren().add(problem);
            return;
        }
        content.getChildren().add(facts(entry, info));
        if (info.chatTemplate() != null) {
            var template = new TextArea(info.chatTemplate());
            template.setEditable(false);
            template.setWrapText(true);
            template.setPrefRowCount(10);
            template.getStyleClass().add("chat-template");
            var pane = new TitledPane("Chat template (" + info.chatTemplate().length() + " characters)", template);
            pane.setExpanded(false);
            content.getChildren().add(pane);
        }
    }

    private static GridPane facts(ModelEntry entry, ModelInfo info) {
        var grid = new GridPane(16, 6);
        grid.setId("model-details-facts");
        int ctx = contextFor(info);
        row(grid, "Architecture", ModelsView.orDash(info.architecture()));
        row(grid, "Parameters", Units.count(info.parameterCount()) + String.format(Locale.ROOT, " (%,d)", info.parameterCount()));
        row(grid, "File type", info.fileType());
        row(grid, "Tensor types", info.tensorTypes().entrySet().stream()
                .map(e -> e.getKey() + " × " + e.getValue().tensors() + " (" + Units.bytes(e.getValue().bytes()) + ")")
                .collect(Collectors.joining(", ")));
        row(grid, "Training context", number(info.contextLength()) + " tokens");
        row(grid, "Embedding length", number(info.embeddingLength()));
        row(grid, "Layers", number(info.blockCount()));
        row(grid, "Attention heads", number(info.headCount()) + " (key/value heads: " + number(info.headCountKv()) + ")");
        row(grid, "Vocabulary", number(info.vocabularySize()) + " tokens, "
                + ModelsView.orDash(info.tokenizerModel()) + " tokenizer");
        row(grid, "Special tokens", info.specialTokens().isEmpty() ? "–" : info.specialTokens().stream()
                .map(t -> t.role().toUpperCase(Locale.ROOT) + " " + (t.text() == null ? "?" : t.text()) + " (" + t.id() + ")")
                .collect(Collectors.joining(", ")));
        row(grid, "Chat template", info.hasChatTemplate() ? "yes" : "none in the file");
        row(grid, "Weights", Units.bytes(info.weightsBytes()));
        row(grid, "KV cache at " + number(ctx) + " tokens",
                "f16 " + Units.bytes(info.kvCacheBytes(ctx, KvCacheType.F16))
                        + " · q8_0 " + Units.bytes(info.kvCacheBytes(ctx, KvCacheType.Q8_0))
                        + " · q4_0 " + Units.bytes(info.kvCacheBytes(ctx, KvCacheType.Q4_0)));
        row(grid, "Memory (weights + f16 KV)", Units.bytes(info.estimatedMemoryBytes(ctx, KvCacheType.F16)));
        row(grid, "File size", Units.bytes(entry.sizeBytes()));
        return grid;
    }

    static int contextFor(ModelInfo info) {
        return ModelFiles.defaultContext(info);
    }

    private static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static void row(GridPane grid, String key, String value) {
        var k = new Label(key);
        k.getStyleClass().add("key");
        k.setMinWidth(Region.USE_PREF_SIZE); // keys stay whole; values wrap
        GridPane.setValignment(k, javafx.geometry.VPos.TOP);
        var v = new Label(value);
        v.setWrapText(true);
        v.setAccessibleText(key + ": " + value);
        int row = grid.getRowCount();
        grid.add(k, 0, row);
        grid.add(v, 1, row);
    }
}
