package dev.hearth.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Projects opened and the context of generations, in a real SQLite file.
class ProjectContextLogTest {
    @TempDir Path dir;

    @Test
    void aGenerationsContextFilesAndRepoMapBudgetAreKeptInOrder() {
        try (var log = SqliteSessionLog.open(dir.resolve("log.db"))) {
            long project = log.createProject("demo", "/tmp/demo");
            long session = log.createSession("s", project);
            var w = log.startGeneration(session, null, Fixtures.run("p"));
            var files = List.of(new GenerationContext.File("src/B.java", "b".repeat(64), 12),
                    new GenerationContext.File("A.md", "a".repeat(64), 3));
            log.recordContext(w.uuid(), new GenerationContext(project, files, 1024, 700));
            long id = w.id().join();
            var context = log.context(id).orElseThrow();
            assertEquals(files, context.files());
            assertEquals(1024, context.repoMapBudget());
            assertEquals(700, context.repoMapTokens());
            assertEquals(project, context.projectId());
        }
    }

    @Test
    void aGenerationWithoutRecordedContextHasNone() {
        try (var log = SqliteSessionLog.open(dir.resolve("log.db"))) {
            var w = log.startGeneration(null, null, Fixtures.run("p"));
            log.recordContext(w.uuid(), new GenerationContext(null, List.of(), null, null));
            var other = log.startGeneration(null, null, Fixtures.run("q"));
            var context = log.context(w.id().join()).orElseThrow();
            assertEquals(List.of(), context.files());
            assertEquals(null, context.repoMapBudget());
            assertTrue(log.context(other.id().join()).isEmpty());
            assertThrows(StorageException.class,
                    () -> log.recordContext("no-such-uuid", new GenerationContext(null, List.of(), null, null)));
        }
    }

    @Test
    void recentProjectsListTheLastOpenedFirst() throws Exception {
        try (var log = SqliteSessionLog.open(dir.resolve("log.db"))) {
            long a = log.createProject("a", "/a");
            Thread.sleep(2);
            long b = log.createProject("b", "/b");
            assertEquals(List.of(b, a), log.recentProjects(10).stream().map(Project::id).toList());
            Thread.sleep(2);
            log.projectOpened(a);
            assertEquals(List.of(a, b), log.recentProjects(10).stream().map(Project::id).toList());
            assertEquals(1, log.recentProjects(1).size());
        }
    }
}
