package dev.hearth.ui.history;

import atlantafx.base.theme.Styles;
import dev.hearth.storage.Generation;
import dev.hearth.storage.GenerationStats;
import dev.hearth.storage.GenerationStatus;
import dev.hearth.storage.Project;
import dev.hearth.storage.Session;
import dev.hearth.ui.inspector.HeatmapLegend;
import dev.hearth.ui.inspector.TokenHeatmapView;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.collections.ListChangeListener;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.util.StringConverter;
import org.jspecify.annotations.Nullable;

/// The History section: filters and search on top, the table of generations on the left, and on the right the
/// selected generation's run record, tokens, Replay and Compare.
public final class HistoryView extends BorderPane {
    private static final String CSS =
            Objects.requireNonNull(HistoryView.class.getResource("history.css"), "history.css").toExternalForm();
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneId.systemDefault());

    private final HistoryViewModel vm;
    private final TableView<HistoryRow> table = new TableView<>();
    private final TabPane tabs = new TabPane();
    private final Tab compareTab;

    public HistoryView(HistoryViewModel vm) {
        this.vm = vm;
        getStyleClass().add("history-view");
        getStylesheets().add(CSS);
        setTop(filters());
        table.setId("history-table");
        table.setItems(vm.rows());
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.getColumns().setAll(columns());
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        var message = new Label();
        message.getStyleClass().add("history-message");
        message.textProperty().bind(vm.messageProperty());
        table.setPlaceholder(message);
        table.getSelectionModel().getSelectedItems().addListener((ListChangeListener<HistoryRow>) _ ->
                vm.select(new ArrayList<>(table.getSelectionModel().getSelectedItems())));

        compareTab = new Tab("Compare", new ComparisonView(vm.comparisonProperty()));
        tabs.getTabs().setAll(new Tab("Run record", runRecord()), new Tab("Tokens", tokens()), compareTab);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        var detail = new BorderPane(tabs);
        detail.setTop(actions());
        var split = new SplitPane(table, detail);
        split.setOrientation(Orientation.HORIZONTAL);
        split.setDividerPositions(0.55);
        setCenter(split);
        vm.refresh();
    }

    private FlowPane filters() {
        var search = new TextField();
        search.setId("history-search");
        search.setPromptText("Search prompts and answers");
        search.setPrefColumnCount(22);
        search.textProperty().bindBidirectional(vm.searchTextProperty());
        search.setOnAction(_ -> vm.refresh());

        var model = new ComboBox<String>(vm.models());
        model.setPromptText("All models");
        model.valueProperty().bindBidirectional(vm.modelProperty());

        var session = new ComboBox<Session>(vm.sessions());
        session.setPromptText("All sessions");
        session.setConverter(converter(s -> s.title() + " (#" + s.id() + ")"));
        session.valueProperty().bindBidirectional(vm.sessionProperty());

        var project = new ComboBox<Project>(vm.projects());
        project.setPromptText("All projects");
        project.setConverter(converter(Project::name));
        project.valueProperty().bindBidirectional(vm.projectProperty());
        // only there when some session belongs to a project
        project.visibleProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(vm.projects()));
        project.managedProperty().bind(project.visibleProperty());

        var status = new ComboBox<GenerationStatus>();
        status.getItems().setAll(GenerationStatus.values());
        status.setPromptText("Any status");
        status.setConverter(converter(GenerationStatus::code));
        status.valueProperty().bindBidirectional(vm.statusProperty());

        var from = new DatePicker();
        from.setPromptText("From");
        from.setPrefWidth(130);
        from.valueProperty().bindBidirectional(vm.fromProperty());
        var to = new DatePicker();
        to.setPromptText("To");
        to.setPrefWidth(130);
        to.valueProperty().bindBidirectional(vm.toProperty());

        var min = speedField("min tok/s", vm.minTokensPerSecondProperty());
        var max = speedField("max tok/s", vm.maxTokensPerSecondProperty());
        min.setOnAction(_ -> vm.refresh());
        max.setOnAction(_ -> vm.refresh());

        for (var p : List.of(vm.modelProperty(), vm.sessionProperty(), vm.projectProperty(), vm.statusProperty(),
                vm.fromProperty(), vm.toProperty()))
            p.addListener((_, _, _) -> vm.refresh());

        var go = new Button("Search");
        go.setId("history-search-button");
        go.getStyleClass().add(Styles.ACCENT);
        go.setOnAction(_ -> vm.refresh());
        var clear = new Button("Clear");
        clear.setOnAction(_ -> {
            min.clear();
            max.clear();
            vm.clearFilters();
        });
        var bar = new FlowPane(8, 8, search, go, model, session, project, status, from, to, min, max, clear);
        bar.setPadding(new Insets(8));
        return bar;
    }

    private static TextField speedField(String prompt, ObjectProperty<@Nullable Double> value) {
        var field = new TextField();
        field.setPromptText(prompt);
        field.setPrefColumnCount(6);
        field.textProperty().addListener((_, _, text) -> {
            var t = text.strip();
            Double parsed = null;
            boolean bad = false;
            if (!t.isEmpty()) {
                try {
                    parsed = Double.parseDouble(t);
                } catch (NumberFormatException e) {
                    bad = true;
                }
            }
            field.pseudoClassStateChanged(Styles.STATE_DANGER, bad);
            value.set(parsed);
        });
        return field;
    }

    private static <T> StringConverter<T> converter(Function<T, String> show) {
        return new StringConverter<>() {
            @Override
            public String toString(@Nullable T t) {
                return t == null ? "" : show.apply(t);
            }

            @Override
            public T fromString(String s) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private List<TableColumn<HistoryRow, ?>> columns() {
        var time = column("Time", 140, g -> TIME.format(g.run().startedAt()));
        var model = column("Model", 120, g -> g.run().modelName());
        var excerpt = new TableColumn<HistoryRow, HistoryRow>("Prompt / match");
        excerpt.setPrefWidth(280);
        excerpt.setCellValueFactory(c -> new SimpleObjectProperty<>(c.getValue()));
        excerpt.setCellFactory(_ -> new ExcerptCell());
        excerpt.setSortable(false);
        var tokens = column("Tokens", 60, g -> Integer.toString(g.tokenCount()));
        var speed = column("tok/s", 60, g -> stat(g.stats(), GenerationStats::tokensPerSecond));
        var ttft = column("TTFT ms", 70, g -> stat(g.stats(), GenerationStats::ttftMs));
        var stop = column("Stop", 80, g -> Objects.requireNonNullElse(g.stopReason(), ""));
        var status = column("Status", 80, g -> g.status().code());
        return List.of(time, model, excerpt, tokens, speed, ttft, stop, status);
    }

    private static TableColumn<HistoryRow, String> column(String title, double width, Function<Generation, String> value) {
        var c = new TableColumn<HistoryRow, String>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(cell -> new SimpleStringProperty(value.apply(cell.getValue().generation())));
        return c;
    }

    private static String stat(@Nullable GenerationStats s, Function<GenerationStats, Double> f) {
        return s == null ? "" : String.format(Locale.ROOT, "%.1f", f.apply(s));
    }

    private VBox actions() {
        var replay = new Button("Replay");
        replay.setId("history-replay");
        replay.setOnAction(_ -> vm.replay());
        replay.disableProperty().bind(vm.detailProperty().isNull()
                .or(vm.replayStateProperty().isEqualTo(HistoryViewModel.ReplayState.RUNNING)));
        var cancel = new Button("Cancel");
        cancel.setId("history-replay-cancel");
        cancel.setOnAction(_ -> vm.cancelReplay());
        cancel.visibleProperty().bind(vm.replayStateProperty().isEqualTo(HistoryViewModel.ReplayState.RUNNING));
        cancel.managedProperty().bind(cancel.visibleProperty());
        var progress = new ProgressBar();
        progress.progressProperty().bind(vm.replayProgressProperty());
        progress.visibleProperty().bind(cancel.visibleProperty());
        progress.managedProperty().bind(cancel.visibleProperty());
        var replayMessage = new Label();
        replayMessage.setId("history-replay-message");
        replayMessage.getStyleClass().add("history-replay");
        replayMessage.setWrapText(true);
        replayMessage.textProperty().bind(vm.replayMessageProperty());
        vm.replayStateProperty().addListener((_, _, state) -> {
            for (var s : HistoryViewModel.ReplayState.values()) {
                replayMessage.pseudoClassStateChanged(PseudoClass.getPseudoClass(s.name().toLowerCase(Locale.ROOT)), s == state);
            }
        });

        var compare = new Button("Compare");
        compare.setId("history-compare");
        compare.setOnAction(_ -> {
            vm.compare();
            if (vm.comparisonProperty().get() != null) tabs.getSelectionModel().select(compareTab);
        });
        var compareMessage = new Label();
        compareMessage.getStyleClass().add("history-message");
        compareMessage.textProperty().bind(vm.compareMessageProperty());

        var export = new MenuButton("Export");
        export.setId("history-export");
        export.getItems().setAll(
                exportItem("Selection as Markdown…", HistoryViewModel.ExportFormat.MARKDOWN, false),
                exportItem("Selection as JSONL…", HistoryViewModel.ExportFormat.JSONL, false),
                exportItem("Session as Markdown…", HistoryViewModel.ExportFormat.MARKDOWN, true),
                exportItem("Session as JSONL…", HistoryViewModel.ExportFormat.JSONL, true));
        var exportMessage = new Label();
        exportMessage.getStyleClass().add("history-message");
        exportMessage.textProperty().bind(vm.exportMessageProperty());

        var open = new Button("Open session");
        open.setId("history-open-session");
        open.setOnAction(_ -> vm.openSession());
        open.disableProperty().bind(vm.detailProperty().isNull());
        var buttons = new HBox(8, replay, cancel, progress, compare, export, open);
        var box = new VBox(4, buttons, replayMessage, compareMessage, exportMessage);
        for (var label : List.of(compareMessage, exportMessage)) {
            label.managedProperty().bind(label.textProperty().isNotEmpty());
        }
        replayMessage.managedProperty().bind(replayMessage.textProperty().isNotEmpty());
        box.setPadding(new Insets(8));
        return box;
    }

    private MenuItem exportItem(String title, HistoryViewModel.ExportFormat format, boolean session) {
        var item = new MenuItem(title);
        item.setOnAction(_ -> {
            var chooser = new FileChooser();
            chooser.setTitle("Export " + (session ? "session" : "selected generations"));
            var ext = format == HistoryViewModel.ExportFormat.MARKDOWN ? "md" : "jsonl";
            chooser.setInitialFileName("hearth-history." + ext);
            chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(ext.toUpperCase(Locale.ROOT), "*." + ext));
            var file = chooser.showSaveDialog(getScene() == null ? null : getScene().getWindow());
            if (file != null) vm.export(file.toPath(), format, session);
        });
        return item;
    }

    private ScrollPane runRecord() {
        var grid = new GridPane(12, 4);
        grid.setPadding(new Insets(8));
        var prompt = new TextArea();
        prompt.setEditable(false);
        prompt.setWrapText(true);
        prompt.setPrefRowCount(8);
        prompt.setId("history-prompt");
        var output = new TextArea();
        output.setEditable(false);
        output.setWrapText(true);
        output.setPrefRowCount(8);
        output.setId("history-output");
        var copy = new Button("Copy prompt");
        copy.setOnAction(_ -> {
            var content = new ClipboardContent();
            content.putString(prompt.getText());
            Clipboard.getSystemClipboard().setContent(content);
        });
        var fields = new VBox(4);
        vm.detailProperty().addListener((_, _, d) -> {
            grid.getChildren().clear();
            if (d == null) {
                prompt.clear();
                output.clear();
                return;
            }
            var g = d.generation();
            var run = g.run();
            int r = 0;
            for (var e : fieldsOf(g).entrySet()) {
                var name = new Label(e.getKey());
                name.getStyleClass().add(Styles.TEXT_MUTED);
                var value = new Label(e.getValue());
                value.setWrapText(true);
                grid.addRow(r++, name, value);
            }
            prompt.setText(run.prompt());
            output.setText(g.output());
        });
        fields.getChildren().setAll(grid, new HBox(8, new Label("Rendered prompt"), copy), prompt,
                new Label("Output"), output);
        fields.setPadding(new Insets(8));
        var scroll = new ScrollPane(fields);
        scroll.setFitToWidth(true);
        return scroll;
    }

    private static Map<String, String> fieldsOf(Generation g) {
        var run = g.run();
        var m = new java.util.LinkedHashMap<String, String>();
        m.put("Generation", g.id() + "  (" + g.uuid() + ")");
        m.put("Model", run.modelPath());
        m.put("SHA-256", Objects.requireNonNullElse(run.modelSha256(), "not recorded"));
        m.put("Library", run.nativeBuild());
        m.put("Engine", run.engine());
        m.put("Load options", join(run.loadOptions()));
        m.put("Sampling", join(run.sampling()));
        m.put("Seed", Long.toString(run.seed()));
        m.put("Prompt tokens", Integer.toString(run.promptTokens()));
        m.put("Started", TIME.format(run.startedAt()));
        m.put("Ended", g.endedAt() == null ? "—" : TIME.format(g.endedAt()));
        m.put("Status", g.status().code() + (g.failureReason() == null ? "" : ": " + g.failureReason()));
        m.put("Stop reason", Objects.requireNonNullElse(g.stopReason(), "—"));
        var s = g.stats();
        if (s != null) {
            m.put("Speed", String.format(Locale.ROOT, "%.1f tok/s generating, %.1f tok/s prompt, TTFT %.0f ms",
                    s.tokensPerSecond(), s.promptTokensPerSecond(), s.ttftMs()));
        }
        return m;
    }

    private static String join(Map<String, Object> map) {
        var sb = new StringBuilder();
        map.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append('=').append(v));
        return sb.isEmpty() ? "—" : sb.toString();
    }

    private VBox tokens() {
        var heatmap = new TokenHeatmapView(TokenHeatmapView.Sizing.SCROLL);
        vm.detailProperty().addListener((_, _, d) -> {
            heatmap.hideAlternatives();
            if (d == null) heatmap.clear();
            else heatmap.setTokens(d.tokens());
        });
        VBox.setVgrow(heatmap, Priority.ALWAYS);
        var box = new VBox(8, new HeatmapLegend(heatmap.modeProperty()), heatmap);
        box.setPadding(new Insets(8));
        return box;
    }

    /// Hides the token popup (a popup open when the toolkit exits crashes glass; see the stack notes).
    public void hidePopups() {
        for (var node : lookupAll(".token-heatmap")) if (node instanceof TokenHeatmapView h) h.hideAlternatives();
    }
}
