package dev.hearth.app;

import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.chat.BuiltinChatFormatter;
import dev.hearth.storage.SqliteSessionLog;
import dev.hearth.ui.chat.ChatView;
import dev.hearth.ui.chat.ChatViewModel;
import dev.hearth.ui.chat.SystemPromptPresets;
import dev.hearth.ui.engine.LoadRequest;
import dev.hearth.ui.engine.LoadedModel;
import dev.hearth.ui.engine.LoadedModels;
import dev.hearth.ui.engine.ScriptedEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.testfx.util.WaitForAsyncUtils;

/// The real chat (view model, view, session log in `dir`, the app's frame-coalescing `FxUiTasks`) in `stage`, with a
/// scripted engine writing the answers (one character, one token) and its model loading. Call [#open] on the FX
/// thread (a TestFX `@Start`), [#close] after each test.
record ScriptedChat(ScriptedEngine engine, SqliteSessionLog log, LoadedModels models, ChatViewModel vm)
        implements AutoCloseable {

    static ScriptedChat open(Path dir, Stage stage, double width, double height) throws IOException {
        var tasks = new FxUiTasks();
        var engine = new ScriptedEngine();
        var log = SqliteSessionLog.open(dir.resolve("hearth.db"));
        var models = new LoadedModels(() -> engine, tasks);
        Files.writeString(dir.resolve("model.gguf"), "");
        var vm = new ChatViewModel(models, log, BuiltinChatFormatter.NONE,
                SystemPromptPresets.open(dir.resolve("system-prompts.json")), tasks);
        stage.setScene(new Scene(new ChatView(vm, _ -> {}, _ -> {}), width, height));
        stage.show();
        models.load(new LoadRequest(dir.resolve("model.gguf"), LoadOptions.DEFAULT));
        return new ScriptedChat(engine, log, models, vm);
    }

    /// Waits until the scripted model is loaded.
    void waitForModel() throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> models.activeProperty().get() != null
                && models.activeProperty().get().state() == LoadedModel.State.READY);
    }

    @Override
    public void close() {
        models.close();
        log.close();
    }
}
