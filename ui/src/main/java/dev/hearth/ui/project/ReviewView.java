package dev.hearth.ui.project;

import atlantafx.base.theme.Styles;
import dev.hearth.inference.project.edit.EditHunk;
import dev.hearth.inference.project.edit.FileChange;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.jspecify.annotations.Nullable;

/// The review of an answer's edits: the files on the left, the selected file's hunks in the middle (each a small
/// diff with an Accept box), what could not be applied on top (with "Send as follow-up"), and Apply / Undo below.
public final class ReviewView extends BorderPane {
    private final ReviewViewModel vm;
    private final VBox hunks = new VBox(10);

    public ReviewView(ReviewViewModel vm) {
        this.vm = vm;
        getStyleClass().add("review");
        var css = ReviewView.class.getResource("review.css");
        if (css != null) getStylesheets().add(css.toExternalForm());

        var fileList = new ListView<>(vm.files());
        fileList.setId("review-files");
        fileList.setAccessibleText("Files the answer changes");
        fileList.setCellFactory(_ -> new ListCell<>() {
            @Override
            protected void updateItem(ReviewViewModel.@Nullable FileItem item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : item.label());
            }
        });
        fileList.setPlaceholder(new Label("No file to change."));
        fileList.getSelectionModel().selectedItemProperty().addListener((_, _, item) -> {
            if (item != null) vm.selectedProperty().set(item);
        });
        vm.selectedProperty().addListener((_, _, item) -> {
            if (item != null && fileList.getSelectionModel().getSelectedItem() != item) fileList.getSelectionModel().select(item);
            showHunks(item);
        });
        vm.stateProperty().addListener((_, _, _) -> {
            fileList.refresh();
            showHunks(vm.selectedProperty().get());
        });
        if (vm.selectedProperty().get() != null) fileList.getSelectionModel().select(vm.selectedProperty().get());

        hunks.setPadding(new Insets(8));
        var hunkScroll = new ScrollPane(hunks);
        hunkScroll.setFitToWidth(true);
        hunkScroll.setId("review-hunks");
        var split = new SplitPane(fileList, hunkScroll);
        split.setDividerPositions(0.3);
        setCenter(split);

