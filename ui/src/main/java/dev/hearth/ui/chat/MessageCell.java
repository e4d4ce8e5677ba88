package dev.hearth.ui.chat;

import atlantafx.base.theme.Styles;
import java.util.function.Function;
import javafx.beans.InvalidationListener;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.TextArea;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.jspecify.annotations.Nullable;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/// Renders one message: who wrote it, ‹ 2/3 › among its siblings, its body (from [ChatView#messageBody]), the
/// figures under an answer, the error in place when it failed, and its actions (Regenerate, Edit, Copy).
final class MessageCell extends ListCell<MessageItem> {
    private static final PseudoClass FAILED = PseudoClass.getPseudoClass("failed");
    private static final PseudoClass STREAMING = PseudoClass.getPseudoClass("streaming");
    private static final PseudoClass USER = PseudoClass.getPseudoClass("user");

    private final ChatViewModel vm;
    private final MessageBodies bodies;
    private final Runnable showLog;
    private final Function<MessageItem, @Nullable Node> review;
    private final InvalidationListener refresh = _ -> render();
    private @Nullable MessageItem shown;
    private boolean editing;
    /// The body shown now (a message's body is built once, [MessageBodies]).
    private @Nullable Node shownBody;

    // The cell's own nodes, made once per cell and updated for each message it shows: a list scrolled through a long
    // conversation gives its cells new messages every frame, and making these (with their icons and tooltips) and
    // matching their styles again each time was a third of the FX thread's time while scrolling.
    // The sibling controls and the actions are made when the cell first shows a message that has them (a cell
    // that only ever shows answers being written or unstored messages never makes them).
    private final VBox box = new VBox(4);
    private final Label who = new Label();
    private final HBox header;
    private @Nullable Siblings siblings;
    private @Nullable Actions actions;
    private final Label stats = new Label();

    /// ‹ 2/3 › among a message's versions.
    private record Siblings(HBox box, Button previous, Label where, Button next) {}

    /// Regenerate (answers), Edit (the user's messages) and Copy.
    private record Actions(Button regenerate, Button edit, Button copy) {}

