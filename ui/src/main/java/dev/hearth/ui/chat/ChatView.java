package dev.hearth.ui.chat;

import atlantafx.base.theme.Styles;
import dev.hearth.storage.Session;
import dev.hearth.storage.Token;
import dev.hearth.ui.inspector.HeatmapLegend;
import dev.hearth.ui.inspector.HeatmapMode;
import dev.hearth.ui.inspector.PromptTokensView;
import dev.hearth.ui.inspector.TokenHeatmapView;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Consumer;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.ListChangeListener;
import javafx.collections.WeakListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import javafx.stage.Stage;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/// The Chat section: sessions on the left, the conversation in the middle (a virtualised list), the system prompt
/// and sampling panel on the right. Ctrl+Enter sends, Esc stops.
public final class ChatView extends BorderPane {
    private final ChatViewModel vm;
    /// Parsed Markdown of finished answers: parsed once, never per token.
    private final Map<MessageItem, org.commonmark.node.Node> parsed = new WeakHashMap<>();
    private final ListView<MessageItem> list;
    /// What the heatmap colours by: probability or entropy (the legend switches it).
    private final ObjectProperty<HeatmapMode> heatmapMode = new SimpleObjectProperty<>(HeatmapMode.PROBABILITY);
    /// Whether a finished answer proposes file edits (parsed once per answer).
    private final Map<MessageItem, Boolean> hasEdits = new WeakHashMap<>();
    private @org.jspecify.annotations.Nullable Consumer<MessageItem> onReviewChanges;

