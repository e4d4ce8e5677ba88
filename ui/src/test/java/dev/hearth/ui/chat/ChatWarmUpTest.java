package dev.hearth.ui.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.chat.BuiltinChatFormatter;
import dev.hearth.storage.SqliteSessionLog;
import dev.hearth.ui.InlineUiTasks;
import dev.hearth.ui.engine.LoadedModels;
import dev.hearth.ui.engine.ScriptedEngine;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/// The chat's warm-up renders its sample conversation through the chat's own cells and style sheets without an
/// error, off screen, and leaves the chat, its view and the session log as they were.
@Tag("fx")
@ExtendWith(ApplicationExtension.class)
class ChatWarmUpTest {
    @TempDir
    Path dir;

    @Test
    void theSampleConversationRendersOffScreenAndLeavesTheChatAndTheLogAsTheyWere() throws Exception {
        try (var log = SqliteSessionLog.open(dir.resolve("hearth.db"));
                var models = new LoadedModels(ScriptedEngine::new, new InlineUiTasks())) {
            var vm = new ChatViewModel(models, log, BuiltinChatFormatter.NONE,
                    SystemPromptPresets.open(dir.resolve("system-prompts.json")), new InlineUiTasks());
            var result = WaitForAsyncUtils.asyncFx(() -> {
                var view = new ChatView(vm, _ -> {}, _ -> {});
                var stage = new Stage();
                stage.setScene(new Scene(view, 800, 600));
                stage.show();
                int nodes = count(stage.getScene().getRoot());
                long start = System.nanoTime();
                ChatWarmUp.steps(vm, stage.getScene(), view).forEach(Runnable::run);
                long ms = (System.nanoTime() - start) / 1_000_000;
                int after = count(stage.getScene().getRoot());
                stage.hide();
                return new long[] {ms, nodes, after};
            }).get(60, TimeUnit.SECONDS);

            assertTrue(result[0] >= 0, "it ran to the end");
            assertEquals(result[1], result[2], "the shown chat view did not gain or lose a node");
            assertEquals(List.of(), List.copyOf(vm.messages()), "the chat shows no message of the sample");
            assertEquals(List.of(), List.copyOf(vm.sessions()), "nor a session");
            log.flush();
            assertEquals(List.of(), log.sessions(10), "and nothing was written to the session log");
        }
    }

    private static int count(javafx.scene.Node node) {
        int n = 1;
        if (node instanceof javafx.scene.Parent p) for (var child : p.getChildrenUnmodifiable()) n += count(child);
        return n;
    }
}
