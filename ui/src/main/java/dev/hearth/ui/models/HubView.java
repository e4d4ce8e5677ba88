package dev.hearth.ui.models;

import atlantafx.base.theme.Styles;
import dev.hearth.inference.hub.ModelSummary;
import dev.hearth.inference.hub.SearchSort;
import dev.hearth.ui.Units;
import java.util.Locale;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.jspecify.annotations.Nullable;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/// The Hub tab: a search field with its sort order, the matching repositories, and the selected repository's models
/// with quantisation, size, fit badge and a Download button each.
public final class HubView extends BorderPane {

    public HubView(HubViewModel vm) {
        getStyleClass().add("hub-view");
        var query = new TextField();
        query.setId("hub-query");
        query.setPromptText("Search GGUF models on the Hub (e.g. qwen, llama 3, phi)");
        query.setAccessibleText("Search the Hub");
        query.textProperty().bindBidirectional(vm.queryProperty());
        query.setOnAction(_ -> vm.search());
        HBox.setHgrow(query, Priority.ALWAYS);
        var sort = new ComboBox<SearchSort>();
        sort.setId("hub-sort");
        sort.getItems().setAll(HubViewModel.sorts());
        sort.valueProperty().bindBidirectional(vm.sortProperty());
        sort.setAccessibleText("Sort by");
        sort.setConverter(new StringConverter<>() {
            @Override
            public String toString(@Nullable SearchSort s) {
                return s == null ? "" : switch (s) {
                    case DOWNLOADS -> "Most downloads";
                    case LIKES -> "Most likes";
                    case UPDATED -> "Recently updated";
                    case TRENDING -> "Trending";
                };
            }

            @Override
            public SearchSort fromString(String s) {
                return SearchSort.DOWNLOADS;
            }
        });
        var search = new Button("Search", new FontIcon(Feather.SEARCH));
        search.setId("hub-search");
        search.setDefaultButton(false);
        search.setOnAction(_ -> vm.search());
        search.disableProperty().bind(vm.stateProperty().isEqualTo(HubViewModel.State.SEARCHING));
        var bar = new HBox(8, query, sort, search);
        bar.setAlignment(Pos.CENTER_LEFT);
        var message = new Label();
        message.setId("hub-message");
        message.setWrapText(true);
        message.textProperty().bind(vm.messageProperty());
        vm.stateProperty().addListener((_, _, s) -> message.pseudoClassStateChanged(FAILED, s == HubViewModel.State.FAILED));
        var top = new VBox(6, bar, message);
        top.setPadding(new Insets(12, 16, 8, 16));
        setTop(top);

        var results = new ListView<>(vm.results());
        results.setId("hub-results");
        results.setPlaceholder(new Label("No results yet"));
        results.setCellFactory(_ -> new RepoCell());
        results.getSelectionModel().selectedItemProperty().addListener((_, _, now) -> vm.selectedProperty().set(now));

        var filesMessage = new Label();
        filesMessage.setId("hub-files-message");
        filesMessage.setWrapText(true);
        filesMessage.textProperty().bind(vm.filesMessageProperty());
        vm.filesStateProperty().addListener((_, _, s) -> filesMessage.pseudoClassStateChanged(FAILED, s == HubViewModel.State.FAILED));
        var hint = new Label("Fit by file size against free memory; the KV cache is counted in the load dialog.");
        hint.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        hint.setWrapText(true);
        var files = new TableView<>(vm.variants());
        files.setId("hub-files");
        files.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        files.setPlaceholder(new Label("Choose a repository to see its models"));
        files.getColumns().addAll(
                column("File", r -> r.variant().name() + (r.variant().isSplit() ? "  (" + r.variant().files().size() + " parts)" : "")),
                column("Quant", r -> r.variant().quant() == null ? "–" : r.variant().quant()),
                column("Size", r -> Units.bytes(r.variant().totalBytes())),
                column("Fit", HubViewModel.VariantRow::fitLabel),
                downloadColumn(vm));
        VBox.setVgrow(files, Priority.ALWAYS);
        var right = new VBox(6, filesMessage, hint, files);
        right.setPadding(new Insets(0, 8, 8, 8));
        var split = new SplitPane(results, right);
        split.setDividerPositions(0.35);
        setCenter(split);
    }

    private static final javafx.css.PseudoClass FAILED = javafx.css.PseudoClass.getPseudoClass("failed");

    private static TableColumn<HubViewModel.VariantRow, String> column(String name, Function<HubViewModel.VariantRow, String> value) {
        var column = new TableColumn<HubViewModel.VariantRow, String>(name);
        column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
        return column;
    }

    private static TableColumn<HubViewModel.VariantRow, String> downloadColumn(HubViewModel vm) {
        var column = new TableColumn<HubViewModel.VariantRow, String>("");
        column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue().variant().name()));
        column.setCellFactory(_ -> new TableCell<>() {
            private final Button button = new Button("Download", new FontIcon(Feather.DOWNLOAD));

            {
                button.getStyleClass().add(Styles.SMALL);
                button.setOnAction(_ -> {
                    var row = getTableRow().getItem();
                    if (row != null) vm.download(row);
                });
            }

            @Override
            protected void updateItem(@Nullable String item, boolean empty) {
                super.updateItem(item, empty);
                var row = empty ? null : getTableRow().getItem();
                if (row == null) {
                    setGraphic(null);
                    return;
                }
                button.setId("hub-download-" + item);
                button.setDisable(!row.downloadable());
                button.setAccessibleText("Download " + item);
                button.setTooltip(new Tooltip(!row.variant().complete() ? "Some parts of this split set are missing on the Hub"
                        : row.variant().isProjector() ? "A multimodal projector, not a model on its own" : "Download " + item));
                setGraphic(button);
            }
        });
        return column;
    }

    private static final class RepoCell extends ListCell<ModelSummary> {
        @Override
        protected void updateItem(@Nullable ModelSummary item, boolean empty) {
            super.updateItem(item, empty);
            if (empty || item == null) {
                setText(null);
                setGraphic(null);
                return;
            }
            setText(null);
            var name = new Label(item.repo().toString());
            name.getStyleClass().add(Styles.TEXT_BOLD);
            var facts = new Label(String.format(Locale.ROOT, "↓ %s · ♥ %s%s%s", Units.count(item.downloads()), Units.count(item.likes()),
                    item.lastModified() == null ? "" : " · updated " + item.lastModified().toString().substring(0, 10),
                    item.isGated() ? " · gated" : ""));
            facts.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
            setGraphic(new VBox(2, name, facts));
            setAccessibleText(item.repo() + ", " + item.downloads() + " downloads, " + item.likes() + " likes");
        }
    }
}
