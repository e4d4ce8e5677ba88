package dev.hearth.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.app.DataFolders;
import dev.hearth.inference.gguf.FixtureModel;
import dev.hearth.inference.project.ProjectContext;
import dev.hearth.storage.SqliteSessionLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// `hearth project files|ask` on a real folder and a fixture model with the real llama.cpp.
class ProjectCommandTest {
    @TempDir static Path dir;
    static Path model;
    static Path project;

    @BeforeAll
    static void setUp() throws Exception {
        model = FixtureModel.builder().width(64).layers(2).seed(11).contextLength(1024).write(dir.resolve("tiny.gguf"));
        project = dir.resolve("proj");
        Files.createDirectories(project.resolve("src"));
        Files.writeString(project.resolve(".gitignore"), "*.log\n");
        Files.writeString(project.resolve("src/Main.java"), "public class Main {\n    public static void main(String[] args) {\n    }\n}\n");
        Files.writeString(project.resolve("notes.md"), "Some notes about the project.\n");
        Files.writeString(project.resolve("debug.log"), "ignored");
        Files.write(project.resolve("logo.png"), new byte[] {1, 0, 2, 3});
    }

    static Map<String, JsonNode> json(String out) {
        var mapper = new ObjectMapper();
        return out.lines().map(l -> {
            try {
                return mapper.readTree(l);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + l, e);
            }
        }).collect(Collectors.toMap(n -> n.get("path").asText(), Function.identity()));
    }

    @Test
    void filesListsWhatWouldBeIncludedWithTheReasonForTheRest() {
        var run = CliRun.of("project", "files", "--dir", project.toString(), "--json");
        assertEquals(0, run.exitCode(), run.err());
        var files = json(run.out());
        assertEquals(List.of(".gitignore", "logo.png", "notes.md", "src/Main.java").stream().sorted().toList(),
                files.keySet().stream().sorted().toList());
        assertFalse(files.get("logo.png").get("includable").asBoolean());
        assertEquals("binary", files.get("logo.png").get("reason").asText());
        assertFalse(files.get("notes.md").has("tokens"), "no model, no token counts");
    }

    @Test
    void filesCountsTokensWithTheModelsTokenizer() {
        var run = CliRun.of("project", "files", "--dir", project.toString(), "--model", model.toString(), "--json");
        assertEquals(0, run.exitCode(), run.err());
        var files = json(run.out());
        assertTrue(files.get("src/Main.java").get("tokens").asInt() > 5, run.out());
        assertFalse(files.get("logo.png").has("tokens"));
    }

    @Test
    void aMissingFolderIsOneClearLine() {
        var run = CliRun.of("project", "files", "--dir", dir.resolve("nope").toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.oneLineError(), run.err());
        assertTrue(run.err().contains("no such folder"), run.err());
    }

    @Test
    void askStreamsAnAnswerAndRecordsItsContextFiles() throws Exception {
        var run = CliRun.of("project", "ask", "--dir", project.toString(), "--model", model.toString(), "--file",
                "src/Main.java", "--repo-map", "--repo-map-tokens", "200", "--max-tokens", "4", "--temperature", "0",
                "--threads", "1", "What does Main do?");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("src/Main.java: "), run.err());
        assertTrue(run.err().contains("repo map: "), run.err());
        assertTrue(run.err().contains("total: "), run.err());
        var sha = ProjectContext.sha256(Files.readString(project.resolve("src/Main.java")).getBytes(StandardCharsets.UTF_8));
        try (var log = SqliteSessionLog.open(DataFolders.fromEnvironment().database())) {
            var generation = log.recentGenerations(1).getFirst();
            assertTrue(generation.run().prompt().contains("File: src/Main.java"), generation.run().prompt());
            assertTrue(generation.run().prompt().contains("What does Main do?"));
            var context = log.context(generation.id()).orElseThrow();
            assertEquals(1, context.files().size());
            assertEquals("src/Main.java", context.files().getFirst().path());
            assertEquals(sha, context.files().getFirst().sha256());
            assertEquals(200, context.repoMapBudget());
            var session = log.session(generation.sessionId()).orElseThrow();
            var projectRow = log.projects().stream().filter(p -> p.id() == session.projectId()).findFirst().orElseThrow();
            assertEquals(project.toRealPath().toString(), projectRow.folder());
            assertEquals(2, log.messages(session.id()).size(), "the question and the answer");
        }
    }

    static int number(String text, String regex) {
        var m = java.util.regex.Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex + " in:\n" + text);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void askShowsTheChatTemplatesTokensAndTheTotalIsThePromptAsRecorded() throws Exception {
        var run = CliRun.of("project", "ask", "--dir", project.toString(), "--model", model.toString(), "--file",
                "src/Main.java", "--max-tokens", "2", "--temperature", "0", "--threads", "1", "Which class?");
        assertEquals(0, run.exitCode(), run.err());
        int template = number(run.err(), "chat template: (\\d+) tokens \\(role headers, special tokens, BOS\\)");
        assertTrue(template > 0, run.err());
        int sent = number(run.err(), "the prompt as sent: (\\d+)");
        try (var log = SqliteSessionLog.open(DataFolders.fromEnvironment().database())) {
            var generation = log.recentGenerations(1).getFirst();
            assertTrue(generation.run().prompt().contains("Which class?"), generation.run().prompt());
            assertEquals(generation.run().promptTokens(), sent, "the budget's prompt is the one evaluated");
        }
    }

    @Test
    void aDryRunCutsWhatFitsOnlyWithoutTheChatTemplate() {
        var first = CliRun.of("project", "ask", "--dir", project.toString(), "--model", model.toString(), "--file",
                "src/Main.java", "--ctx", "512", "--max-tokens", "16", "--threads", "1", "--dry-run", "Which class?");
        assertEquals(0, first.exitCode(), first.err());
        assertFalse(first.err().contains("left out"), first.err());
        int template = number(first.err(), "chat template: (\\d+) tokens");
        int total = number(first.err(), "total: (\\d+) of");
        int context = number(first.err(), "total: \\d+ of (\\d+) tokens");
        // an answer room that leaves room for every part's own tokens, but not for the template's
        int room = context - (total - template - 16) - template / 2;
        var second = CliRun.of("project", "ask", "--dir", project.toString(), "--model", model.toString(), "--file",
                "src/Main.java", "--ctx", "512", "--max-tokens", String.valueOf(room), "--threads", "1", "--dry-run",
                "Which class?");
        assertEquals(0, second.exitCode(), second.err());
        assertTrue(second.err().contains("src/Main.java: "), second.err());
        assertTrue(second.err().matches("(?s).*src/Main\\.java: \\d+ tokens \\(left out: over budget\\).*"), second.err());
        assertTrue(number(second.err(), "total: (\\d+) of") <= context, second.err());
    }

    @Test
    void askRefusesAnIgnoredOrBinaryFileWithTheReason() {
        var ignored = CliRun.of("project", "ask", "--dir", project.toString(), "--model", model.toString(), "--file",
                "debug.log", "--no-log", "q");
        assertEquals(2, ignored.exitCode());
        assertTrue(ignored.oneLineError(), ignored.err());
        assertTrue(ignored.err().contains("debug.log is not a file of the project"), ignored.err());
        var binary = CliRun.of("project", "ask", "--dir", project.toString(), "--model", model.toString(), "--file",
                "logo.png", "--no-log", "q");
        assertTrue(binary.err().contains("cannot be included: binary"), binary.err());
    }
}
