package dev.hearth.ui.chat;

import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.skin.ListViewSkin;
import javafx.scene.control.skin.VirtualFlow;

/// The conversation list's skin: a [ListViewSkin] whose virtual flow does not force a CSS pass over a cell that
/// keeps its message. JavaFX's flow calls `applyCss()` on every cell it (re)places while the cell needs layout, and
/// `applyCss()` walks the whole subtree of the cell, so each relayout of the list (a message added, the count of
/// items changing) re-styled every node of every long answer in view: the long frame when a message was sent.
/// A cell that shows a new message, or a new cell, still gets its CSS before it is measured.
///
/// Set in [ChatView]'s constructor, before it listens to the messages: the skin then hears of added messages before
/// the view's `scrollTo` to the last one (with the default skin, made later, the scroll came first, was clamped to
/// the old count, and the list stayed where it was instead of following to the new answer).
final class MessageListSkin extends ListViewSkin<MessageItem> {
    MessageListSkin(ListView<MessageItem> list) {
        super(list);
    }

    @Override
    protected VirtualFlow<ListCell<MessageItem>> createVirtualFlow() {
        return new Flow();
    }

    private static final class Flow extends VirtualFlow<ListCell<MessageItem>> {
        /// The flow's own mark on a cell its factory just made (the cell needs its CSS before measuring).
        private static final String NEW_CELL = "newcell";

        @Override
        protected void setCellIndex(ListCell<MessageItem> cell, int index) {
            var before = cell.getItem();
            if (cell.getScene() == null || cell.isEmpty() || cell.getProperties().containsKey(NEW_CELL)) {
                super.setCellIndex(cell, index);
                return;
            }
            cell.updateIndex(index);
            // A finished message in the same cell keeps its nodes: the scene's own CSS pass styles what changed.
            // An answer being written grows between frames and is measured now, so it gets its CSS first.
            var item = cell.getItem();
            if (item != before || item == null || item.state() == MessageItem.State.STREAMING) cell.applyCss();
        }
    }
}