        // ---- problems
        var problemList = new VBox(4);
        problemList.setId("review-problems");
        Runnable showProblems = () -> problemList.getChildren().setAll(vm.problems().stream().map(p -> {
            var l = new Label(p.message());
            l.setWrapText(true);
            l.getStyleClass().add(Styles.WARNING);
            return (Node) l;
        }).toList());
        vm.problems().addListener((javafx.collections.ListChangeListener<Object>) _ -> showProblems.run());
        showProblems.run();
        var followUp = new Button("Send as follow-up");
        followUp.setId("review-follow-up");
        followUp.setAccessibleText("Tell the model which edits did not match, so that it can resend them");
        followUp.setOnAction(_ -> vm.sendFollowUp());
        var problems = new VBox(6, problemList, followUp);
        problems.setPadding(new Insets(8));
        problems.getStyleClass().add("review-problems");
        problems.visibleProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(vm.problems()));
        problems.managedProperty().bind(problems.visibleProperty());
        setTop(problems);

        // ---- actions
        var message = new Label();
        message.setId("review-message");
        message.setWrapText(true);
        message.textProperty().bind(vm.messageProperty());
        HBox.setHgrow(message, Priority.ALWAYS);
        message.setMaxWidth(Double.MAX_VALUE);
        var reviewing = vm.stateProperty().isEqualTo(ReviewViewModel.State.REVIEWING);
        var acceptAll = new Button("Accept all");
        acceptAll.setOnAction(_ -> vm.acceptAll(true));
        acceptAll.disableProperty().bind(reviewing.not());
        var rejectAll = new Button("Reject all");
        rejectAll.setOnAction(_ -> vm.acceptAll(false));
        rejectAll.disableProperty().bind(reviewing.not());
        var commit = new CheckBox("Commit to git");
        commit.setId("review-commit");
        commit.selectedProperty().bindBidirectional(vm.commitProperty());
        commit.visibleProperty().bind(vm.gitRepositoryProperty());
        commit.managedProperty().bind(commit.visibleProperty());
        commit.disableProperty().bind(reviewing.not());
        var apply = new Button("Apply");
        apply.setId("review-apply");
        apply.getStyleClass().add(Styles.ACCENT);
        apply.disableProperty().bind(vm.canApplyProperty().not());
        apply.setOnAction(_ -> vm.apply());
        var applied = vm.stateProperty().isEqualTo(ReviewViewModel.State.APPLIED);
        var undo = new Button("Undo");
        undo.setId("review-undo");
        undo.visibleProperty().bind(applied);
        undo.managedProperty().bind(undo.visibleProperty());
        undo.setOnAction(_ -> vm.undo());
        var undoAnyway = new Button("Undo anyway");
        undoAnyway.setId("review-undo-anyway");
        undoAnyway.getStyleClass().add(Styles.DANGER);
        undoAnyway.visibleProperty().bind(applied.and(vm.staleUndoProperty()));
        undoAnyway.managedProperty().bind(undoAnyway.visibleProperty());
        undoAnyway.setOnAction(_ -> vm.undoAnyway());
        for (var b : new Region[] {acceptAll, rejectAll, commit, apply, undo, undoAnyway}) b.setMinWidth(Region.USE_PREF_SIZE);
        var bar = new HBox(8, message, acceptAll, rejectAll, commit, apply, undo, undoAnyway);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(8));
        setBottom(bar);
        showHunks(vm.selectedProperty().get());
    }

    private void showHunks(ReviewViewModel.@Nullable FileItem item) {
        hunks.getChildren().clear();
        if (item == null) return;
        var change = item.change();
        var title = new Label(change.path() + switch (change.kind()) {
            case CREATE -> " (new file)";
            case DELETE -> " (deleted)";
            case MODIFY -> "";
        });
        title.getStyleClass().add(Styles.TEXT_BOLD);
        hunks.getChildren().add(title);
        boolean editable = vm.stateProperty().get() == ReviewViewModel.State.REVIEWING;
        for (var hunk : change.hunks()) hunks.getChildren().add(hunkBox(item, change, hunk, editable));
    }

    private static Node hunkBox(ReviewViewModel.FileItem item, FileChange change, EditHunk hunk, boolean editable) {
        var accept = new CheckBox("Accept");
        accept.setId("review-accept-" + hunk.index());
        accept.selectedProperty().bindBidirectional(item.acceptedProperty(hunk.index()));
        accept.setDisable(!editable);
        var where = new Label(hunk.oldLines().isEmpty() && change.kind() == FileChange.Kind.CREATE
                ? "new content" : "line " + hunk.oldStart());
        where.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        var header = new HBox(8, accept, where);
        header.setAlignment(Pos.CENTER_LEFT);
        var flow = new TextFlow();
        flow.getStyleClass().add("review-diff");
        for (var l : hunk.before()) flow.getChildren().add(line("  " + l, "review-context"));
        for (var l : hunk.oldLines()) flow.getChildren().add(line("- " + l, "review-removed"));
        for (var l : hunk.newLines()) flow.getChildren().add(line("+ " + l, "review-added"));
        for (var l : hunk.after()) flow.getChildren().add(line("  " + l, "review-context"));
        var box = new VBox(4, header, flow);
        box.getStyleClass().add("review-hunk");
        return box;
    }

    private static Text line(String text, String style) {
        var t = new Text(text + "\n");
        t.getStyleClass().addAll("review-line", style);
        return t;
    }

    /// Opens the review in a window of its own, styled like `owner`'s.
    public static Stage open(@Nullable Window owner, ReviewViewModel vm) {
        var stage = new Stage();
        var scene = new Scene(new ReviewView(vm), 1000, 680);
        if (owner != null) {
            stage.initOwner(owner);
            if (owner.getScene() != null) scene.getStylesheets().setAll(owner.getScene().getStylesheets());
        }
        stage.setScene(scene);
        stage.setTitle("Review changes — " + vm.root().getFileName());
        stage.show();
        return stage;
    }
}
