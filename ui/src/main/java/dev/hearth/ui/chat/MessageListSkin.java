package dev.hearth.ui.chat;

import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollToEvent;
import javafx.scene.control.skin.ListViewSkin;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;

/// The conversation list's skin: a [ListViewSkin] whose virtual flow does not force a CSS pass over a cell that
/// keeps its message. JavaFX's flow calls `applyCss()` on every cell it (re)places while the cell needs layout, and
/// `applyCss()` walks the whole subtree of the cell, so each relayout of the list (a message added, the count of
/// items changing) re-styled every node of every long answer in view: the long frame when a message was sent.
/// A cell that shows a new message, or a new cell, still gets its CSS before it is measured.
///
/// It also keeps the end of the conversation in view while the last answer grows, as long as the user has not
/// moved away from it: scrolling up (wheel, scroll bar, keys, or `ListView.scrollTo` from code) stops the following,
/// scrolling back to the end resumes it, and [#followEnd()] (a message sent or a session opened) resumes it too.
///
/// Set in [ChatView]'s constructor, before it listens to the messages: the skin then hears of added messages before
/// the view's `scrollTo` to the last one (with the default skin, made later, the scroll came first, was clamped to
/// the old count, and the list stayed where it was instead of following to the new answer).
final class MessageListSkin extends ListViewSkin<MessageItem> {
    private final Flow flow;

    MessageListSkin(ListView<MessageItem> list) {
        super(list);
        flow = (Flow) getVirtualFlow();
        list.addEventFilter(ScrollEvent.SCROLL, _ -> flow.userMoved = true);
        // ListView.scrollTo from code (a search hit, a test) moves the view as the user would
        list.addEventFilter(ScrollToEvent.scrollToTopIndex(), _ -> flow.userMoved = true);
        list.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            switch (e.getCode()) {
                case UP, DOWN, PAGE_UP, PAGE_DOWN, HOME, KP_UP, KP_DOWN -> flow.userMoved = true;
                case END -> followEnd(); // the list selects the last message; its end comes into view, and stays
                default -> {}
            }
        });
        flow.vbar().addEventFilter(MouseEvent.MOUSE_PRESSED, _ -> flow.userMoved = true);
        flow.vbar().addEventFilter(MouseEvent.MOUSE_DRAGGED, _ -> flow.userMoved = true);
    }

    @Override
    protected VirtualFlow<ListCell<MessageItem>> createVirtualFlow() {
        return new Flow();
    }

    /// Keeps the end of the last message in view from the next layout on, until the user scrolls away.
    void followEnd() {
        flow.follow = true;
        flow.userMoved = false;
        flow.requestLayout();
    }

    private static final class Flow extends VirtualFlow<ListCell<MessageItem>> {
        /// The flow's own mark on a cell its factory just made (the cell needs its CSS before measuring).
        private static final String NEW_CELL = "newcell";
        /// Keep the last message's end at the bottom of the view.
        private boolean follow = true;
        /// The user scrolled since the last layout: whether the view follows is decided by where they left it.
        private boolean userMoved;

        javafx.scene.control.ScrollBar vbar() {
            return getVbar();
        }

        @Override
        protected void layoutChildren() {
            super.layoutChildren();
            if (userMoved) {
                userMoved = false;
                follow = atEnd();
                return;
            }
            int n = getCellCount();
            if (!follow || n == 0 || atEnd()) return;
            var last = getVisibleCell(n - 1);
            if (last == null) {
                scrollTo(n - 1);
                last = getVisibleCell(n - 1);
            }
            if (last != null) scrollToBottom(last);
        }

        /// Whether the last message's end is in view (or there is none).
        private boolean atEnd() {
            int n = getCellCount();
            if (n == 0) return true;
            var last = getVisibleCell(n - 1);
            return last != null && last.getLayoutY() + last.getHeight() <= getViewportLength() + 1;
        }

        @Override
        protected void setCellIndex(ListCell<MessageItem> cell, int index) {
            var before = cell.getItem();
            if (cell.getScene() == null || cell.isEmpty() || cell.getProperties().containsKey(NEW_CELL)) {
                super.setCellIndex(cell, index);
                return;
            }
            cell.updateIndex(index);
            // A message in the same cell keeps its nodes: the scene's own CSS pass, which runs before this layout
            // pass, has already styled what changed, including what an answer being written grew by this frame.
            var item = cell.getItem();
            if (item != before || item == null) cell.applyCss();
        }
    }
}
