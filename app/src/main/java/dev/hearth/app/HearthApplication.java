package dev.hearth.app;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import dev.hearth.inference.library.ModelCaches;
import dev.hearth.inference.library.ModelLibrary;
import dev.hearth.ui.UiTasks;
import dev.hearth.ui.models.ModelsView;
import dev.hearth.ui.models.ModelsViewModel;
import dev.hearth.ui.settings.SettingsStore;
import dev.hearth.ui.settings.Theme;
import dev.hearth.ui.shell.PendingSectionView;
import dev.hearth.ui.shell.Section;
import dev.hearth.ui.shell.ShellView;
import dev.hearth.ui.shell.ShellViewModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javafx.application.Application;
import javafx.application.ColorScheme;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.image.Image;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.jspecify.annotations.Nullable;

/// The JavaFX application: wires services, then view models, then views, and shows the main window.
public final class HearthApplication extends Application {
    private static final Logger LOG = Logger.getLogger(HearthApplication.class.getName());

    /// Kept strongly reachable so the level set below is not lost to garbage collection.
    private static final Logger JAVAFX_LOG = Logger.getLogger("javafx");

    /// The model file given on the command line (a double-click in the file manager), shown once the window is up.
    private static volatile @Nullable Path initialModel;

    /// Files the OS asks the running app to open (macOS Apple events), shown once the window is up.
    private static final OpenFileRequests OPEN_REQUESTS = new OpenFileRequests();

    /// Opens the window; `model`, when not null, is shown in the Models section.
    static void launchWindow(@Nullable Path model) {
        initialModel = model;
        // before the toolkit starts, so the event of the double-click that started Hearth is not missed; macOS only,
        // so AWT is not loaded elsewhere
        if (MacOpenFiles.isMac()) MacOpenFiles.install(OPEN_REQUESTS::request);
        // Hearth runs JavaFX from the class path on purpose (docs/decisions/0001); its warning about that is noise.
        // Its level goes back to normal once the toolkit is up (see start).
        JAVAFX_LOG.setLevel(Level.SEVERE);
        Application.launch(HearthApplication.class);
    }

    @Override
    public void start(Stage stage) throws IOException {
        JAVAFX_LOG.setLevel(null);
        var folders = DataFolders.fromEnvironment().create();
        AppLogging.toFile(folders.logs().resolve("hearth.log"));
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> onUncaught(thread, e));

        var caches = ModelCaches.discover(System.getenv(), Path.of(System.getProperty("user.home")), System.getProperty("os.name", ""));
        var settings = SettingsStore.open(folders.settings());
        var library = new ModelLibrary(folders.models(), settings.current().modelFolders(), caches,
                folders.cache().resolve("gguf-metadata.json"));
        var wiring = new Wiring(folders, settings, library, new FxUiTasks());
        var shell = wiring.shell();
        followTheme(shell);
        var model = initialModel;
        if (model != null) wiring.openModel(model);
        OPEN_REQUESTS.ready(file -> Platform.runLater(() -> wiring.openModel(file)));

        var root = wiring.shellView();
        var scene = new Scene(root, 1200, 780);
        var css = HearthApplication.class.getResource("/dev/hearth/ui/hearth.css");
        if (css != null) scene.getStylesheets().add(css.toExternalForm());
        stage.setTitle("Hearth");
        stage.getIcons().addAll(icons());
        stage.setScene(scene);
        stage.setMinWidth(720);
        stage.setMinHeight(480);
        stage.setOnCloseRequest(event -> {
            event.consume();
            exit();
        });
        stage.show();
    }

    /// Quits cleanly. JavaFX 26 crashes in `Platform.exit()` while a popup is showing (stack notes), so every
    /// window is hidden first.
    static void exit() {
        for (Window window : List.copyOf(Window.getWindows())) window.hide();
        Platform.exit();
    }

    private static void followTheme(ShellViewModel shell) {
        var preferences = Platform.getPreferences();
        Runnable apply = () -> {
            var theme = shell.themeProperty().get();
            boolean dark = theme == Theme.DARK
                    || theme == Theme.SYSTEM && preferences.getColorScheme() == ColorScheme.DARK;
            Application.setUserAgentStylesheet(
                    dark ? new PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet());
        };
        apply.run();
        shell.themeProperty().addListener((_, _, _) -> apply.run());
        preferences.colorSchemeProperty().addListener((_, _, _) -> apply.run());
    }

    private static List<Image> icons() {
        return java.util.stream.Stream.of(16, 32, 48, 64, 128, 256)
                .map(size -> HearthApplication.class.getResource("/dev/hearth/app/icons/hearth-" + size + ".png"))
                .filter(java.util.Objects::nonNull)
                .map(url -> new Image(url.toExternalForm()))
                .toList();
    }

    /// The safety net: log the failure and offer its details, without taking the window down.
    private static void onUncaught(Thread thread, Throwable e) {
        LOG.log(Level.SEVERE, "uncaught exception on " + thread.getName(), e);
        if (!Platform.isFxApplicationThread()) {
            Platform.runLater(() -> showCrashDialog(e));
            return;
        }
        showCrashDialog(e);
    }

    private static void showCrashDialog(Throwable e) {
        var trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        var copy = new ButtonType("Copy details", ButtonBar.ButtonData.LEFT);
        var alert = new Alert(Alert.AlertType.ERROR, "Something went wrong inside Hearth. Your work is saved; "
                + "the details are in the log.", copy, ButtonType.CLOSE);
        alert.setHeaderText("Unexpected error");
        alert.showAndWait().filter(copy::equals).ifPresent(_ -> {
            var content = new ClipboardContent();
            content.putString(trace.toString());
            Clipboard.getSystemClipboard().setContent(content);
        });
    }

    /// Plain `new`: services, then view models, then views.
    record Wiring(DataFolders folders, SettingsStore settings, UiTasks tasks, ShellViewModel shell, ModelsViewModel models) {
        Wiring(DataFolders folders, SettingsStore settings, ModelLibrary library, UiTasks tasks) {
            this(folders, settings, tasks, new ShellViewModel(settings), new ModelsViewModel(library, tasks));
            models.refresh();
        }

        /// Shows a model file in the Models section, as `hearth FILE.gguf` and a double-click on the file do.
        void openModel(Path file) {
            shell.sectionProperty().set(Section.MODELS);
            models.inspect(file);
        }

        ShellView shellView() {
            return new ShellView(shell, this::page);
        }

        Node page(Section section) {
            return switch (section) {
                case MODELS -> new ModelsView(models);
                case CHAT, COMPARE, HISTORY, METRICS, PROJECT -> new PendingSectionView(section);
            };
        }
    }
}
