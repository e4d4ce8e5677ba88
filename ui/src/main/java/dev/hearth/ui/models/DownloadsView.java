package dev.hearth.ui.models;

import atlantafx.base.theme.Styles;
import dev.hearth.inference.hub.DownloadStatus;
import javafx.beans.binding.Bindings;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.jspecify.annotations.Nullable;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/// The downloads panel under the Models section: one row per download with progress, speed and time left, and
/// Pause / Resume / Retry / Cancel as the state allows. Hidden while there are no downloads.
public final class DownloadsView extends VBox {
    private static final PseudoClass FAILED = PseudoClass.getPseudoClass("failed");

    public DownloadsView(DownloadsViewModel vm) {
        super(4);
        setId("downloads");
        getStyleClass().add("downloads-view");
        setPadding(new Insets(8, 16, 8, 16));
        var title = new Label("Downloads");
        title.getStyleClass().add(Styles.TEXT_BOLD);
        var clear = new Button("Clear finished");
        clear.setId("downloads-clear");
        clear.getStyleClass().addAll(Styles.SMALL, Styles.FLAT);
        clear.setOnAction(_ -> vm.clearFinished());
        var spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        var header = new HBox(8, title, spacer, clear);
        header.setAlignment(Pos.CENTER_LEFT);
        var list = new ListView<>(vm.items());
        list.setId("downloads-list");
        list.setPrefHeight(150);
        list.setCellFactory(_ -> new DownloadCell(vm));
        getChildren().addAll(header, list);
        visibleProperty().bind(Bindings.isNotEmpty(vm.items()));
        managedProperty().bind(visibleProperty());
    }

    private static final class DownloadCell extends ListCell<DownloadItem> {
        private final DownloadsViewModel vm;
        private final Label name = new Label();
        private final ProgressBar bar = new ProgressBar(0);
        private final Label progress = new Label();
        private final Label message = new Label();
        private final Button pause = new Button("Pause", new FontIcon(Feather.PAUSE));
        private final Button resume = new Button("Resume", new FontIcon(Feather.PLAY));
        private final Button cancel = new Button("Cancel", new FontIcon(Feather.X));
        private final VBox box;
        private @Nullable DownloadItem bound;
        private final javafx.beans.value.ChangeListener<DownloadStatus.State> stateListener = (_, _, now) -> show(now);

        DownloadCell(DownloadsViewModel vm) {
            this.vm = vm;
            name.getStyleClass().add(Styles.TEXT_BOLD);
            progress.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
            message.getStyleClass().add(Styles.TEXT_SMALL);
            message.setWrapText(true);
            bar.setMaxWidth(Double.MAX_VALUE);
            HBox.setHgrow(bar, Priority.ALWAYS);
            for (var b : new Button[] {pause, resume, cancel}) b.getStyleClass().addAll(Styles.SMALL);
            pause.setOnAction(_ -> act(vm::pause));
            resume.setOnAction(_ -> act(vm::resume));
            cancel.setOnAction(_ -> act(vm::cancel));
            var row = new HBox(8, bar, pause, resume, cancel);
            row.setAlignment(Pos.CENTER_LEFT);
            box = new VBox(2, name, row, new HBox(12, progress, message));
        }

        private void act(java.util.function.Consumer<DownloadItem> action) {
            var item = getItem();
            if (item != null) action.accept(item);
        }

        @Override
        protected void updateItem(@Nullable DownloadItem item, boolean empty) {
            super.updateItem(item, empty);
            if (bound != null) {
                bar.progressProperty().unbind();
                progress.textProperty().unbind();
                message.textProperty().unbind();
                bound.stateProperty().removeListener(stateListener);
                bound = null;
            }
            if (empty || item == null) {
                setGraphic(null);
                return;
            }
            bound = item;
            name.setText(item.name());
            bar.progressProperty().bind(item.fractionProperty());
            progress.textProperty().bind(item.progressProperty());
            message.textProperty().bind(item.messageProperty());
            item.stateProperty().addListener(stateListener);
            show(item.stateProperty().get());
            setGraphic(box);
        }

        private void show(DownloadStatus.State state) {
            var item = getItem();
            pause.setVisible(state.isActive());
            pause.setManaged(state.isActive());
            boolean resumable = state == DownloadStatus.State.PAUSED || state == DownloadStatus.State.FAILED;
            resume.setVisible(resumable);
            resume.setManaged(resumable);
            resume.setText(state == DownloadStatus.State.FAILED ? "Retry" : "Resume");
            boolean cancellable = state != DownloadStatus.State.COMPLETED && state != DownloadStatus.State.CANCELLED;
            cancel.setVisible(cancellable);
            cancel.setManaged(cancellable);
            message.pseudoClassStateChanged(FAILED, state == DownloadStatus.State.FAILED);
            message.setTooltip(item != null && !item.detailProperty().get().isEmpty() ? new Tooltip(item.detailProperty().get()) : null);
            if (item != null) {
                var id = item.name().replaceAll("[^A-Za-z0-9]+", "-");
                pause.setId("download-pause-" + id);
                resume.setId("download-resume-" + id);
                cancel.setId("download-cancel-" + id);
            }
        }
    }
}
