package dev.hearth.ui.compare;

import atlantafx.base.theme.Styles;
import dev.hearth.inference.Sampling;
import dev.hearth.ui.engine.LoadRequest;
import dev.hearth.ui.history.Comparison;
import dev.hearth.ui.inspector.HeatmapLegend;
import dev.hearth.ui.inspector.HeatmapMode;
import dev.hearth.ui.inspector.TokenHeatmapView;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import javafx.stage.FileChooser;
import org.jspecify.annotations.Nullable;

/// The Compare section: the experiment's setup (prompt, values, variants, repeats, scheduling) above, the outputs side
/// by side in the middle (one column per variant, one row per value set and repeat), the word diff and the summary
/// table below.
public final class CompareView extends BorderPane {
    private static final String CSS = Objects.requireNonNull(CompareView.class.getResource("compare.css")).toExternalForm();
    private static final PseudoClass FAILED = PseudoClass.getPseudoClass("failed");

    private final CompareViewModel vm;
    private final GridPane grid = new GridPane(8, 8);
    private final VBox variantEditors = new VBox(6);
    private final TableView<VariantSummary> summary = new TableView<>();
    private final TextFlow diff = new TextFlow();
    private final ChoiceBox<Integer> left = new ChoiceBox<>();
    private final ChoiceBox<Integer> right = new ChoiceBox<>();
    private final ChoiceBox<Integer> diffRow = new ChoiceBox<>();

