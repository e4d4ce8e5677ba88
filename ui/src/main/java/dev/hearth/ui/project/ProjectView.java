package dev.hearth.ui.project;

import atlantafx.base.theme.Styles;
import dev.hearth.inference.project.ContextBudget;
import dev.hearth.inference.project.ProjectFile;
import dev.hearth.storage.Project;
import java.io.File;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javafx.beans.value.ChangeListener;
import javafx.collections.ListChangeListener;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.CheckBoxTreeItem;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.CustomMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeItem;
import javafx.scene.control.cell.CheckBoxTreeCell;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.DragEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.util.StringConverter;
import org.controlsfx.control.CheckTreeView;
import org.jspecify.annotations.Nullable;

/// The Project section: on the left the open folder's file tree with checkboxes, the files in context as chips
/// (token counts, remove), the budget bar and the repo map's switch; on the right the project's chat. Files can be
/// dragged from the tree (or the desktop) into the chat, and `@` in the message completes paths.
public final class ProjectView extends SplitPane {
    private static final String DRAG_PREFIX = "hearth-path:";
    private static final Pattern AT_WORD = Pattern.compile("@([\\w./\\-]*)$");
    private static final PseudoClass OVER = PseudoClass.getPseudoClass("over");

    private final ProjectViewModel vm;
    private final CheckTreeView<String> tree = new CheckTreeView<>();
    private final Map<String, CheckBoxTreeItem<String>> leaves = new HashMap<>();
    private final Map<String, ProjectFile> byPath = new HashMap<>();
    private boolean syncing;

