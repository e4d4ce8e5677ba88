package dev.hearth.ui.metrics;

import atlantafx.base.theme.Styles;
import dev.hearth.storage.ThroughputQuery.Bucket;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.cell.CheckBoxListCell;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.util.StringConverter;

/// The Metrics section: the chart of the chosen figure over time with the lines the user picked, the runs table
/// with medians, p90s and efficiency against the memory-bandwidth ceiling, and the per-token latency of one
/// generation. Lays out, binds, forwards.
public final class MetricsView extends BorderPane {
    private final MetricsViewModel vm;
    private final LineChart<Number, Number> chart;

    public MetricsView(MetricsViewModel vm) {
        this.vm = vm;
        getStyleClass().add("metrics");
        getStylesheets().add(java.util.Objects.requireNonNull(MetricsView.class.getResource("metrics.css"), "metrics.css")
                .toExternalForm());

        var metric = new ChoiceBox<Metric>();
        metric.getItems().setAll(Metric.values());
        metric.valueProperty().bindBidirectional(vm.metricProperty());
        metric.setId("metrics-metric");
        var bucket = new ChoiceBox<Bucket>();
        bucket.getItems().setAll(Bucket.HOUR, Bucket.DAY, Bucket.WEEK);
        bucket.setConverter(new StringConverter<>() {
            @Override
            public String toString(Bucket b) {
                return b == null ? "" : "Per " + b.name().toLowerCase(Locale.ROOT);
            }

            @Override
            public Bucket fromString(String s) {
                return Bucket.DAY;
            }
        });
        bucket.valueProperty().bindBidirectional(vm.bucketProperty());
        var bySampling = new CheckBox("Per parameter set");
        bySampling.selectedProperty().bindBidirectional(vm.bySamplingProperty());
        var refresh = new Button("Refresh");
        refresh.setOnAction(_ -> vm.refresh());
        var export = new MenuButton("Export");
        export.setId("metrics-export");
        var tableCsv = new MenuItem("Runs table as CSV…");
        tableCsv.setOnAction(_ -> saveCsv("metrics-runs.csv", vm.tableCsv()));
        var seriesCsv = new MenuItem("Chart data as CSV…");
        seriesCsv.setOnAction(_ -> saveCsv("metrics-series.csv", vm.seriesCsv()));
        var png = new MenuItem("Chart as PNG…");
        png.setOnAction(_ -> savePng());
        export.getItems().addAll(tableCsv, seriesCsv, png);
        var message = new Label();
        message.getStyleClass().add(Styles.TEXT_MUTED);
        message.textProperty().bind(vm.messageProperty());
        var spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        var toolbar = new HBox(8, metric, bucket, bySampling, refresh, export, spacer, message);
        toolbar.setAlignment(Pos.CENTER_LEFT);

        var bandwidth = new Label();
        bandwidth.setId("metrics-bandwidth");
        bandwidth.setWrapText(true);
        bandwidth.textProperty().bind(vm.bandwidthTextProperty());
        HBox.setHgrow(bandwidth, Priority.ALWAYS);
        var measure = new Button("Measure again");
        measure.setId("metrics-measure");
        measure.setMinWidth(Region.USE_PREF_SIZE);
        measure.disableProperty().bind(vm.measuringProperty());
        measure.setOnAction(_ -> vm.measureAgain());
        var bandwidthRow = new HBox(8, bandwidth, measure);
        bandwidthRow.setAlignment(Pos.CENTER_LEFT);

        var top = new VBox(8, toolbar, bandwidthRow);
        top.setPadding(new Insets(12));
        setTop(top);

        var choices = new ListView<>(vm.seriesChoices());
        choices.setId("metrics-series");
        choices.setCellFactory(CheckBoxListCell.forListView(SeriesChoice::shownProperty));
        choices.setPrefWidth(240);

        var time = new NumberAxis();
        time.setForceZeroInRange(false);
        time.setTickLabelFormatter(new StringConverter<>() {
            private final DateTimeFormatter format =
                    DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT).withZone(ZoneId.systemDefault());

            @Override
            public String toString(Number n) {
                return format.format(Instant.ofEpochMilli(n.longValue()));
            }

            @Override
            public Number fromString(String s) {
                return 0;
            }
        });
        var value = new NumberAxis();
        value.labelProperty().bind(vm.metricProperty().map(Metric::label));
        chart = new LineChart<>(time, value);
        chart.setId("metrics-chart");
        chart.setAnimated(false);
        chart.setCreateSymbols(false);
        vm.chart().addListener((ListChangeListener<ChartSeries>) _ -> draw());
        draw();
        var empty = new Label();
        empty.getStyleClass().add(Styles.TEXT_MUTED);
        empty.textProperty().bind(vm.stateProperty().map(s -> switch (s) {
            case LOADING -> "Reading the session log…";
            case EMPTY -> "No finished generations in the session log yet.";
            case READY, FAILED -> "";
        }));
        var chartBox = new VBox(4, empty, chart);
        VBox.setVgrow(chart, Priority.ALWAYS);
        var upper = new SplitPane(choices, chartBox);
        upper.setDividerPositions(0.22);

