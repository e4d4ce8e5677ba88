package dev.hearth.ui;

import dev.hearth.inference.project.ContextFile;
import dev.hearth.inference.project.ProjectPrompt;
import dev.hearth.storage.GenerationContext;
import dev.hearth.storage.Project;
import dev.hearth.storage.SessionLog;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/// Where project prompts meet the session log, shared by the Project section and `hearth project ask` (as
/// [GenerationRecorder] is shared by Chat and `hearth run`): the project row of a folder, and the record of what
/// went into a generation's context. Blocking (each call waits for its commit): call it off the UI thread.
public final class ProjectRecords {
    private ProjectRecords() {}

    /// The project of `folder` (its real path), created when the log has none, and marked as opened now.
    public static Project open(SessionLog log, Path folder) {
        var key = folder.toAbsolutePath().normalize().toString();
        var existing = log.projects().stream().filter(p -> key.equals(p.folder())).findFirst();
        long id;
        if (existing.isPresent()) {
            id = existing.get().id();
        } else {
            var name = folder.getFileName() == null ? key : folder.getFileName().toString();
            id = log.createProject(name, key);
        }
        log.projectOpened(id);
        return log.projects().stream().filter(p -> p.id() == id).findFirst().orElseThrow();
    }

    /// The log's record of a built prompt's context: the files kept (path, hash, tokens) and, when a repo map was
    /// asked for with `repoMapBudget` tokens, its size as kept (0 when the budget plan cut it).
    public static GenerationContext context(@Nullable Long projectId, ProjectPrompt.Built built,
            @Nullable Integer repoMapBudget) {
        List<GenerationContext.File> files = built.files().stream().map(ProjectRecords::file).toList();
        var map = built.repoMap();
        Integer mapTokens = repoMapBudget == null ? null : map == null ? 0 : map.tokens();
        return new GenerationContext(projectId, files, repoMapBudget, mapTokens);
    }

    private static GenerationContext.File file(ContextFile f) {
        return new GenerationContext.File(f.path(), f.sha256(), f.tokens());
    }

    /// Records the context of the generation `recorder` is recording.
    public static void record(SessionLog log, GenerationRecorder recorder, GenerationContext context) {
        log.recordContext(recorder.uuid(), context);
    }
}