    /// @param chatView the project chat's view (a [dev.hearth.ui.chat.ChatView] of [ProjectViewModel#chat()])
    public ProjectView(ProjectViewModel vm, Node chatView) {
        this.vm = vm;
        getStyleClass().add("project");
        var css = ProjectView.class.getResource("project.css");
        if (css != null) getStylesheets().add(css.toExternalForm());

        // ---- folder
        var open = new Button("Open folder…");
        open.setId("project-open");
        open.setOnAction(_ -> chooseFolder());
        var recent = new MenuButton("Recent");
        recent.setId("project-recent");
        Runnable fillRecent = () -> recent.getItems().setAll(vm.recentProjects().stream().map(this::recentItem).toList());
        vm.recentProjects().addListener((ListChangeListener<Project>) _ -> fillRecent.run());
        fillRecent.run();
        recent.disableProperty().bind(javafx.beans.binding.Bindings.isEmpty(vm.recentProjects()));
        var title = new Label("No project open");
        title.getStyleClass().add(Styles.TITLE_4);
        title.setId("project-title");
        var folder = new Label();
        folder.getStyleClass().add(Styles.TEXT_MUTED);
        javafx.beans.value.ChangeListener<@Nullable Project> showProject = (_, _, p) -> {
            title.setText(p == null ? "No project open" : p.name());
            folder.setText(p == null || p.folder() == null ? "" : p.folder());
        };
        vm.projectProperty().addListener(showProject);
        // the view may be made after the project was opened (a session opened from History, a project reopened):
        // it shows the state as it is, then follows it
        showProject.changed(vm.projectProperty(), null, vm.projectProperty().get());

        // ---- tree
        tree.setId("project-tree");
        tree.setShowRoot(false);
        tree.setCellFactory(_ -> new FileCell());
        VBox.setVgrow(tree, Priority.ALWAYS);
        tree.setMinHeight(180); // the labels below wrap; the tree keeps room for a few rows
        vm.files().addListener((ListChangeListener<ProjectFile>) _ -> rebuildTree());
        if (!vm.files().isEmpty()) rebuildTree();

        // ---- chips
        var chips = new FlowPane(6, 6);
        chips.setId("project-chips");
        chips.getStyleClass().add("project-chips");
        Runnable fillChips = () -> {
            chips.getChildren().setAll(vm.chips().stream().map(this::chip).toList());
            syncChecks();
        };
        vm.chips().addListener((ListChangeListener<ProjectViewModel.Chip>) _ -> fillChips.run());
        fillChips.run();
        var inContext = new Label("In context: drag files here or into the chat, or type @path");
        inContext.getStyleClass().add(Styles.TEXT_MUTED);
        inContext.setWrapText(true);

        // ---- budget
        var bar = new ProgressBar(0);
        bar.setId("project-budget-bar");
        bar.setMaxWidth(Double.MAX_VALUE);
        var barTip = new Tooltip();
        var budgetLine = new Label();
        budgetLine.setId("project-budget");
        budgetLine.setWrapText(true);
        var cutLine = new Label();
        cutLine.setId("project-budget-cut");
        cutLine.getStyleClass().add(Styles.DANGER);
        cutLine.setWrapText(true);
        ChangeListener<ContextBudget.@Nullable Plan> showPlan = (_, _, plan) -> {
            if (plan == null) {
                bar.setTooltip(null);
                bar.setProgress(0);
                budgetLine.setText("");
                cutLine.setText("");
                return;
            }
            if (vm.estimatedProperty().get()) {
                bar.setTooltip(null);
                bar.setProgress(0);
                bar.pseudoClassStateChanged(OVER, false);
                budgetLine.setText("No model loaded: about " + String.format(Locale.ROOT, "%,d", plan.needed())
                        + " tokens (estimated at four characters a token); load a model to see them against its context.");
                cutLine.setText("");
                return;
            }
            bar.setProgress(Math.min(1, plan.needed() / (double) plan.contextSize()));
            bar.pseudoClassStateChanged(OVER, plan.overBudget());
            budgetLine.setText(describe(plan));
            barTip.setText(partLines(plan));
            bar.setTooltip(barTip);
            cutLine.setText(plan.cut().isEmpty() ? "" : "Over budget; would be left out: "
                    + plan.cut().stream().map(ContextBudget.Part::label).collect(Collectors.joining(", "))
                    + (plan.fits() ? "" : ". Even so it does not fit: lower the answer's max tokens or load a larger context."));
        };
        vm.budgetProperty().addListener(showPlan);
        showPlan.changed(vm.budgetProperty(), null, vm.budgetProperty().get());

        // ---- repo map
        var repoMap = new CheckBox("Repo map");
        repoMap.setId("project-repo-map");
        repoMap.selectedProperty().bindBidirectional(vm.repoMapProperty());
        repoMap.setTooltip(new Tooltip("Add a map of the project (files and their top-level declarations) to each turn."));
        var mapTokens = new Spinner<Integer>(128, 32_768, vm.repoMapTokensProperty().get(), 256);
        mapTokens.setEditable(true);
        mapTokens.setPrefWidth(110);
        mapTokens.valueProperty().addListener((_, _, v) -> vm.repoMapTokensProperty().set(v));
        mapTokens.disableProperty().bind(repoMap.selectedProperty().not());
        var mapRow = new HBox(8, repoMap, mapTokens, new Label("tokens"));
        mapRow.setAlignment(Pos.CENTER_LEFT);

        // ---- notice
        var notice = new Label();
        notice.setId("project-notice");
        notice.setWrapText(true);
        notice.textProperty().bind(vm.noticeProperty());
        notice.visibleProperty().bind(vm.noticeProperty().isNotEmpty());
        notice.managedProperty().bind(notice.visibleProperty());
        notice.setOnMouseClicked(_ -> vm.dismissNotice());

        var reread = new Button("Check for changes");
        reread.setOnAction(_ -> vm.refreshFiles());
        reread.setTooltip(new Tooltip("Re-read the files in context that changed on disk."));
        var side = new VBox(8, new HBox(8, open, recent, reread), title, folder, tree, inContext, chips, bar, budgetLine,
                cutLine, mapRow, notice);
        side.setPadding(new Insets(10));
        side.getStyleClass().add("project-side");
        side.setMinWidth(240);
        side.disableProperty().bind(vm.stateProperty().isEqualTo(ProjectViewModel.State.OPENING));

        // ---- chat, or a prompt to open a folder
        var placeholder = new Label("Open a project folder to chat about its code with chosen files in context.");
        placeholder.getStyleClass().add(Styles.TEXT_MUTED);
        var chatPane = new StackPane(chatView, placeholder);
        chatView.visibleProperty().bind(vm.stateProperty().isEqualTo(ProjectViewModel.State.OPEN));
        placeholder.visibleProperty().bind(chatView.visibleProperty().not());
        chatPane.setOnDragOver(this::dragOver);
        chatPane.setOnDragDropped(this::dropped);
        chips.setOnDragOver(this::dragOver);
        chips.setOnDragDropped(this::dropped);
        if (chatView.lookup("#chat-draft") instanceof TextArea draft) completeMentions(draft);

        getItems().setAll(side, new BorderPane(chatPane));
        setDividerPositions(0.3);
        vm.refreshRecent();
    }

    private MenuItem recentItem(Project p) {
        var item = new MenuItem(p.name() + (p.folder() == null ? "" : "  —  " + p.folder()));
        item.setOnAction(_ -> vm.open(p));
        return item;
    }

