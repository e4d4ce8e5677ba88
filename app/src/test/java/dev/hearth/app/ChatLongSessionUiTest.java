package dev.hearth.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.library.ModelLibrary;
import dev.hearth.storage.Message;
import dev.hearth.storage.SqliteSessionLog;
import dev.hearth.ui.chat.MessageItem;
import dev.hearth.ui.settings.SettingsStore;
import dev.hearth.ui.shell.Section;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/// A stored conversation of 1,000 messages (~100k tokens of text) reopens and shows through a virtualised list:
/// only the visible messages have cells.
@Tag("fx")
@ExtendWith(ApplicationExtension.class)
class ChatLongSessionUiTest {
    @TempDir
    static Path home;

    private HearthApplication.Wiring wiring;

    @Start
    void start(Stage stage) throws Exception {
        var folders = DataFolders.resolve(Map.of("HEARTH_HOME", home.toString()), "Linux", home).create();
        try (var log = SqliteSessionLog.open(folders.database())) {
            long session = log.createSession("Long conversation", null);
            Long parent = null;
            var paragraph = "Some **bold** words and `code`, then more words to read. ".repeat(20);
            for (int i = 0; i < 500; i++) {
                parent = log.addMessage(session, parent, Message.Role.USER, "Question " + i, null);
                parent = log.addMessage(session, parent, Message.Role.ASSISTANT,
                        "## Answer " + i + "\n\n" + paragraph + "\n\n```java\nint x = " + i + ";\n```\n", null);
            }
        }
        wiring = HearthApplication.Wiring.of(folders, SettingsStore.open(folders.settings()),
                new ModelLibrary(folders.models(), List.of(), List.of()),
                () -> new dev.hearth.inference.hub.HubConfig(java.net.URI.create("http://127.0.0.1:9"), null), new FxUiTasks(), _ -> {});
        wiring.shell().sectionProperty().set(Section.CHAT);
        stage.setScene(new Scene(wiring.shellView(), 1000, 700));
        stage.show();
    }

    @AfterEach
    void close() {
        wiring.close();
    }

    @Test
    void aThousandMessageSessionReopensWithCellsOnlyForTheVisibleMessages(FxRobot robot) throws Exception {
        var chat = wiring.chat();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> chat.messages().size() == 1000);
        @SuppressWarnings("unchecked")
        ListView<MessageItem> list = robot.lookup("#chat-messages").queryAs(ListView.class);
        robot.interact(() -> list.scrollTo(500));
        WaitForAsyncUtils.waitForFxEvents();
        var cells = robot.lookup("#chat-messages .chat-message-cell").queryAllAs(ListCell.class).stream()
                .filter(c -> c.getItem() != null && c.isVisible()).toList();
        assertTrue(cells.size() < 40, cells.size() + " cells for 1,000 messages");
        assertTrue(cells.stream().anyMatch(c -> c.getIndex() == 500), "the list shows where it was scrolled to");
        assertEquals("Question 250", chat.messages().get(500).text());
    }
}
