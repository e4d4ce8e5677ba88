package dev.hearth.app;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import dev.hearth.inference.Engine;
import dev.hearth.inference.Engines;
import dev.hearth.inference.NativeLibrary;
import dev.hearth.inference.chat.BuiltinChatFormatter;
import dev.hearth.inference.hub.HubClient;
import dev.hearth.inference.hub.HubConfig;
import dev.hearth.inference.hub.ModelDownloader;
import dev.hearth.inference.hub.TokenFile;
import dev.hearth.inference.library.ModelCaches;
import dev.hearth.inference.library.ModelLibrary;
import dev.hearth.storage.SessionLog;
import dev.hearth.storage.SqliteSessionLog;
import dev.hearth.storage.StorageException;
import dev.hearth.ui.UiTasks;
import dev.hearth.inference.project.edit.GitCommitter;
import dev.hearth.ui.chat.ChatView;
import dev.hearth.ui.project.ReviewWindows;
import dev.hearth.ui.chat.ChatViewModel;
import dev.hearth.ui.chat.SamplingViewModel;
import dev.hearth.ui.chat.SystemPromptPresets;
import dev.hearth.ui.engine.LoadDialog;
import dev.hearth.ui.engine.LoadDialogViewModel;
import dev.hearth.ui.engine.EngineStarter;
import dev.hearth.ui.engine.LoadEstimator;
import dev.hearth.ui.engine.LoadRequest;
import dev.hearth.ui.engine.LoadedModel;
import dev.hearth.ui.engine.LoadedModels;
import dev.hearth.ui.engine.LoadedModelsStatus;
import dev.hearth.ui.engine.Machine;
import dev.hearth.ui.compare.CompareView;
import dev.hearth.ui.compare.CompareViewModel;
import dev.hearth.ui.history.HistoryView;
import dev.hearth.ui.history.HistoryViewModel;
import dev.hearth.ui.history.Replay;
import dev.hearth.ui.models.ModelsView;
import dev.hearth.ui.models.ModelsViewModel;
import dev.hearth.ui.settings.ModelFolders;
import dev.hearth.ui.settings.ModelFoldersViewModel;
import dev.hearth.ui.settings.SettingsStore;
import dev.hearth.ui.settings.Theme;
import dev.hearth.ui.project.ProjectView;
import dev.hearth.ui.project.ProjectViewModel;
import dev.hearth.ui.shell.Section;
import dev.hearth.ui.shell.ShellView;
import dev.hearth.ui.shell.ShellViewModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Supplier;
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
import javafx.scene.control.Label;
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

    /// How long each phase of the window's start took (logged once the window is interactive).
    private static final StartupTimes STARTUP = StartupTimes.ofThisProcess();

    /// `HEARTH_QUIT_WHEN_READY=1` closes the window once it is interactive, after opening the chat and letting it warm
    /// up (docs/decisions/0015, 0019).
    static final String QUIT_WHEN_READY = "HEARTH_QUIT_WHEN_READY";

    /// The session log, opened on a thread of its own while JavaFX starts (see [#launchWindow]); taken by the first
    /// [Wiring] for the same file.
    private static final java.util.concurrent.atomic.AtomicReference<@Nullable EarlyLog> EARLY_LOG =
            new java.util.concurrent.atomic.AtomicReference<>();

    private record EarlyLog(Path database, java.util.concurrent.CompletableFuture<SqliteSessionLog> log) {}

    private @Nullable Wiring wiring;

    /// Opens the window; `model`, when not null, is shown in the Models section.
    static void launchWindow(@Nullable Path model) {
        STARTUP.mark("main");
        initialModel = model;
        // SQLite's native library and the schema check take a few hundred ms of one core; JavaFX's start leaves the
        // other core idle, so the log opens there meanwhile (docs/decisions/0015)
        try {
            var database = DataFolders.fromEnvironment().create().database();
            EARLY_LOG.set(new EarlyLog(database, java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> SqliteSessionLog.open(database), runnable -> Thread.ofPlatform().name("hearth-open-log").start(runnable))));
        } catch (IOException _) {
            // start() creates the folders again and reports the problem
        }
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
        STARTUP.mark("toolkit");
        JAVAFX_LOG.setLevel(null);
        var folders = DataFolders.fromEnvironment().create();
        AppLogging.toFile(folders.logs().resolve("hearth.log"));
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> onUncaught(thread, e));

        var caches = ModelCaches.discover(System.getenv(), Path.of(System.getProperty("user.home")), System.getProperty("os.name", ""));
        var settings = SettingsStore.open(folders.settings());
        var library = new ModelLibrary(folders.models(), settings.current().modelFolders(), caches,
                folders.cache().resolve("gguf-metadata.json"));
        // read for every Hub request, so a token or endpoint saved in Settings applies at once
        var wiring = Wiring.of(folders, settings, library, () -> hubConfig(folders, settings.preferences().hubEndpoint()),
                new FxUiTasks(),
                file -> getHostServices().showDocument(file.toUri().toString()));
        this.wiring = wiring;
        STARTUP.mark("wiring");
        wiring.engines().watchWorkers(Duration.ofSeconds(1));
        var shell = wiring.shell();
        followTheme(shell);
        var model = initialModel;
        if (model != null) wiring.openModel(model);
        OPEN_REQUESTS.ready(file -> Platform.runLater(() -> wiring.openModel(file)));

        var root = wiring.shellView();
        STARTUP.mark("view");
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
        STARTUP.mark("shown");
        STARTUP.whenInteractive(scene, () -> {
            STARTUP.log();
            wiring.windowShown();
            // the AOT cache's training run and packaging/startup-bench.sh: a start that ends once the window is ready,
            // after opening the chat and its warm-up, so the cache also holds what the chat's first answer needs
            if ("1".equals(System.getenv(QUIT_WHEN_READY))) {
                shell.sectionProperty().set(Section.CHAT);
                ChatView.whenWarmedUp(HearthApplication::exit);
                var deadline = new javafx.animation.PauseTransition(javafx.util.Duration.seconds(30));
                deadline.setOnFinished(_ -> exit());
                deadline.play();
            }
        });
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

    /// Shuts the engine workers down and closes the session log (it marks unfinished generations).
    @Override
    public void stop() {
        var w = wiring;
        if (w != null) w.close();
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
    static final class Wiring implements AutoCloseable {
        private final SettingsStore settings;
        private final UiTasks tasks;
        private final ModelLibrary library;
        private final Callable<Machine> machine;
        private final Consumer<Path> showFile;
        private final ShellViewModel shell;
        private final LoadedModels engines;
        private final ModelsViewModel models;
        private final @Nullable SessionLog log;
        private final @Nullable String logProblem;
        private final @Nullable ChatViewModel chat;
        private final @Nullable HistoryViewModel history;
        private final @Nullable CompareViewModel compare;
        private final @Nullable ProjectViewModel project;
        private final WorkbenchPages workbench;
        private final ModelFolders modelFolders;
        private final dev.hearth.inference.pack.EngineCatalog engineCatalog;

        /// The window's services as Hearth runs them: engine workers on the bundled llama.cpp library, the session
        /// log in the data folder, the Hub at `hub`.
        static Wiring of(DataFolders folders, SettingsStore settings, ModelLibrary library, Supplier<HubConfig> hub, UiTasks tasks,
                Consumer<Path> showFile) {
            var nativeLibrary = WorkbenchPages.nativeLibrary(settings, folders); // a GPU build chosen in Settings
            // each load asks again, so a library chosen in Settings applies to the next model loaded
            return new Wiring(folders, settings, library, hub, tasks, new WorkerMachineProbe(nativeLibrary),
                    engine -> EngineWorkers.start(WorkbenchPages.nativeLibrary(settings, folders, engine)),
                    Engines.builtinChatFormatter(nativeLibrary), showFile);
        }

        /// @param machine  free memory and GPUs for the fit badges and the load dialog
        /// @param engines  starts one engine (a worker process) per loaded model
        /// @param showFile opens a file (an engine's log) with the desktop
        Wiring(DataFolders folders, SettingsStore settings, ModelLibrary library, Supplier<HubConfig> hub, UiTasks tasks,
                Callable<Machine> machine, EngineStarter engines, BuiltinChatFormatter builtin,
                Consumer<Path> showFile) {
            this.settings = settings;
            this.tasks = tasks;
            this.library = library;
            this.machine = machine;
            this.showFile = showFile;
            this.shell = new ShellViewModel(settings);
            this.engines = new LoadedModels(engines::start, tasks);
            // the status bar has an item per loaded model; its left side only says when there is none
            this.engines.models().addListener((javafx.collections.ListChangeListener<LoadedModel>) _ ->
                    shell.showStatus(this.engines.models().isEmpty() ? "No model loaded" : ""));
            this.modelFolders = new ModelFolders(settings, library);
            this.models = new ModelsViewModel(library, new HubClient(hub), new ModelDownloader(hub, folders.models()), tasks,
                    machine, this::loadForChat, modelFolders, () -> settings.preferences().load());
            this.engineCatalog = EngineWorkers.catalog(folders); // the load dialogs offer its engines
            models.offerEngines(this::offeredEngines);
            SessionLog opened = null;
            String problem = null;
            try {
                opened = openLog(folders.database());
            } catch (StorageException e) {
                LOG.log(Level.WARNING, "the session log could not be opened", e);
                problem = "The session log " + folders.database() + " could not be opened: " + e.getMessage();
            }
            this.log = opened;
            this.logProblem = problem;
            this.chat = opened == null ? null : new ChatViewModel(this.engines, opened, builtin,
                    SystemPromptPresets.open(folders.settings().resolveSibling("system-prompts.json")), tasks,
                    () -> SamplingViewModel.chatDefaults(settings.preferences().sampling()));
            // Replay runs a generation again in a fresh engine from the same factory, as `hearth log replay` does.
            // a replay runs on the engine its record names when that engine is still installed (else the default)
            var catalog = this.engineCatalog;
            this.history = opened == null ? null : new HistoryViewModel(opened,
                    (@Nullable String recorded) -> engines.start(Replay.installedOrDefault(recorded, catalog)), tasks);
            // an experiment's models run in engines of their own, from the same factory as the chat's
            this.compare = opened == null ? null : new CompareViewModel(engines::start, opened, builtin, tasks,
                    Runtime.getRuntime().availableProcessors(), machine, LoadEstimator.of(library));
            // the Project section has a chat of its own, bound to the open project
            this.project = opened == null ? null : new ProjectViewModel(opened, this.engines, new ChatViewModel(this.engines,
                    opened, builtin, SystemPromptPresets.open(folders.settings().resolveSibling("system-prompts.json")), tasks,
                    () -> SamplingViewModel.chatDefaults(settings.preferences().sampling())), tasks);
            this.workbench = new WorkbenchPages(folders, settings, tasks, opened, problem);
            models.refresh();
            models.downloads().restore();
            // a project's session (from History or the Chat section's list) opens in the Project section
            if (chat != null) chat.openProjectSessionsWith(this::openSession);
            if (history != null) history.openSessionsWith(this::openSession);
            if (chat != null) chat.refreshSessions();
        }

        /// Opens a session where it belongs: a project's in the Project section with its project, any other in Chat.
        void openSession(dev.hearth.storage.Session session) {
            if (session.projectId() != null && project != null) {
                shell.sectionProperty().set(Section.PROJECT);
                project.openSession(session);
            } else if (chat != null) {
                shell.sectionProperty().set(Section.CHAT);
                chat.openSession(session);
            }
        }

        ShellViewModel shell() {
            return shell;
        }

        /// The engines a load dialog offers; none while Settings names a library file (the dialog then loads on it).
        private dev.hearth.inference.pack.@Nullable EngineCatalog offeredEngines() {
            return settings.preferences().nativeLibrary() == null ? engineCatalog : null;
        }

        /// The log [#launchWindow] began to open for this file, else a newly opened one.
        private static SessionLog openLog(Path database) {
            var early = EARLY_LOG.getAndSet(null);
            if (early != null && early.database().equals(database)) {
                try {
                    return early.log().join();
                } catch (java.util.concurrent.CompletionException e) {
                    if (e.getCause() instanceof StorageException failure) throw failure;
                    throw e;
                }
            }
            if (early != null) early.log().thenAccept(SessionLog::close);
            return SqliteSessionLog.open(database);
        }

        /// The window is drawn: background work that would slow its start may begin (the GPU probe's worker).
        void windowShown() {
            if (machine instanceof WorkerMachineProbe probe) probe.windowShown();
        }

        ModelsViewModel models() {
            return models;
        }

        LoadedModels engines() {
            return engines;
        }

        @Nullable ChatViewModel chat() {
            return chat;
        }

        @Nullable ProjectViewModel project() {
            return project;
        }

        @Nullable HistoryViewModel history() {
            return history;
        }

        @Nullable SessionLog log() {
            return log;
        }

        /// Shows a model file in the Models section, as `hearth FILE.gguf` and a double-click on the file do.
        void openModel(Path file) {
            shell.sectionProperty().set(Section.MODELS);
            models.inspect(file);
        }

        /// The chat's "Load model…": the load dialog, with the model chosen from the library.
        void askLoad(Node owner) {
            var window = owner.getScene() == null ? null : owner.getScene().getWindow();
            LoadDialog.ask(window, new LoadDialogViewModel(library, tasks, machine, null, settings.preferences().load(),
                    offeredEngines()))
                    .ifPresent(this::load);
        }

        /// Loads a model in its own engine worker; the chat talks to the model loaded last.
        void load(LoadRequest request) {
            engines.load(request);
        }

        /// The Models section's "Load…": loads, then opens the chat.
        private void loadForChat(LoadRequest request) {
            load(request);
            shell.sectionProperty().set(Section.CHAT);
        }

        ShellView shellView() {
            var view = new ShellView(shell, this::page);
            LoadedModelsStatus.attach(view.statusBar(), engines);
            return view;
        }

        /// The chat, with "Review changes" under answers that propose file edits.
        private ChatView chatView(ChatViewModel chat, SessionLog log) {
            var view = new ChatView(chat, this::askLoad, showFile);
            var reviews = new ReviewWindows(log, tasks, new GitCommitter());
            view.setOnReviewChanges(answer -> reviews.open(view, chat, answer));
            return view;
        }

        Node page(Section section) {
            return switch (section) {
                case MODELS -> new ModelsView(models);
                case CHAT -> chat != null && log != null ? chatView(chat, log)
                        : new Label(logProblem == null ? "The session log is not available." : logProblem);
                case HISTORY -> history != null ? new HistoryView(history)
                        : new Label(logProblem == null ? "The session log is not available." : logProblem);
                case METRICS -> workbench.metrics();
                case SETTINGS -> workbench.settings(shell,
                        new ModelFoldersViewModel(modelFolders, library.modelsDir(), tasks, models::refresh));
                case COMPARE -> compare != null ? new CompareView(compare, owner -> LoadDialog.ask(
                        owner.getScene() == null ? null : owner.getScene().getWindow(),
                        new LoadDialogViewModel(library, tasks, machine, null, settings.preferences().load(),
                    offeredEngines())))
                        : new Label(logProblem == null ? "The session log is not available." : logProblem);
                case PROJECT -> project != null && log != null ? new ProjectView(project, chatView(project.chat(), log))
                        : new Label(logProblem == null ? "The session log is not available." : logProblem);
            };
        }

        /// Shuts every engine worker down, then closes the session log.
        @Override
        public void close() {
            if (compare != null) compare.close();
            engines.close();
            if (log != null) log.close();
        }
    }
}