    private void chooseFolder() {
        var chooser = new DirectoryChooser();
        chooser.setTitle("Open a project folder");
        var p = vm.projectProperty().get();
        if (p != null && p.folder() != null) {
            var parent = Path.of(p.folder()).getParent();
            if (parent != null && parent.toFile().isDirectory()) chooser.setInitialDirectory(parent.toFile());
        }
        File chosen = chooser.showDialog(getScene() == null ? null : getScene().getWindow());
        if (chosen != null) vm.open(chosen.toPath());
    }

    // ------------------------------------------------------------------ tree

    private void rebuildTree() {
        leaves.clear();
        byPath.clear();
        var root = new CheckBoxTreeItem<>("");
        root.setExpanded(true);
        var folders = new HashMap<String, CheckBoxTreeItem<String>>();
        folders.put("", root);
        for (var f : vm.files()) {
            byPath.put(f.path(), f);
            var parent = folderItem(folders, parentOf(f.path()));
            var leaf = new CheckBoxTreeItem<>(f.path());
            leaf.selectedProperty().addListener((_, _, on) -> {
                if (syncing) return;
                if (f.includable()) vm.setIncluded(f.path(), on);
                else if (on) {
                    vm.add(f.path()); // says why it cannot be included
                    syncing = true;
                    leaf.setSelected(false);
                    syncing = false;
                }
            });
            leaves.put(f.path(), leaf);
            parent.getChildren().add(leaf);
        }
        tree.setRoot(root);
        syncChecks();
    }

    private static CheckBoxTreeItem<String> folderItem(Map<String, CheckBoxTreeItem<String>> folders, String path) {
        var existing = folders.get(path);
        if (existing != null) return existing;
        var parent = folderItem(folders, parentOf(path));
        var item = new CheckBoxTreeItem<>(path + "/");
        folders.put(path, item);
        // folders first, in the order they appear
        int at = 0;
        while (at < parent.getChildren().size() && parent.getChildren().get(at).getValue().endsWith("/")) at++;
        parent.getChildren().add(at, item);
        return item;
    }

    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /// Checks exactly the files in context (no view-model calls while doing so).
    private void syncChecks() {
        syncing = true;
        try {
            var in = vm.chips().stream().map(ProjectViewModel.Chip::path).collect(Collectors.toSet());
            leaves.forEach((path, leaf) -> leaf.setSelected(in.contains(path)));
        } finally {
            syncing = false;
        }
    }

    private static String nameOf(String value) {
        var v = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        int slash = v.lastIndexOf('/');
        return (slash < 0 ? v : v.substring(slash + 1)) + (value.endsWith("/") ? "/" : "");
    }

    /// A file or folder with its checkbox; files that cannot be included say why; cells can be dragged.
    private final class FileCell extends CheckBoxTreeCell<String> {
        FileCell() {
            super(item -> ((CheckBoxTreeItem<String>) item).selectedProperty(), new StringConverter<TreeItem<String>>() {
                @Override
                public String toString(TreeItem<String> item) {
                    var value = item.getValue();
                    var f = byPath.get(value);
                    var name = nameOf(value);
                    return f == null || f.exclusion() == null ? name : name + "  (" + f.exclusion().reason() + ")";
                }

                @Override
                public TreeItem<String> fromString(String s) {
                    throw new UnsupportedOperationException();
                }
            });
            setOnDragDetected(e -> {
                var item = getTreeItem();
                if (item == null) return;
                var board = startDragAndDrop(TransferMode.COPY);
                var content = new ClipboardContent();
                content.putString(DRAG_PREFIX + item.getValue());
                board.setContent(content);
                e.consume();
            });
        }

        @Override
        public void updateItem(@Nullable String item, boolean empty) {
            super.updateItem(item, empty);
            var f = item == null ? null : byPath.get(item);
            pseudoClassStateChanged(PseudoClass.getPseudoClass("excluded"), f != null && !f.includable());
        }
    }

    // ------------------------------------------------------------------ drag and drop

    private void dragOver(DragEvent e) {
        var board = e.getDragboard();
        if (board.hasFiles() || board.hasString() && board.getString().startsWith(DRAG_PREFIX)) {
            e.acceptTransferModes(TransferMode.COPY);
        }
        e.consume();
    }

    private void dropped(DragEvent e) {
        var board = e.getDragboard();
        boolean done = false;
        if (board.hasString() && board.getString().startsWith(DRAG_PREFIX)) {
            addPath(board.getString().substring(DRAG_PREFIX.length()));
            done = true;
        } else if (board.hasFiles()) {
            for (var f : board.getFiles()) {
                var rel = vm.relativePath(f.toPath());
                if (rel != null) addPath(f.isDirectory() ? rel + "/" : rel);
            }
            done = true;
        }
        e.setDropCompleted(done);
        e.consume();
    }