    /// @param chooseModel asks for a model file and its load options (the load dialog), from the node clicked
    public CompareView(CompareViewModel vm, Function<Node, Optional<LoadRequest>> chooseModel) {
        this.vm = vm;
        getStylesheets().add(CSS);
        getStyleClass().add("compare");

        // ---- setup
        var name = new TextField();
        name.textProperty().bindBidirectional(vm.nameProperty());
        name.setPromptText("Experiment name");
        var prompt = new TextArea();
        prompt.textProperty().bindBidirectional(vm.promptProperty());
        prompt.setPromptText("Prompt, with {{variables}}");
        prompt.setPrefRowCount(3);
        prompt.setWrapText(true);
        var variables = new Label();
        variables.getStyleClass().add("compare-variables");
        variables.textProperty().bind(Bindings.createStringBinding(() -> {
            var names = new PromptTemplate(vm.promptProperty().get()).variables();
            return names.isEmpty() ? "No variables: one row." : "Values, one row per line: " + String.join(" | ", names);
        }, vm.promptProperty()));
        var values = new TextArea();
        values.textProperty().bindBidirectional(vm.valuesProperty());
        values.setPromptText("Paris | winter");
        values.setPrefRowCount(3);
        var addVariant = new Button("Add variant…");
        addVariant.setOnAction(_ -> chooseModel.apply(addVariant).ifPresent(request -> vm.variants().add(new CompareVariant(
                "Variant " + (vm.variants().size() + 1), request, Sampling.DEFAULT.withSeed(1).withMaxTokens(256)
                        .withTopLogprobs(5), ""))));
        addVariant.disableProperty().bind(Bindings.size(vm.variants()).greaterThanOrEqualTo(CompareViewModel.MAX_VARIANTS));
        vm.variants().addListener((ListChangeListener<CompareVariant>) c -> {
            boolean structural = false;
            while (c.next()) structural |= !c.wasReplaced();
            if (structural) rebuildEditors();
        });
        rebuildEditors();
        var repeats = new Spinner<Integer>(1, CompareViewModel.MAX_REPEATS, 1);
        repeats.getValueFactory().valueProperty().addListener((_, _, n) -> vm.repeatsProperty().set(n));
        vm.repeatsProperty().addListener((_, _, n) -> repeats.getValueFactory().setValue(n.intValue()));
        repeats.setPrefWidth(80);
        var scheduling = new ChoiceBox<ExperimentPlan.Scheduling>();
        scheduling.getItems().setAll(ExperimentPlan.Scheduling.values());
        scheduling.valueProperty().bindBidirectional(vm.schedulingProperty());
        scheduling.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(ExperimentPlan.@Nullable Scheduling s) {
                return s == null ? "" : s == ExperimentPlan.Scheduling.CONCURRENT ? "Models concurrently (threads split)"
                        : "Models one after another";
            }

            @Override
            public ExperimentPlan.Scheduling fromString(String s) {
                throw new UnsupportedOperationException();
            }
        });
        var run = new Button("Run");
        run.getStyleClass().add(Styles.ACCENT);
        run.setDefaultButton(true);
        run.disableProperty().bind(vm.stateProperty().isNotEqualTo(CompareViewModel.State.IDLE));
        run.setOnAction(_ -> vm.run());
        var cancel = new Button("Cancel all");
        cancel.disableProperty().bind(vm.stateProperty().isEqualTo(CompareViewModel.State.IDLE));
        cancel.setOnAction(_ -> vm.cancelAll());
        var open = new javafx.scene.control.ComboBox<dev.hearth.storage.Experiment>(vm.saved());
        open.setId("compare-open");
        open.setPromptText("Saved experiments");
        open.setAccessibleText("Reopen a saved experiment");
        open.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(dev.hearth.storage.@org.jspecify.annotations.Nullable Experiment e) {
                return e == null ? "" : "#" + e.id() + " " + e.name() + " · " + e.variants(e.latestRevision()).size()
                        + " variants" + (e.latestRevision() > 1 ? " · " + e.latestRevision() + " revisions" : "") + " · "
                        + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
                                .format(e.createdAt().atZone(java.time.ZoneId.systemDefault()));
            }

            @Override
            public dev.hearth.storage.Experiment fromString(String s) {
                throw new UnsupportedOperationException("chosen from the list");
            }
        });
        open.setOnShowing(_ -> vm.refreshSaved());
        open.setOnAction(_ -> {
            var chosen = open.getValue();
            if (chosen != null) vm.open(chosen.id());
        });
        var experiment = new Label();
        experiment.textProperty().bind(Bindings.createStringBinding(() -> vm.experimentIdProperty().get() == null ? ""
                : "Experiment #" + vm.experimentIdProperty().get(), vm.experimentIdProperty()));
        var exportMd = new Button("Export Markdown…");
        exportMd.setOnAction(_ -> save(exportMd, "experiment.md", vm::markdown));
        var exportCsv = new Button("Export CSV…");
        exportCsv.setOnAction(_ -> save(exportCsv, "summary.csv", vm::csv));
        var exportJsonl = new Button("Export JSONL…");
        exportJsonl.setOnAction(_ -> save(exportJsonl, "experiment.jsonl", vm::jsonl));
        for (var b : new Button[] {exportMd, exportCsv, exportJsonl}) b.disableProperty().bind(Bindings.isEmpty(vm.columns()));
        var notice = new Label();
        notice.textProperty().bind(vm.noticeProperty());
        notice.getStyleClass().add(Styles.DANGER);
        // the memory check's answer, where Run was pressed: run one after another, or not at all
        var memorySentence = new Label();
        memorySentence.setWrapText(true);
        memorySentence.getStyleClass().add(Styles.WARNING);
        var oneAfterAnother = new Button("Run one after another");
        oneAfterAnother.setOnAction(_ -> vm.runOneAfterAnother());
        var dismiss = new Button("Cancel");
        dismiss.setOnAction(_ -> vm.dismissMemoryProblem());
        var memory = new HBox(8, memorySentence, oneAfterAnother, dismiss);
        memory.setId("compare-memory");
        memory.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        Runnable showMemory = () -> {
            var problem = vm.memoryProblemProperty().get();
            memory.setVisible(problem != null);
            memory.setManaged(problem != null);
            memorySentence.setText(problem == null ? "" : problem.sentence());
            oneAfterAnother.setVisible(problem != null && problem.oneAfterAnotherFits());
            oneAfterAnother.setManaged(oneAfterAnother.isVisible());
        };
        vm.memoryProblemProperty().addListener((_, _, _) -> showMemory.run());
        showMemory.run();
        var actions = new HBox(8, new Label("Repeat"), repeats, scheduling, run, cancel);
        actions.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        var newExperiment = new Button("New");
        newExperiment.setTooltip(new javafx.scene.control.Tooltip("Start a new, empty experiment"));
        newExperiment.setOnAction(_ -> vm.newExperiment());
        var duplicate = new Button("Duplicate");
        duplicate.setTooltip(new javafx.scene.control.Tooltip(
                "A new experiment with this prompt, these values and variants (no outputs yet)"));
        duplicate.setOnAction(_ -> vm.duplicate());
        for (var b : new Button[] {newExperiment, duplicate}) {
            b.disableProperty().bind(vm.stateProperty().isNotEqualTo(CompareViewModel.State.IDLE));
        }
        var revision = new ChoiceBox<Integer>(vm.revisions());
        revision.setId("compare-revision");
        revision.setAccessibleText("Show an earlier run of this experiment");
        revision.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(@Nullable Integer r) {
                return r == null ? "" : "Revision " + r + (r.equals(vm.revisions().isEmpty() ? null : vm.revisions().getLast())
                        ? " (latest)" : "");
            }

            @Override
            public Integer fromString(String s) {
                throw new UnsupportedOperationException("chosen from the list");
            }
        });
        revision.visibleProperty().bind(Bindings.size(vm.revisions()).greaterThan(1));
        revision.managedProperty().bind(revision.visibleProperty());
        vm.revisionProperty().addListener((_, _, r) -> revision.setValue(r.intValue() == 0 ? null : r.intValue()));
        revision.setOnAction(_ -> {
            var chosen = revision.getValue();
            if (chosen != null && chosen != vm.revisionProperty().get()) vm.openRevision(chosen);
        });
        var files = new HBox(8, experiment, revision, newExperiment, duplicate, exportMd, exportCsv, exportJsonl, open);
        files.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        for (var n : java.util.List.<javafx.scene.layout.Region>of(run, cancel, exportMd, exportCsv, exportJsonl, open,
                newExperiment, duplicate, oneAfterAnother, dismiss)) {
            n.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        }
        var texts = new HBox(8, new VBox(4, name, prompt), new VBox(4, variables, values));
        texts.getChildren().forEach(n -> HBox.setHgrow(n, Priority.ALWAYS));
        var setup = new VBox(6, texts, new HBox(8, addVariant, new Label("Variants share an engine when model and load"
                + " options are equal.")), variantEditors, actions, memory, files, notice);
        setup.setPadding(new Insets(8));

        // ---- outputs
        var outputs = new ScrollPane(grid);
        outputs.setFitToWidth(true);
        grid.setPadding(new Insets(8));
        vm.columns().addListener((ListChangeListener<CompareViewModel.Column>) _ -> rebuildGrid());

        // ---- comparison
        summary.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        summary.getColumns().setAll(java.util.List.of(
                column("Variant", VariantSummary::label),
                column("Outputs", s -> String.valueOf(s.outputs())),
                column("Mean tokens", s -> fmt("%.1f", s.meanTokens())),
                column("Mean logprob", s -> fmt("%.3f", s.meanLogprob())),
                column("Perplexity", s -> fmt("%.2f", s.perplexity())),
                column("tok/s median (min–max)", s -> fmt("%.1f", s.tokensPerSecondMedian()) + " ("
                        + fmt("%.1f", s.tokensPerSecondMin()) + "–" + fmt("%.1f", s.tokensPerSecondMax()) + ")"),
                column("TTFT median", s -> fmt("%.0f ms", s.ttftMedianMs())),
                column("👍 / 👎", s -> s.thumbsUp() + " / " + s.thumbsDown())));
        summary.setPrefHeight(150);
        vm.stateProperty().addListener((_, _, _) -> summary.getItems().setAll(vm.summary()));
        var showDiff = new Button("Diff");
        showDiff.setOnAction(_ -> showDiff());
        var diffBar = new HBox(8, new Label("Word diff"), left, new Label("→"), right, new Label("row"), diffRow, showDiff);
        diffBar.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        var compare = new VBox(6, diffBar, new ScrollPane(diff), summary);
        compare.setPadding(new Insets(8));

        var split = new SplitPane(outputs, compare);
        split.setOrientation(javafx.geometry.Orientation.VERTICAL);
        split.setDividerPositions(0.6);
        setTop(setup);
        setCenter(split);
    }

    private static String fmt(String pattern, double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, pattern, v);
    }

    private static TableColumn<VariantSummary, String> column(String title, Function<VariantSummary, String> value) {
        var c = new TableColumn<VariantSummary, String>(title);
        c.setCellValueFactory(d -> new javafx.beans.property.ReadOnlyStringWrapper(value.apply(d.getValue())));
        return c;
    }

    private void rebuildEditors() {
        variantEditors.getChildren().clear();
        for (int i = 0; i < vm.variants().size(); i++) variantEditors.getChildren().add(editor(i));
    }

    /// One variant's fields; a change that parses replaces the variant, one that does not marks its field.
    private Node editor(int index) {
        var v = vm.variants().get(index);
        var label = new TextField(v.label());
        label.setPrefColumnCount(10);
        var model = new Label(v.load().model().getFileName() + (v.load().engine() != null ? " on " + v.load().engine() : ""));
        model.getStyleClass().add(Styles.TEXT_MUTED);
        var temperature = new TextField(String.valueOf(v.sampling().temperature()));
        var topK = new TextField(String.valueOf(v.sampling().topK()));
        var seed = new TextField(String.valueOf(v.sampling().seed()));
        var maxTokens = new TextField(String.valueOf(v.sampling().maxTokens()));
        var system = new TextField(v.systemPrompt());
        system.setPromptText("System prompt");
        HBox.setHgrow(system, Priority.ALWAYS);
        for (var f : new TextField[] {temperature, topK, seed, maxTokens}) f.setPrefColumnCount(5);
        Runnable apply = () -> {
            boolean ok = true;
            var now = vm.variants().get(index);
            var s = now.sampling();
            try {
                s = s.withTemperature(Double.parseDouble(temperature.getText().strip()));
                temperature.pseudoClassStateChanged(Styles.STATE_DANGER, false);
            } catch (IllegalArgumentException e) {
                temperature.pseudoClassStateChanged(Styles.STATE_DANGER, ok = false);
            }
            try {
                s = s.withTopK(Integer.parseInt(topK.getText().strip()));
                topK.pseudoClassStateChanged(Styles.STATE_DANGER, false);
            } catch (IllegalArgumentException e) {
                topK.pseudoClassStateChanged(Styles.STATE_DANGER, ok = false);
            }
            try {
                s = s.withSeed(Long.parseLong(seed.getText().strip()));
                seed.pseudoClassStateChanged(Styles.STATE_DANGER, false);
            } catch (IllegalArgumentException e) {
                seed.pseudoClassStateChanged(Styles.STATE_DANGER, ok = false);
            }
            try {
                s = s.withMaxTokens(Integer.parseInt(maxTokens.getText().strip()));
                maxTokens.pseudoClassStateChanged(Styles.STATE_DANGER, false);
            } catch (IllegalArgumentException e) {
                maxTokens.pseudoClassStateChanged(Styles.STATE_DANGER, ok = false);
            }
            label.pseudoClassStateChanged(Styles.STATE_DANGER, label.getText().isBlank());
            if (ok && !label.getText().isBlank()) {
                vm.variants().set(index, new CompareVariant(label.getText().strip(), now.load(), s, system.getText()));
            }
        };
        for (var f : new TextField[] {label, temperature, topK, seed, maxTokens, system}) {
            f.textProperty().addListener((_, _, _) -> apply.run());
        }
        var remove = new Button("Remove");
        remove.setOnAction(_ -> vm.variants().remove(index));
        var row = new HBox(6, label, model, new Label("temp"), temperature, new Label("top-k"), topK, new Label("seed"),
                seed, new Label("max"), maxTokens, system, remove);
        row.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        return row;
    }

    private void rebuildGrid() {
        grid.getChildren().clear();
        grid.getColumnConstraints().clear();
        var columns = vm.columns();
        for (int i = 0; i < columns.size(); i++) {
            var cc = new javafx.scene.layout.ColumnConstraints();
            cc.setPercentWidth(100.0 / columns.size());
            grid.getColumnConstraints().add(cc);
            grid.add(header(columns.get(i)), i, 0);
            int r = 1;
            for (var cell : columns.get(i).cells()) grid.add(cellView(columns.get(i), cell), i, r++);
        }
        var indices = new java.util.ArrayList<Integer>();
        for (int i = 0; i < columns.size(); i++) indices.add(i + 1);
        left.getItems().setAll(indices);
        right.getItems().setAll(indices);
        if (indices.size() >= 2) {
            left.setValue(1);
            right.setValue(2);
        }
        var rows = new java.util.ArrayList<Integer>();
        for (int i = 0; i < vm.rows().size(); i++) rows.add(i + 1);
        diffRow.getItems().setAll(rows);
        if (!rows.isEmpty()) diffRow.setValue(1);
        diff.getChildren().clear();
        summary.getItems().setAll(vm.summary());
    }

    private Node header(CompareViewModel.Column c) {
        var v = c.variant();
        var title = new Label(v.label());
        title.getStyleClass().add(Styles.TITLE_4);
        var detail = new Label(v.load().model().getFileName()
                + (v.load().engine() != null ? " · " + v.load().engine() : "") + " · temp " + v.sampling().temperature() + " · seed "
                + v.sampling().seed());
        detail.getStyleClass().add(Styles.TEXT_MUTED);
        var cancel = new Button("Cancel");
        cancel.disableProperty().bind(c.stateProperty().isEqualTo(CompareViewModel.State.IDLE));
        cancel.setOnAction(_ -> vm.cancel(c));
        var rerun = new Button("Re-run");
        rerun.disableProperty().bind(c.stateProperty().isEqualTo(CompareViewModel.State.RUNNING));
        rerun.setOnAction(_ -> vm.rerun(c));
        return new VBox(2, title, detail, new HBox(6, cancel, rerun));
    }

    private Node cellView(CompareViewModel.Column column, CompareCell cell) {
        var box = outputView(column, cell);
        var continued = new VBox(4);
        continued.getStyleClass().add("compare-continuations");
        Runnable showContinued = () -> continued.getChildren().setAll(cell.continuations().stream()
                .map(k -> continuationView(column, k)).toList());
        cell.continuations().addListener((ListChangeListener<CompareCell>) _ -> showContinued.run());
        showContinued.run();
        return new VBox(4, box, continued);
    }

    /// A continuation under the output it came from (and its own continuations under it).
    private Node continuationView(CompareViewModel.Column column, CompareCell k) {
        var from = k.continuedFrom();
        var title = new Label(from == null ? "Continued" : "Continued at token " + (from.tokenIndex() + 1) + " with “"
                + from.token() + "”");
        title.getStyleClass().add(Styles.TEXT_SMALL);
        var box = new VBox(2, title, cellView(column, k));
        box.getStyleClass().add("compare-continuation");
        box.setPadding(new Insets(0, 0, 0, 16));
        return box;
    }

    private VBox outputView(CompareViewModel.Column column, CompareCell cell) {
        var text = new TextArea();
        text.setEditable(false);
        text.setWrapText(true);
        text.setPrefRowCount(6);
        text.textProperty().bind(cell.textProperty());
        var heatmap = new TokenHeatmapView();
        heatmap.setTokens(cell.tokens());
        heatmap.setOnContinue((tokenIndex, alternative) -> vm.continueWith(cell, tokenIndex, alternative));
        cell.onTokens(heatmap::appendTokens);
        cell.stateProperty().addListener((_, _, s) -> {
            if (s == CompareCell.State.STREAMING || s == CompareCell.State.WAITING) heatmap.clear();
            if (s != CompareCell.State.STREAMING && s != CompareCell.State.WAITING
                    && heatmap.getTokens().size() != cell.tokens().size()) {
                heatmap.setTokens(cell.tokens()); // a reopened output
            }
        });
        var legend = new HeatmapLegend(heatmap.modeProperty());
        heatmap.setMode(HeatmapMode.PROBABILITY);
        var body = new StackPane(text);
        var toggle = new ToggleButton("Heatmap");
        toggle.selectedProperty().addListener((_, _, on) -> body.getChildren().setAll(on ? new VBox(4, legend, heatmap) : text));
        var stats = new Label();
        stats.getStyleClass().add("compare-stats");
        stats.textProperty().bind(cell.statsLineProperty());
        stats.setWrapText(true);
        var up = new ToggleButton("👍");
        up.setTooltip(new javafx.scene.control.Tooltip("A good output"));
        var down = new ToggleButton("👎");
        down.setTooltip(new javafx.scene.control.Tooltip("A bad output"));
        Runnable showRating = () -> {
            var r = cell.ratingProperty().get();
            up.setSelected(r != null && r > 0);
            down.setSelected(r != null && r < 0);
        };
        cell.ratingProperty().addListener((_, _, _) -> showRating.run());
        showRating.run();
        up.setOnAction(_ -> vm.rate(cell, up.isSelected() ? 1 : 0));
        down.setOnAction(_ -> vm.rate(cell, down.isSelected() ? -1 : 0));
        for (var b : new ToggleButton[] {up, down}) {
            b.disableProperty().bind(Bindings.createBooleanBinding(() -> cell.generationId() == null
                    || cell.state() == CompareCell.State.STREAMING, cell.stateProperty()));
        }
        var where = new Label(cell.continuedFrom() != null ? "Continuation" : "Row " + (cell.row() + 1)
                + (vm.repeatsProperty().get() > 1 || column.cells().stream().anyMatch(x -> x.repeat() > 0)
                        ? " · repeat " + (cell.repeat() + 1) : ""));
        where.getStyleClass().add(Styles.TEXT_MUTED);
        var note = new TextField();
        note.setPromptText("Note (Enter saves)");
        cell.noteProperty().addListener((_, _, n) -> note.setText(n));
        note.setText(cell.noteProperty().get());
        note.setOnAction(_ -> vm.note(cell, note.getText()));
        note.disableProperty().bind(up.disableProperty());
        var box = new VBox(4, new HBox(6, where, toggle, up, down), body, stats, note);
        box.getStyleClass().add("compare-cell");
        cell.stateProperty().addListener((_, _, s) -> box.pseudoClassStateChanged(FAILED, s == CompareCell.State.FAILED));
        box.pseudoClassStateChanged(FAILED, cell.state() == CompareCell.State.FAILED);
        return box;
    }

    private void showDiff() {
        var l = left.getValue();
        var r = right.getValue();
        var row = diffRow.getValue();
        diff.getChildren().clear();
        if (l == null || r == null || row == null) return;
        for (var piece : vm.diff(l - 1, r - 1, row - 1, 0)) {
            var t = new Text(piece.text());
            t.getStyleClass().add(switch (piece.change()) {
                case EQUAL -> "compare-diff-equal";
                case DELETE -> "compare-diff-delete";
                case INSERT -> "compare-diff-insert";
            });
            diff.getChildren().add(t);
        }
    }

    private void save(Node owner, String fileName, Supplier<String> content) {
        var chooser = new FileChooser();
        chooser.setInitialFileName(fileName);
        var window = owner.getScene() == null ? null : owner.getScene().getWindow();
        var file = chooser.showSaveDialog(window);
        if (file == null) return;
        try {
            Files.writeString(file.toPath(), content.get());
        } catch (IOException e) {
            var alert = new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.ERROR,
                    "The file could not be written: " + e.getMessage());
            alert.showAndWait();
        }
    }

}