        var tabs = new TabPane(new Tab("Runs", table(vm)), new Tab("Per-token latency", latency(vm)));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        var split = new SplitPane(upper, tabs);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.55);
        setCenter(split);
    }

    private void draw() {
        var data = new java.util.ArrayList<XYChart.Series<Number, Number>>();
        for (var s : vm.chart()) {
            var series = new XYChart.Series<Number, Number>();
            series.setName(s.label());
            for (var p : s.points()) series.getData().add(new XYChart.Data<>(p.epochMillis(), p.value()));
            data.add(series);
        }
        chart.getData().setAll(data);
        for (int i = 0; i < data.size(); i++) {
            var node = data.get(i).getNode();
            if (node != null) node.pseudoClassStateChanged(CEILING, vm.chart().get(i).ceiling());
        }
    }

    private static final javafx.css.PseudoClass CEILING = javafx.css.PseudoClass.getPseudoClass("ceiling");

    private static TableView<RunGroup> table(MetricsViewModel vm) {
        var table = new TableView<>(vm.groups());
        table.setId("metrics-runs");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().add(text("Model", RunGroup::model));
        table.getColumns().add(text("Parameters", g -> g.params() == null ? "" : g.params()));
        table.getColumns().add(text("Runs", g -> Integer.toString(g.runs())));
        table.getColumns().add(number("Gen tok/s median", RunGroup::tokensPerSecondMedian, "%.1f"));
        table.getColumns().add(number("p90", RunGroup::tokensPerSecondP90, "%.1f"));
        table.getColumns().add(number("Prompt tok/s median", RunGroup::promptTokensPerSecondMedian, "%.1f"));
        table.getColumns().add(number("p90", RunGroup::promptTokensPerSecondP90, "%.1f"));
        table.getColumns().add(number("TTFT ms median", RunGroup::ttftMsMedian, "%.0f"));
        table.getColumns().add(number("p90", RunGroup::ttftMsP90, "%.0f"));
        table.getColumns().add(number("Ceiling tok/s", RunGroup::ceilingTokensPerSecond, "%.1f"));
        table.getColumns().add(number("Efficiency", g -> 100 * g.efficiency(), "%.0f %%"));
        table.setPlaceholder(new Label("No finished generations yet."));
        return table;
    }

    private static TableColumn<RunGroup, String> text(String title, Function<RunGroup, String> value) {
        var column = new TableColumn<RunGroup, String>(title);
        column.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(value.apply(c.getValue())));
        return column;
    }

    private static TableColumn<RunGroup, String> number(String title, java.util.function.ToDoubleFunction<RunGroup> value,
            String format) {
        return text(title, g -> {
            double v = value.applyAsDouble(g);
            return Double.isFinite(v) ? String.format(Locale.ROOT, format, v) : "—";
        });
    }

    private static VBox latency(MetricsViewModel vm) {
        var pick = new ComboBox<>(vm.generations());
        pick.setId("metrics-generation");
        pick.valueProperty().bindBidirectional(vm.generationProperty());
        pick.setPromptText("Generation");
        pick.setMaxWidth(Double.MAX_VALUE);
        var summary = new Label();
        summary.setId("metrics-latency-summary");
        summary.textProperty().bind(vm.latencySummaryProperty());
        var x = new NumberAxis();
        x.setLabel("Token");
        var y = new NumberAxis();
        y.setLabel("ms since the previous token");
        var chart = new LineChart<>(x, y);
        chart.setId("metrics-latency");
        chart.setAnimated(false);
        chart.setCreateSymbols(false);
        chart.setLegendVisible(false);
        Runnable draw = () -> {
            var series = new XYChart.Series<Number, Number>();
            var ms = vm.latencyProperty().get().millis();
            for (int i = 0; i < ms.size(); i++) {
                if (Double.isFinite(ms.get(i))) series.getData().add(new XYChart.Data<>(i, ms.get(i)));
            }
            chart.getData().setAll(java.util.List.of(series));
        };
        vm.latencyProperty().addListener((_, _, _) -> draw.run());
        draw.run();
        var box = new VBox(8, pick, summary, chart);
        VBox.setVgrow(chart, Priority.ALWAYS);
        box.setPadding(new Insets(8));
        return box;
    }

    private void saveCsv(String name, String csv) {
        var file = choose(name, "CSV", "*.csv");
        if (file != null) vm.export(csv, file);
    }

    private void savePng() {
        var file = choose("metrics-chart.png", "PNG image", "*.png");
        if (file == null) return;
        vm.exportImage(ChartImage.snapshot(chart), file);
    }

    private @org.jspecify.annotations.Nullable Path choose(String name, String kind, String pattern) {
        var chooser = new FileChooser();
        chooser.setInitialFileName(name);
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(kind, pattern));
        var file = chooser.showSaveDialog(getScene() == null ? null : getScene().getWindow());
        return file == null ? null : file.toPath();
    }

    /// The chart as drawn (for tests and the PNG export).
    LineChart<Number, Number> chart() {
        return chart;
    }
}