    /// @param onLoadModel opens the load dialog (given a node of the window that asks)
    /// @param showFile opens or reveals a file (the engine worker's log)
    public ChatView(ChatViewModel vm, Consumer<Node> onLoadModel, Consumer<Path> showFile) {
        this.vm = vm;
        getStyleClass().add("chat");
        var css = ChatView.class.getResource("chat.css");
        if (css != null) getStylesheets().add(css.toExternalForm());

        // ---- conversation
        list = new ListView<>(vm.messages());
        var skin = new MessageListSkin(list);
        list.setSkin(skin);
        list.setId("chat-messages");
        list.getStyleClass().add("chat-messages");
        list.setFocusTraversable(true);
        list.setAccessibleText("Conversation");
        var bodies = new MessageBodies(this::messageBody, () -> vm.heatmapProperty().get());
        vm.messages().addListener((javafx.collections.ListChangeListener<MessageItem>) _ -> bodies.retainOnly(vm.messages()));
        list.setCellFactory(_ -> new MessageCell(vm, bodies, () -> {
            var model = vm.models().activeProperty().get();
            if (model != null) model.logFile().ifPresent(showFile);
        }, this::reviewButton));
        vm.messages().addListener((javafx.collections.ListChangeListener<MessageItem>) _ -> {
            if (vm.messages().isEmpty()) return;
            list.scrollTo(vm.messages().size() - 1);
            skin.followEnd(); // a message sent, an answer started, a session opened: show its end as it grows
        });
        vm.heatmapProperty().addListener((_, _, _) -> {
            bodies.clear();
            list.refresh();
        });
        var placeholder = new Label("Load a model and type a message. Ctrl+Enter sends, Esc stops.");
        placeholder.getStyleClass().add(Styles.TEXT_MUTED);
        list.setPlaceholder(placeholder);

        var modelLine = new Label();
        modelLine.setId("chat-model-line");
        modelLine.textProperty().bind(vm.modelLineProperty());
        var load = new Button("Load model…", new FontIcon(Feather.CPU));
        load.setId("chat-load-model");
        load.setOnAction(_ -> onLoadModel.accept(load));
        var heatmap = new ToggleButton("Heatmap", new FontIcon(Feather.BAR_CHART_2));
        heatmap.setId("chat-heatmap");
        heatmap.setAccessibleText("Colour every generated token by its probability");
        heatmap.selectedProperty().bindBidirectional(vm.heatmapProperty());
        var legend = new HeatmapLegend(heatmapMode);
        legend.visibleProperty().bind(vm.heatmapProperty());
        legend.managedProperty().bind(legend.visibleProperty());
        var promptTokens = new Button("Prompt tokens", new FontIcon(Feather.HASH));
        promptTokens.setId("chat-prompt-tokens");
        promptTokens.setAccessibleText("Show how the prompt of the selected (or last) answer was tokenised");
        promptTokens.setOnAction(_ -> showPromptTokens(promptTokens));
        var settingsToggle = new ToggleButton("Settings", new FontIcon(Feather.SLIDERS));
        settingsToggle.setId("chat-settings-toggle");
        settingsToggle.setSelected(true);
        var spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        for (var button : List.of(load, promptTokens, heatmap, settingsToggle)) button.setMinWidth(Region.USE_PREF_SIZE);
        modelLine.setMinWidth(0);
        var top = new HBox(8, modelLine, load, spacer, promptTokens, heatmap, settingsToggle);
        top.setAlignment(Pos.CENTER_LEFT);
        top.setPadding(new Insets(8));
        var legendBar = new HBox(legend);
        legendBar.setPadding(new Insets(0, 8, 4, 8));
        legendBar.visibleProperty().bind(vm.heatmapProperty());
        legendBar.managedProperty().bind(legendBar.visibleProperty());

        var notice = new Label();
        notice.textProperty().bind(vm.noticeProperty());
        notice.setWrapText(true);
        var undo = new Button("Undo");
        undo.setId("chat-undo-delete");
        undo.visibleProperty().bind(vm.lastDeletedProperty().isNotNull());
        undo.managedProperty().bind(undo.visibleProperty());
        undo.setOnAction(_ -> vm.undoDelete());
        var dismiss = new Button(null, new FontIcon(Feather.X));
        dismiss.getStyleClass().addAll(Styles.FLAT, Styles.SMALL);
        dismiss.setAccessibleText("Dismiss");
        dismiss.setOnAction(_ -> vm.dismissNotice());
        var noticeBar = new HBox(8, notice, undo, dismiss);
        noticeBar.setAlignment(Pos.CENTER_LEFT);
        noticeBar.setPadding(new Insets(4, 8, 4, 8));
        noticeBar.getStyleClass().add("chat-notice");
        noticeBar.visibleProperty().bind(vm.noticeProperty().isNotEmpty());
        noticeBar.managedProperty().bind(noticeBar.visibleProperty());

        var draft = new TextArea();
        draft.setId("chat-draft");
        draft.setPromptText("Message (Ctrl+Enter sends)");
        draft.setWrapText(true);
        draft.setPrefRowCount(3);
        draft.setAccessibleText("Message to send");
        draft.textProperty().bindBidirectional(vm.draftProperty());
        draft.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ENTER && e.isShortcutDown()) {
                vm.send();
                e.consume();
            }
        });
        HBox.setHgrow(draft, Priority.ALWAYS);
        var send = new Button("Send", new FontIcon(Feather.SEND));
        send.setId("chat-send");
        send.getStyleClass().add(Styles.ACCENT);
        send.disableProperty().bind(vm.canSendProperty().not());
        send.setOnAction(_ -> vm.send());
        var stop = new Button("Stop", new FontIcon(Feather.SQUARE));
        stop.setId("chat-stop");
        stop.setAccessibleText("Stop the answer (Esc)");
        stop.visibleProperty().bind(vm.stateProperty().isEqualTo(ChatViewModel.State.GENERATING));
        stop.managedProperty().bind(stop.visibleProperty());
        stop.setOnAction(_ -> vm.stop());
        send.visibleProperty().bind(stop.visibleProperty().not());
        send.managedProperty().bind(send.visibleProperty());
        send.setMinWidth(Region.USE_PREF_SIZE);
        stop.setMinWidth(Region.USE_PREF_SIZE);
        var composer = new HBox(8, draft, new VBox(6, send, stop));
        composer.setPadding(new Insets(8));

        var center = new BorderPane(list);
        center.setTop(new VBox(top, legendBar, noticeBar));
        center.setBottom(composer);

        var settings = settingsPanel();
        settings.visibleProperty().bind(settingsToggle.selectedProperty());
        settings.managedProperty().bind(settings.visibleProperty());

        var split = new SplitPane(sessionPane(), center);
        split.setDividerPositions(0.22);
        SplitPane.setResizableWithParent(split.getItems().getFirst(), false);
        setCenter(split);
        setRight(settings);

        addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE && vm.stateProperty().get() == ChatViewModel.State.GENERATING) {
                vm.stop();
                e.consume();
            }
        });
        ChatWarmUp.afterShown(this, vm);
    }

    /// Calls `then` on the FX thread once the first chat view of this process has rendered its off-screen sample
    /// conversation, the warm-up that spares the first real answer the JVM's first-use costs (at once when it has,
    /// or when no chat view was made). The AOT cache's training start waits for it, so the cache holds those classes.
    public static void whenWarmedUp(Runnable then) {
        ChatWarmUp.whenDone(then);
    }

    /// Shows "Review changes" under answers that propose file edits, and calls `onReview` with the answer when it is
    /// clicked (the app opens the review of that answer against the session's project folder).
    public void setOnReviewChanges(Consumer<MessageItem> onReview) {
        this.onReviewChanges = onReview;
        list.refresh();
    }

    private @org.jspecify.annotations.Nullable Node reviewButton(MessageItem item) {
        var onReview = onReviewChanges;
        if (onReview == null) return null;
        if (!hasEdits.computeIfAbsent(item, i -> dev.hearth.inference.project.edit.EditParser.containsEdits(i.text()))) {
            return null;
        }
        var review = new Button("Review changes", new FontIcon(Feather.FILE_TEXT));
        review.getStyleClass().addAll(Styles.SMALL, "chat-review-changes");
        review.setAccessibleText("Review the file edits this answer proposes, then apply them");
        review.setOnAction(_ -> onReview.accept(item));
        return review;
    }

    /// The body of one message. With [ChatViewModel#heatmapProperty()] on, an answer is its tokens coloured by
    /// probability or entropy (the token inspector: hover or click a token for its alternatives, and continue from
    /// one as a new branch); otherwise a finished answer is Markdown (parsed once and cached) and an answer being
    /// written is plain text that grows.
    Node messageBody(MessageItem item) {
        if (vm.heatmapProperty().get() && item.isAnswer()) return heatmap(item);
        if (!item.isAnswer()) {
            var text = new Text(item.text());
            text.getStyleClass().add("chat-text");
            var flow = new TextFlow(text);
            flow.getStyleClass().addAll("chat-paragraph", "chat-user-text");
            return flow;
        }
        if (item.state() == MessageItem.State.STREAMING) return streamingMarkdown(item);
        var document = parsed.computeIfAbsent(item, i -> MarkdownView.parse(i.text()));
        return new MarkdownView(document);
    }

    /// An answer being written, as Markdown rendered block by block (finished blocks are never rendered again);
    /// when the answer ends, the same view renders its last block, so the message is not rebuilt.
    private Node streamingMarkdown(MessageItem item) {
        var view = new StreamingMarkdownView();
        view.update(item.text());
        javafx.beans.InvalidationListener follow = _ -> {
            if (item.state() == MessageItem.State.STREAMING) view.update(item.text());
            else view.finish(item.text());
        };
        // The view holds its listener; the item holds it weakly, so a recycled cell's view can go.
        view.getProperties().put(javafx.beans.InvalidationListener.class, follow);
        var weak = new javafx.beans.WeakInvalidationListener(follow);
        item.textProperty().addListener(weak);
        item.stateProperty().addListener(weak);
        return view;
    }

    /// The heatmap of an answer's tokens, following them as they stream (batches arrive at most once per frame).
    /// As tall as its text wrapped at the list's width, like a Markdown answer: nothing scrolls inside the message.
    private Node heatmap(MessageItem item) {
        var view = new TokenHeatmapView(TokenHeatmapView.Sizing.GROW);
        view.getStyleClass().add("chat-heatmap");
        view.modeProperty().bind(heatmapMode);
        view.setTokens(List.copyOf(item.tokens()));
        ListChangeListener<Token> follow = change -> {
            while (change.next()) {
                if (change.wasAdded() && !change.wasRemoved() && change.getFrom() == view.getTokens().size()) {
                    view.appendTokens(List.copyOf(change.getAddedSubList()));
                } else {
                    view.setTokens(List.copyOf(item.tokens()));
                    break;
                }
            }
        };
        // The cell is recycled; the view holds its listener, so the answer's list never keeps a dead view alive.
        view.getProperties().put(ListChangeListener.class, follow);
        item.tokens().addListener(new WeakListChangeListener<>(follow));
        if (item.tokens().isEmpty() && item.state() != MessageItem.State.STREAMING) vm.loadTokens(item);
        view.setOnContinue((tokenIndex, alternative) -> vm.continueWith(item, tokenIndex, alternative));
        return view;
    }

    /// Opens a window showing how the prompt behind the selected answer (or the last message) was tokenised.
    private void showPromptTokens(Node owner) {
        var selected = list.getSelectionModel().getSelectedItem();
        var item = selected != null ? selected : vm.messages().isEmpty() ? null : vm.messages().getLast();
        var view = new PromptTokensView();
        var status = new Label(item == null ? "Send a message first: its prompt is shown here." : "Tokenising the prompt…");
        status.setId("prompt-tokens-status");
        status.setWrapText(true);
        status.setPadding(new Insets(8));
        var root = new BorderPane(view);
        root.setTop(status);
        var stage = new Stage();
        if (owner.getScene() != null) {
            stage.initOwner(owner.getScene().getWindow());
            var scene = new Scene(root, 900, 600);
            scene.getStylesheets().setAll(owner.getScene().getStylesheets());
            stage.setScene(scene);
        } else {
            stage.setScene(new Scene(root, 900, 600));
        }
        stage.setTitle("Prompt tokens");
        if (item != null) {
            vm.promptBreakdown(item, breakdown -> {
                view.setBreakdown(breakdown);
                status.setText(breakdown.totalTokens() + " tokens in the prompt of "
                        + (item.isAnswer() ? "this answer." : "the next answer."));
            }, status::setText);
        }
        stage.show();
    }

    private Node sessionPane() {
        var search = new TextField();
        search.setId("chat-session-search");
        search.setPromptText("Search sessions");
        search.textProperty().bindBidirectional(vm.searchProperty());
        var newChat = new Button("New chat", new FontIcon(Feather.PLUS));
        newChat.setId("chat-new-session");
        newChat.setMaxWidth(Double.MAX_VALUE);
        newChat.setOnAction(_ -> vm.newSession());
        var sessions = new ListView<>(vm.sessions());
        sessions.getStyleClass().add("chat-sessions");
        sessions.setId("chat-sessions");
        sessions.setAccessibleText("Sessions");
        sessions.setCellFactory(_ -> new ListCell<>() {
            {
                setPrefWidth(0); // wrap a snippet at the list's width
            }

            @Override
            protected void updateItem(Session s, boolean empty) {
                super.updateItem(s, empty);
                var match = empty || s == null ? null : vm.searchMatches().get(s.id());
                setText(empty || s == null ? null : match == null ? s.title() : null);
                setGraphic(match == null ? null : sessionMatch(match));
                setAccessibleText(match == null ? null : s.title() + ", found in a message: " + match.snippet("", ""));
            }
        });
        vm.searchMatchesProperty().addListener(_ -> sessions.refresh());
        java.util.function.Consumer<Session> follow = open -> {
            if (open == null) {
                sessions.getSelectionModel().clearSelection();
            } else {
                vm.sessions().stream().filter(x -> x.id() == open.id()).findFirst()
                        .ifPresent(x -> sessions.getSelectionModel().select(x));
            }
        };
        sessions.getSelectionModel().selectedItemProperty().addListener((_, _, s) -> {
            if (s != null && (vm.sessionProperty().get() == null || vm.sessionProperty().get().id() != s.id())) {
                // a project's session opens in the Project section: this list goes back to the session shown here
                if (vm.opensElsewhere(s)) javafx.application.Platform.runLater(() -> follow.accept(vm.sessionProperty().get()));
                vm.openSession(s);
            }
        });
        vm.sessionProperty().addListener((_, _, open) -> follow.accept(open));
        follow.accept(vm.sessionProperty().get());
        var rename = new MenuItem("Rename…");
        rename.setOnAction(_ -> {
            var s = sessions.getSelectionModel().getSelectedItem();
            if (s != null) askRename(s);
        });
        var delete = new MenuItem("Delete…");
        delete.setOnAction(_ -> {
            var s = sessions.getSelectionModel().getSelectedItem();
            if (s != null) confirmDelete(s);
        });
        sessions.setContextMenu(new ContextMenu(rename, delete));
        sessions.setOnKeyPressed(e -> {
            var s = sessions.getSelectionModel().getSelectedItem();
            if (s == null) return;
            if (e.getCode() == KeyCode.DELETE) confirmDelete(s);
            if (e.getCode() == KeyCode.F2) askRename(s);
        });
        VBox.setVgrow(sessions, Priority.ALWAYS);
        var box = new VBox(6, newChat, search, sessions);
        box.setPadding(new Insets(8));
        box.setMinWidth(160);
        box.getStyleClass().add("chat-sessions-pane");
        return box;
    }

    /// A session found through a message: its title, then the message's snippet with the matched words in bold.
    private static Node sessionMatch(dev.hearth.storage.SessionMatch match) {
        var title = new Label(match.session().title());
        title.setMinWidth(0);
        var snippet = new TextFlow();
        snippet.getStyleClass().add("chat-search-snippet");
        var who = new Text(match.role() == dev.hearth.storage.Message.Role.ASSISTANT ? "Answer: " : "You: ");
        who.getStyleClass().add("chat-search-who");
        snippet.getChildren().add(who);
        var text = match.snippet().replace("\n", " ");
        int at = 0;
        while (at < text.length()) {
            int open = text.indexOf(dev.hearth.storage.SearchHit.MARK_START, at);
            if (open < 0) open = text.length();
            if (open > at) snippet.getChildren().add(snippetText(text.substring(at, open), false));
            if (open >= text.length()) break;
            int close = text.indexOf(dev.hearth.storage.SearchHit.MARK_END, open);
            if (close < 0) close = text.length();
            snippet.getChildren().add(snippetText(text.substring(open + 1, close), true));
            at = close + 1;
        }
        return new VBox(2, title, snippet);
    }

    private static Text snippetText(String s, boolean hit) {
        var t = new Text(s);
        t.getStyleClass().add(hit ? "chat-search-hit" : "chat-search-text");
        return t;
    }

    private void askRename(Session s) {
        var dialog = new TextInputDialog(s.title());
        dialog.setTitle("Rename session");
        dialog.setHeaderText(null);
        dialog.setContentText("Title:");
        if (getScene() != null) dialog.initOwner(getScene().getWindow());
        dialog.showAndWait().ifPresent(title -> vm.renameSession(s, title));
    }

    private void confirmDelete(Session s) {
        var alert = new Alert(Alert.AlertType.CONFIRMATION, "Delete “" + s.title() + "”? You can undo this.",
                ButtonType.OK, ButtonType.CANCEL);
        alert.setHeaderText("Delete this session?");
        if (getScene() != null) alert.initOwner(getScene().getWindow());
        alert.showAndWait().filter(ButtonType.OK::equals).ifPresent(_ -> vm.deleteSession(s));
    }

    private Node settingsPanel() {
        var box = new VBox(8);
        box.setPadding(new Insets(8));
        box.setPrefWidth(320);
        box.getStyleClass().add("chat-settings");

        var systemTitle = new Label("System prompt");
        systemTitle.getStyleClass().add(Styles.TEXT_BOLD);
        var system = new TextArea();
        system.setId("chat-system-prompt");
        system.setWrapText(true);
        system.setPrefRowCount(4);
        system.setAccessibleText("System prompt");
        system.textProperty().bindBidirectional(vm.systemPromptProperty());
        var presets = new ComboBox<>(vm.presetNames());
        presets.setPromptText("Presets");
        presets.setAccessibleText("Saved system prompts");
        presets.setOnAction(_ -> {
            var name = presets.getValue();
            if (name != null) vm.usePreset(name);
        });
        var save = new Button("Save…");
        save.setAccessibleText("Save this system prompt as a preset");
        save.setOnAction(_ -> {
            var dialog = new TextInputDialog(presets.getValue() == null ? "" : presets.getValue());
            dialog.setTitle("Save system prompt");
            dialog.setHeaderText(null);
            dialog.setContentText("Preset name:");
            if (getScene() != null) dialog.initOwner(getScene().getWindow());
            dialog.showAndWait().ifPresent(vm::savePreset);
        });
        var deletePreset = new Button(null, new FontIcon(Feather.TRASH_2));
        deletePreset.setAccessibleText("Delete the chosen preset");
        deletePreset.disableProperty().bind(presets.valueProperty().isNull());
        deletePreset.setOnAction(_ -> vm.deletePreset(presets.getValue()));
        var presetRow = new HBox(6, presets, save, deletePreset);

        var s = vm.sampling();
        var samplingTitle = new Label("Sampling");
        samplingTitle.getStyleClass().add(Styles.TEXT_BOLD);
        var grid = new GridPane(8, 6);
        int row = 0;
        grid.addRow(row++, new Label("Temperature"), doubleSpinner(s.temperatureProperty(), 0, 5, 0.05, "temperature"));
        grid.addRow(row++, new Label("Top-k"), intSpinner(s.topKProperty(), 0, 1000, "top-k"));
        grid.addRow(row++, new Label("Top-p"), doubleSpinner(s.topPProperty(), 0.01, 1, 0.01, "top-p"));
        grid.addRow(row++, new Label("Min-p"), doubleSpinner(s.minPProperty(), 0, 1, 0.01, "min-p"));
        grid.addRow(row++, new Label("Repeat penalty"), doubleSpinner(s.repeatPenaltyProperty(), 0.5, 2, 0.05, "repeat-penalty"));
        grid.addRow(row++, new Label("Max tokens"), intSpinner(s.maxTokensProperty(), 1, 32768, "max-tokens"));
        var random = new CheckBox("Random seed");
        random.selectedProperty().bindBidirectional(s.randomSeedProperty());
        var seed = new Spinner<Integer>(0, Integer.MAX_VALUE, (int) Math.min(Integer.MAX_VALUE, s.seedProperty().get()));
        seed.setEditable(true);
        seed.setId("chat-sampling-seed");
        seed.disableProperty().bind(s.randomSeedProperty());
        seed.valueProperty().addListener((_, _, v) -> s.seedProperty().set(v));
        s.seedProperty().addListener((_, _, v) -> seed.getValueFactory().setValue((int) Math.min(Integer.MAX_VALUE, v.longValue())));
        grid.addRow(row++, random, seed);
        grid.getChildren().forEach(n -> {
            if (n instanceof Label l) l.setMinWidth(Region.USE_PREF_SIZE);
        });
        random.setMinWidth(Region.USE_PREF_SIZE);
        var stops = new TextArea();
        stops.setPromptText("Stop strings, one per line");
        stops.setPrefRowCount(2);
        stops.setAccessibleText("Stop strings, one per line");
        stops.textProperty().bindBidirectional(s.stopStringsProperty());
        var reset = new Button("Reset to defaults");
        reset.setId("chat-sampling-reset");
        reset.setOnAction(_ -> s.reset());

        box.getChildren().addAll(systemTitle, system, presetRow, samplingTitle, grid, new Label("Stop strings"), stops, reset);
        var scroll = new ScrollPane(box);
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        return scroll;
    }

    private static Spinner<Double> doubleSpinner(javafx.beans.property.DoubleProperty p, double min, double max,
            double step, String id) {
        var spinner = new Spinner<Double>(min, max, p.get(), step);
        spinner.setEditable(true);
        spinner.setId("chat-sampling-" + id);
        spinner.setPrefWidth(100);
        spinner.setAccessibleText(id);
        spinner.valueProperty().addListener((_, _, v) -> p.set(v));
        p.addListener((_, _, v) -> spinner.getValueFactory().setValue(v.doubleValue()));
        return spinner;
    }

    private static Spinner<Integer> intSpinner(javafx.beans.property.IntegerProperty p, int min, int max, String id) {
        var spinner = new Spinner<Integer>(min, max, p.get());
        spinner.setEditable(true);
        spinner.setId("chat-sampling-" + id);
        spinner.setPrefWidth(100);
        spinner.setAccessibleText(id);
        spinner.valueProperty().addListener((_, _, v) -> p.set(v));
        p.addListener((_, _, v) -> spinner.getValueFactory().setValue(v.intValue()));
        return spinner;
    }

}
