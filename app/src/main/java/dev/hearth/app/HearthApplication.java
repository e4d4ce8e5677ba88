package dev.hearth.app;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import dev.hearth.inference.hub.HubClient;
import dev.hearth.inference.hub.HubConfig;
import dev.hearth.inference.hub.ModelDownloader;
import dev.hearth.inference.hub.TokenFile;
import dev.hearth.inference.library.ModelCaches;
import dev.hearth.inference.library.ModelLibrary;
import dev.hearth.ui.UiTasks;
import dev.hearth.ui.engine.LoadRequest;
import dev.hearth.ui.engine.Machine;
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
import java.util.concurrent.Callable;
import java.util.function.Consumer;
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

    /// Opens the window; `model`, when not null, is shown in the Models section.
    static void launchWindow(@Nullable Path model) {
        initialModel = model;
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
        var library = new ModelLibrary(folders.models(), List.of(), caches);
        var settings = SettingsStore.open(folders.settings());
        var hub = hubConfig(folders, settings.preferences().hubEndpoint());
        // TODO(coordinator): wire both to the chat's engine manager: its capabilities (Machine.of) and its load(request).
        // Until then a short-lived worker reports the GPUs, and "Load…" says that no engine is wired; nothing is loaded.
        var machine = new WorkerMachineProbe(WorkbenchPages.nativeLibrary(settings, folders));
        Consumer<LoadRequest> load = request -> {
            LOG.warning("no engine manager wired; not loading " + request);
            new Alert(Alert.AlertType.INFORMATION, "This build cannot load models in the window yet; use 'hearth run "
                    + request.model() + "' in a terminal.", ButtonType.OK).showAndWait();
        };
        var wiring = new Wiring(folders, settings, library, hub, new FxUiTasks(), machine, load);
        var shell = wiring.shell();
        followTheme(shell);
        var model = initialModel;
        if (model != null) wiring.openModel(model);

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

    /// The Hub endpoint and token as the CLI resolves them: Hearth's stored token, else `HF_TOKEN`, else the
    /// `huggingface-cli login` file; `HF_ENDPOINT` for a mirror, else the endpoint chosen in Settings. A malformed
    /// `HF_ENDPOINT` falls back to the public Hub.
    static HubConfig hubConfig(DataFolders folders, @Nullable String settingsEndpoint) {
        String stored = null;
        try {
            stored = new TokenFile(folders.home().resolve("hub-token")).read().orElse(null);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "the Hub token file cannot be read", e);
        }
        var home = Path.of(System.getProperty("user.home"));
        var environment = new java.util.HashMap<>(System.getenv());
        if (settingsEndpoint != null) environment.putIfAbsent("HF_ENDPOINT", settingsEndpoint);
        try {
            return HubConfig.fromEnvironment(environment, home, stored);
        } catch (IllegalArgumentException e) {
            LOG.warning(e.getMessage() + "; using " + HubConfig.DEFAULT_ENDPOINT);
            environment.remove("HF_ENDPOINT");
            return HubConfig.fromEnvironment(environment, home, stored);
        }
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
    record Wiring(DataFolders folders, SettingsStore settings, UiTasks tasks, ShellViewModel shell, ModelsViewModel models,
            WorkbenchPages workbench) {
        /// @param machine free memory and GPUs for the fit badges (the engine manager's capabilities, once there is one)
        /// @param load    carries out what the load dialog returns (the engine manager's load)
        Wiring(DataFolders folders, SettingsStore settings, ModelLibrary library, HubConfig hub, UiTasks tasks,
               Callable<Machine> machine, Consumer<LoadRequest> load) {
            this(folders, settings, tasks, new ShellViewModel(settings), new ModelsViewModel(library, new HubClient(hub),
                    new ModelDownloader(hub, folders.models()), tasks, machine, load), WorkbenchPages.open(folders, settings, tasks));
            models.refresh();
            models.downloads().restore();
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
                case METRICS -> workbench.metrics();
                case SETTINGS -> workbench.settings(shell);
                case CHAT, COMPARE, HISTORY, PROJECT -> new PendingSectionView(section);
            };
        }
    }
}
