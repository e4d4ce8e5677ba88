package dev.hearth.ui.project;

import dev.hearth.inference.project.edit.EditApplier;
import dev.hearth.inference.project.edit.GitCommitter;
import dev.hearth.storage.Project;
import dev.hearth.storage.SessionLog;
import dev.hearth.ui.UiTasks;
import dev.hearth.ui.chat.ChatViewModel;
import dev.hearth.ui.chat.MessageItem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.stage.DirectoryChooser;
import javafx.stage.Window;
import org.jspecify.annotations.Nullable;

/// Opens the review of a chat answer's edits in a window: against the folder of the session's project, or, for a
/// session outside projects, a folder the user picks (remembered for that session while Hearth runs). "Send as
/// follow-up" puts the message in the chat's draft and sends it when the chat can.
public final class ReviewWindows {
    private final SessionLog log;
    private final UiTasks tasks;
    private final GitCommitter git;
    private final Map<Long, Path> chosenFolders = new HashMap<>();

    public ReviewWindows(SessionLog log, UiTasks tasks, GitCommitter git) {
        this.log = log;
        this.tasks = tasks;
        this.git = git;
    }

    /// Opens the review of `answer`, shown in `chat`; `owner` is a node of the window that asks.
    public void open(Node owner, ChatViewModel chat, MessageItem answer) {
        var session = chat.sessionProperty().get();
        var window = owner.getScene() == null ? null : owner.getScene().getWindow();
        var origin = new EditApplier.Origin(session == null ? null : session.id(), answer.generationId());
        var projectId = session == null ? null : session.projectId();
        tasks.run(() -> projectId == null ? null : log.projects().stream()
                .filter(p -> p.id() == projectId).map(Project::folder).filter(Objects::nonNull).findFirst().orElse(null),
                folder -> {
                    Path root = folder != null ? Path.of(folder) : session == null ? null : chosenFolders.get(session.id());
                    if (root == null || !Files.isDirectory(root)) root = choose(window);
                    if (root == null) return;
                    if (session != null && folder == null) chosenFolders.put(session.id(), root);
                    var vm = new ReviewViewModel(root, answer.text(), origin, new EditLogJournal(log), git, tasks, text -> {
                        chat.draftProperty().set(text);
                        if (chat.canSendProperty().get()) chat.send();
                    });
                    ReviewView.open(window, vm);
                }, e -> {
                    var alert = new Alert(Alert.AlertType.ERROR, "The project of this session could not be read: " + e.getMessage());
                    if (window != null) alert.initOwner(window);
                    alert.show();
                });
    }

    private static @Nullable Path choose(@Nullable Window window) {
        var chooser = new DirectoryChooser();
        chooser.setTitle("Apply the edits to which project folder?");
        var picked = chooser.showDialog(window);
        return picked == null ? null : picked.toPath();
    }
}