    private void addPath(String value) {
        if (value.endsWith("/") || value.isEmpty()) vm.addFolder(value.isEmpty() ? "" : value.substring(0, value.length() - 1));
        else vm.add(value);
    }

    // ------------------------------------------------------------------ chips and budget

    private Node chip(ProjectViewModel.Chip c) {
        var label = new Label(nameOf(c.path()) + "  " + (c.estimated() ? "≈" : "") + String.format(Locale.ROOT, "%,d", c.tokens()) + " tok");
        label.setTooltip(new Tooltip(c.path() + (c.estimated() ? "\n(estimated: no model loaded)" : "")));
        var remove = new Button("×");
        remove.getStyleClass().addAll(Styles.FLAT, Styles.SMALL);
        remove.setAccessibleText("Remove " + c.path() + " from the context");
        remove.setOnAction(_ -> vm.remove(c.path()));
        var box = new HBox(2, label, remove);
        box.setAlignment(Pos.CENTER_LEFT);
        box.getStyleClass().add("project-chip");
        return box;
    }

    static String describe(ContextBudget.Plan plan) {
        return String.format(Locale.ROOT,
                "%,d of %,d tokens: system %,d · files %,d · map %,d · history %,d · message %,d · chat template %,d · answer %,d",
                plan.needed(), plan.contextSize(), sum(plan, ContextBudget.Part.Kind.SYSTEM), sum(plan, ContextBudget.Part.Kind.FILE),
                sum(plan, ContextBudget.Part.Kind.REPO_MAP), sum(plan, ContextBudget.Part.Kind.HISTORY),
                sum(plan, ContextBudget.Part.Kind.QUESTION), sum(plan, ContextBudget.Part.Kind.TEMPLATE),
                sum(plan, ContextBudget.Part.Kind.ANSWER_ROOM));
    }

    /// The budget bar's tooltip: one line per part (the cut ones marked), then what is sent against the context.
    static String partLines(ContextBudget.Plan plan) {
        var sb = new StringBuilder();
        for (var p : plan.kept()) {
            sb.append(String.format(Locale.ROOT, "%s: %,d tokens", p.label(), p.tokens()));
            if (p.kind() == ContextBudget.Part.Kind.TEMPLATE) sb.append(" (role headers, special tokens, BOS)");
            sb.append('\n');
        }
        for (var p : plan.cut()) sb.append(String.format(Locale.ROOT, "%s: %,d tokens (left out: over budget)%n", p.label(), p.tokens()));
        sb.append(String.format(Locale.ROOT, "total: %,d of %,d tokens", plan.used(), plan.contextSize()));
        return sb.toString();
    }

    private static int sum(ContextBudget.Plan plan, ContextBudget.Part.Kind kind) {
        return java.util.stream.Stream.concat(plan.kept().stream(), plan.cut().stream())
                .filter(p -> p.kind() == kind).mapToInt(ContextBudget.Part::tokens).sum();
    }

    // ------------------------------------------------------------------ @path completion

    private void completeMentions(TextArea draft) {
        var menu = new ContextMenu();
        menu.setId("project-mentions");
        draft.caretPositionProperty().addListener((_, _, _) -> {
            var before = draft.getText().substring(0, Math.min(draft.getCaretPosition(), draft.getText().length()));
            var m = AT_WORD.matcher(before);
            if (!m.find() || vm.stateProperty().get() != ProjectViewModel.State.OPEN) {
                menu.hide();
                return;
            }
            var prefix = m.group(1);
            List<String> options = vm.completions(prefix);
            if (options.isEmpty()) {
                menu.hide();
                return;
            }
            menu.getItems().setAll(options.stream().limit(12).map(path -> {
                var item = new CustomMenuItem(new Label(path), true);
                item.setOnAction(_ -> {
                    int end = draft.getCaretPosition();
                    int start = end - prefix.length();
                    draft.replaceText(start, end, path + " ");
                    vm.add(path);
                });
                return (MenuItem) item;
            }).toList());
            if (!menu.isShowing() && draft.getScene() != null) {
                var bounds = draft.localToScreen(draft.getBoundsInLocal());
                if (bounds != null) menu.show(draft, bounds.getMinX() + 8, bounds.getMinY() - 8 - Math.min(12, options.size()) * 26);
            }
        });
        draft.focusedProperty().addListener((_, _, focused) -> {
            if (!focused) menu.hide();
        });
    }
}