    /// @param review the "Review changes" control under an answer that proposes edits (null: none)
    MessageCell(ChatViewModel vm, MessageBodies bodies, Runnable showLog, Function<MessageItem, @Nullable Node> review) {
        this.vm = vm;
        this.bodies = bodies;
        this.showLog = showLog;
        this.review = review;
        getStyleClass().add("chat-message-cell");
        setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
        setPrefWidth(0); // follow the list's width, so text wraps instead of scrolling sideways

        box.getStyleClass().add("chat-message");
        who.getStyleClass().addAll(Styles.TEXT_BOLD, "chat-role");
        stats.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL, "chat-stats");
        var spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        header = new HBox(6, who, spacer);
        header.setAlignment(Pos.CENTER_LEFT);
        box.getChildren().add(header);
    }

    private Siblings siblings() {
        var made = siblings;
        if (made != null) return made;
        var previous = small("‹", "Previous version");
        previous.setOnAction(_ -> {
            if (shown != null) vm.showSibling(shown, -1);
        });
        var next = small("›", "Next version");
        next.setOnAction(_ -> {
            if (shown != null) vm.showSibling(shown, +1);
        });
        var where = new Label();
        where.getStyleClass().addAll(Styles.TEXT_SMALL, "chat-sibling-position");
        var row = new HBox(2, previous, where, next);
        row.getStyleClass().add("chat-siblings");
        row.setAlignment(Pos.CENTER_LEFT);
        header.getChildren().add(1, row);
        made = new Siblings(row, previous, where, next);
        siblings = made;
        return made;
    }

    private Actions actions() {
        var made = actions;
        if (made != null) return made;
        var regenerate = icon(Feather.REFRESH_CW, "Regenerate: write a new answer, keeping this one");
        regenerate.getStyleClass().add("chat-regenerate");
        regenerate.disableProperty().bind(vm.stateProperty().isEqualTo(ChatViewModel.State.GENERATING));
        regenerate.setOnAction(_ -> {
            if (shown != null) vm.regenerate(shown);
        });
        var edit = icon(Feather.EDIT_2, "Edit and resend, keeping this version");
        edit.getStyleClass().add("chat-edit");
        edit.disableProperty().bind(vm.stateProperty().isEqualTo(ChatViewModel.State.GENERATING));
        edit.setOnAction(_ -> {
            editing = true;
            render();
        });
        var copy = icon(Feather.COPY, "Copy this message");
        copy.setOnAction(_ -> {
            if (shown == null) return;
            var content = new ClipboardContent();
            content.putString(shown.text());
            Clipboard.getSystemClipboard().setContent(content);
        });
        header.getChildren().addAll(regenerate, edit, copy);
        made = new Actions(regenerate, edit, copy);
        actions = made;
        return made;
    }

    @Override
    protected void updateItem(@Nullable MessageItem item, boolean empty) {
        super.updateItem(item, empty);
        // The listeners below keep an unchanged item's cell current, unless its body went to another cell meanwhile.
        if (!empty && item != null && item == shown && !editing && showsBody()) return;
        if (shown != null) {
            shown.stateProperty().removeListener(refresh);
            shown.siblingCountProperty().removeListener(refresh);
            shown.siblingIndexProperty().removeListener(refresh);
            shown.engineStoppedProperty().removeListener(refresh);
        }
        shown = empty ? null : item;
        editing = false;
        if (shown != null) {
            shown.stateProperty().addListener(refresh);
            shown.siblingCountProperty().addListener(refresh);
            shown.siblingIndexProperty().addListener(refresh);
            shown.engineStoppedProperty().addListener(refresh);
        }
        render();
    }

    /// Whether this cell shows `item` with `body` in it now (so no other cell may take that body).
    boolean shows(MessageItem item, Node body) {
        if (shown != item || isEmpty() || getGraphic() == null) return false;
        for (var n = body.getParent(); n != null; n = n.getParent()) if (n == this) return true;
        return false;
    }

    private boolean showsBody() {
        var body = shownBody;
        return shown != null && body != null && shows(shown, body);
    }

    private void render() {
        var item = shown;
        shownBody = null;
        if (item == null) {
            setGraphic(null);
            return;
        }
        box.pseudoClassStateChanged(FAILED, item.state() == MessageItem.State.FAILED);
        box.pseudoClassStateChanged(STREAMING, item.state() == MessageItem.State.STREAMING);
        box.pseudoClassStateChanged(USER, !item.isAnswer());
        who.setText(item.isAnswer() ? "Assistant" : "You");

        int count = item.siblingCountProperty().get();
        int index = item.siblingIndexProperty().get();
        if (count > 1 || siblings != null) {
            var s = siblings();
            show(s.box(), count > 1);
            s.where().setVisible(count > 1);
            s.where().setText((index + 1) + "/" + count);
            s.previous().setDisable(index == 0);
            s.next().setDisable(index >= count - 1);
        }
        boolean stored = item.state() != MessageItem.State.STREAMING && item.id() != 0;
        if (stored || actions != null) {
            var a = actions();
            show(a.regenerate(), stored && item.isAnswer());
            show(a.edit(), stored && !item.isAnswer());
            show(a.copy(), stored);
        }

        var parts = new java.util.ArrayList<Node>(5);
        parts.add(header);
        if (editing) {
            parts.add(editor(item));
        } else {
            var node = bodies.bodyFor(item, this);
            shownBody = node;
            parts.add(node);
        }
        if (item.isAnswer() && !item.statsProperty().get().isEmpty()) {
            stats.setText(item.statsProperty().get());
            parts.add(stats);
        }
        if (item.state() == MessageItem.State.FAILED) parts.add(errorInPlace(item));
        if (item.isAnswer() && item.state() != MessageItem.State.STREAMING && !editing) {
            var reviewControl = review.apply(item);
            if (reviewControl != null) parts.add(reviewControl);
        }
        if (!box.getChildren().equals(parts)) box.getChildren().setAll(parts);
        if (getGraphic() != box) setGraphic(box);
    }

    private static void show(Node node, boolean shown) {
        node.setVisible(shown);
        node.setManaged(shown);
    }

    private Node editor(MessageItem item) {
        var area = new TextArea(item.text());
        area.setWrapText(true);
        area.setPrefRowCount(3);
        area.getStyleClass().add("chat-edit-area");
        var send = new Button("Send");
        send.getStyleClass().add(Styles.ACCENT);
        send.setOnAction(_ -> {
            editing = false;
            vm.editAndResend(item, area.getText());
            render();
        });
        var cancel = new Button("Cancel");
        cancel.setOnAction(_ -> {
            editing = false;
            render();
        });
        area.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER && e.isShortcutDown()) send.fire();
            if (e.getCode() == KeyCode.ESCAPE) cancel.fire();
        });
        var buttons = new HBox(6, send, cancel);
        return new VBox(4, area, buttons);
    }

    private Node errorInPlace(MessageItem item) {
        var message = new Label(item.errorProperty().get());
        message.getStyleClass().addAll(Styles.DANGER, "chat-error");
        message.setWrapText(true);
        var box = new HBox(8, message);
        box.setAlignment(Pos.CENTER_LEFT);
        box.getStyleClass().add("chat-error-box");
        if (item.engineStoppedProperty().get()) {
            var log = new Button("View log");
            log.setId("chat-view-log");
            log.getStyleClass().add(Styles.SMALL);
            log.setOnAction(_ -> showLog.run());
            var reload = new Button("Reload model");
            reload.setId("chat-reload-model");
            reload.getStyleClass().add(Styles.SMALL);
            reload.setOnAction(_ -> vm.reloadModel());
            box.getChildren().addAll(log, reload);
        }
        return box;
    }

    private static Button small(String text, String accessible) {
        var b = new Button(text);
        b.getStyleClass().addAll(Styles.FLAT, Styles.SMALL);
        b.setAccessibleText(accessible);
        return b;
    }

    private static Button icon(Feather icon, String accessible) {
        var b = new Button(null, new FontIcon(icon));
        b.getStyleClass().addAll(Styles.FLAT, Styles.SMALL, Styles.BUTTON_ICON);
        b.setAccessibleText(accessible);
        // the tooltip is made when the pointer first comes over the button (a cell per visible message has three)
        b.addEventHandler(javafx.scene.input.MouseEvent.MOUSE_ENTERED, _ -> {
            if (b.getTooltip() == null) b.setTooltip(new javafx.scene.control.Tooltip(accessible));
        });
        return b;
    }
}
