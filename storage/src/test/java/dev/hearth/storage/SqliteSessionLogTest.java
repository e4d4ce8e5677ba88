package dev.hearth.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteSessionLogTest {
    @TempDir Path dir;
    SqliteSessionLog log;

    @BeforeEach
    void open() {
        log = SqliteSessionLog.open(dir.resolve("hearth.db"));
    }

    @AfterEach
    void close() {
        log.close();
    }

    @Test
    void theDatabaseIsInWalModeWithForeignKeysAndTheLatestSchema() throws Exception {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("hearth.db"));
                var st = c.createStatement()) {
            var rs = st.executeQuery("PRAGMA journal_mode");
            rs.next();
            assertEquals("wal", rs.getString(1));
            rs = st.executeQuery("PRAGMA user_version");
            rs.next();
            assertEquals(SqliteSessionLog.Migrations.load(SqliteSessionLog.MIGRATIONS).latest(), rs.getInt(1));
        }
        long session = log.createSession("s", null);
        // foreign keys are enforced: a message in a session that does not exist is refused, alone
        var ex = assertThrows(StorageException.class, () -> log.addMessage(session + 99, null, Message.Role.USER, "x", null));
        assertEquals(StorageException.Kind.BAD_INPUT, ex.kind());
        assertInstanceOf(Health.Writing.class, log.health());
    }

    @Test
    void messagesFormATreeWhereEditsAddSiblings() {
        long s = log.createSession("Chat", null);
        long system = log.addMessage(s, null, Message.Role.SYSTEM, "Be brief.", null);
        long user = log.addMessage(s, system, Message.Role.USER, "Hi", null);
        long reply1 = log.addMessage(s, user, Message.Role.ASSISTANT, "Hello!", null);
        long reply2 = log.addMessage(s, user, Message.Role.ASSISTANT, "Hey.", null);
        var messages = log.messages(s);
        assertEquals(4, messages.size());
        assertEquals(List.of(reply1, reply2), messages.stream()
                .filter(m -> Long.valueOf(user).equals(m.parentId())).map(Message::id).toList());
        assertEquals("Hi", messages.get(1).content());
        var other = log.createSession("Other", null);
        var ex = assertThrows(StorageException.class, () -> log.addMessage(other, user, Message.Role.USER, "x", null));
        assertEquals(StorageException.Kind.BAD_INPUT, ex.kind());
    }

    @Test
    void aStreamedGenerationIsWrittenWithItsRunRecordTokensAndStats() {
        long s = log.createSession("Chat", null);
        var run = Fixtures.run("Why is the sky blue?");
        var tokens = Fixtures.tokens(300, 10, 7);
        var w = log.startGeneration(s, null, run);
        tokens.subList(0, 100).forEach(w::append);
        long id = w.id().join();
        log.flush();
        var midway = log.generation(id).orElseThrow();
        assertEquals(GenerationStatus.RUNNING, midway.status());
        assertEquals(100, midway.tokenCount());
        assertEquals(100, log.tokens(id).size());

        tokens.subList(100, 300).forEach(w::append);
        w.finish(Fixtures.done(Fixtures.text(tokens), 300));
        log.flush();
        var g = log.generation(id).orElseThrow();
        assertEquals(GenerationStatus.DONE, g.status());
        assertEquals(run, g.run());
        assertEquals("eos", g.stopReason());
        assertEquals(Fixtures.text(tokens), g.output());
        assertEquals(300, g.tokenCount());
        assertEquals(50.0, g.stats().tokensPerSecond());
        assertEquals(tokens, log.tokens(id));
        assertEquals(1, log.tokenStorage().get("rows"), "batches are compacted into one blob at the end");
        assertEquals(w.uuid(), g.uuid());
        assertEquals(g, log.generationByUuid(w.uuid()).orElseThrow());
        assertEquals(List.of(g), log.generations(s));
    }

    @Test
    void tokenIndexesMustFollowEachOther() {
        var w = log.startGeneration(null, null, Fixtures.run("p"));
        var t = Fixtures.tokens(2, 0, 1);
        assertThrows(IllegalArgumentException.class, () -> w.append(t.get(1)));
    }

    @Test
    void closingMarksAnUnfinishedGenerationInterruptedAndKeepsItsTokens() {
        var w = log.startGeneration(null, null, Fixtures.run("p"));
        var tokens = Fixtures.tokens(50, 3, 9);
        tokens.forEach(w::append);
        long id = w.id().join();
        log.close();
        log = SqliteSessionLog.open(dir.resolve("hearth.db"));
        var g = log.generation(id).orElseThrow();
        assertEquals(GenerationStatus.INTERRUPTED, g.status());
        assertEquals(Fixtures.text(tokens), g.output());
        assertEquals(tokens, log.tokens(id));
    }

    @Test
    void anotherOpenLogDoesNotInterruptAGenerationOfALiveProcess() {
        var w = log.startGeneration(null, null, Fixtures.run("p"));
        w.append(Fixtures.tokens(1, 0, 1).getFirst());
        long id = w.id().join();
        log.flush();
        try (var second = SqliteSessionLog.open(dir.resolve("hearth.db"))) {
            assertEquals(GenerationStatus.RUNNING, second.generation(id).orElseThrow().status());
        }
    }

    @Test
    void softDeleteHidesASessionUndoBringsItBackAndPurgeRemovesIt() {
        long s = log.createSession("Keep?", null);
        long g = Fixtures.generate(log, s, Fixtures.run("unique zebra words"), Fixtures.tokens(5, 2, 1));
        log.deleteSession(s);
        assertTrue(log.sessions(10).isEmpty());
        assertEquals(1, log.deletedSessions().size());
        assertTrue(log.search(SearchQuery.of("zebra")).isEmpty());
        log.restoreSession(s);
        assertEquals(1, log.sessions(10).size());
        assertEquals(1, log.search(SearchQuery.of("zebra")).size());
        log.deleteSession(s);
        assertEquals(0, log.purgeDeleted(Instant.now().minusSeconds(60)), "only sessions deleted before the cutoff");
        assertEquals(1, log.purgeDeleted(Instant.now().plusSeconds(1)));
        assertTrue(log.generation(g).isEmpty());
        assertTrue(log.tokens(g).isEmpty());
        assertTrue(log.session(s).isEmpty());
        assertEquals("ok", log.integrityCheck());
    }

    @Test
    void searchRanksHighlightsAndFilters() {
        long p = log.createProject("Physics", "/home/u/physics");
        long s1 = log.createSession("One", p);
        long s2 = log.createSession("Two", null);
        Fixtures.generate(log, s1, Fixtures.run("Tell me about the quantum kernel", "alpha", 0.8), Fixtures.tokens(3, 0, 1));
        Fixtures.generate(log, s2, Fixtures.run("quantum quantum quantum gardens", "beta", 0.2), Fixtures.tokens(3, 0, 2));
        Fixtures.generate(log, s2, Fixtures.run("nothing relevant here", "beta", 0.2), Fixtures.tokens(3, 0, 3));

        var hits = log.search(SearchQuery.of("quantum"));
        assertEquals(2, hits.size());
        assertEquals("beta", hits.getFirst().modelName(), "more matches rank first (bm25)");
        assertTrue(hits.getFirst().snippet("[", "]").contains("[quantum]"), hits.getFirst().snippet());
        assertEquals(1, log.search(SearchQuery.of("quantum").withModel("alpha")).size());
        assertEquals(1, log.search(SearchQuery.of("quantum").withProject(p)).size());
        assertEquals(1, log.search(SearchQuery.of("quantum").withSession(s2)).size());
        assertEquals(1, log.search(SearchQuery.of("garden*")).size(), "a trailing star matches a prefix");
        assertEquals(0, log.search(SearchQuery.of("quantum").withStatus(GenerationStatus.FAILED)).size());
        assertEquals(0, log.search(SearchQuery.of("quantum").between(Instant.parse("2027-01-01T00:00:00Z"), null)).size());
        assertEquals(2, log.search(SearchQuery.of("quantum").between(Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2027-01-01T00:00:00Z"))).size());
        assertTrue(log.search(SearchQuery.of("quantum OR (nothing")).isEmpty(),
                "FTS5 syntax in the words is matched literally, never an error");
        var ex = assertThrows(StorageException.class, () -> log.search(SearchQuery.of("  \"\" ")));
        assertEquals(StorageException.Kind.BAD_INPUT, ex.kind());
    }

    @Test
    void sessionSearchFindsMessageBodiesAndNamesTheBestMatchingMessage() {
        long cooking = log.createSession("Dinner ideas", null);
        long q1 = log.addMessage(cooking, null, Message.Role.USER, "How long do I boil an egg for a salad with cress, chives, mayonnaise and pepper on top?", null);
        long a1 = log.addMessage(cooking, q1, Message.Role.ASSISTANT,
                "A hard egg: seven minutes. A soft egg: six.", null);
        long physics = log.createSession("Physics", null);
        log.addMessage(physics, null, Message.Role.USER, "Explain quantum tunnelling briefly.", null);
        long binned = log.createSession("Old eggs", null);
        log.addMessage(binned, null, Message.Role.USER, "egg salad", null);
        log.deleteSession(binned);

        var found = log.searchSessions("egg", 10);
        assertEquals(List.of(cooking), found.stream().map(m -> m.session().id()).toList(),
                "a body matches; a session in the bin does not");
        var match = found.getFirst();
        assertEquals(a1, match.messageId(), "the message where the word counts most");
        assertEquals(Message.Role.ASSISTANT, match.role());
        assertTrue(match.snippet("[", "]").contains("[egg]"), match.snippet());

        assertEquals(List.of(physics), log.searchSessions("tunnel*", 10).stream().map(m -> m.session().id()).toList(),
                "a trailing star matches a prefix");
        var byTitle = log.searchSessions("dinner", 10);
        assertEquals(List.of(cooking), byTitle.stream().map(m -> m.session().id()).toList(), "titles still match");
        assertEquals(null, byTitle.getFirst().messageId());
        assertTrue(log.searchSessions("egg quantum", 10).isEmpty(), "every word must match");
        assertTrue(log.searchSessions("egg OR (quantum", 10).isEmpty(), "FTS5 syntax is matched literally");
    }

    @Test
    void sessionSearchSeesMessagesWrittenBeforeTheIndexExisted() throws Exception {
        log.close();
        var file = dir.resolve("old.db");
        // a database written by a Hearth with schema 1, which had no message index
        log = SqliteSessionLog.open(file, new SqliteSessionLog.Options("testdb/schema1.list", 0, SqliteSessionLog.RANK_AT_MOST));
        long s = log.createSession("Before", null);
        log.addMessage(s, null, Message.Role.USER, "a question about zebras", null);
        log.close();
        log = SqliteSessionLog.open(file);
        assertEquals(List.of(s), log.searchSessions("zebras", 5).stream().map(m -> m.session().id()).toList());
    }

    @Test
    void everySessionOutsideTheBinIsListedNewestFirst() {
        var made = new java.util.ArrayList<Long>();
        for (int i = 0; i < 12; i++) made.add(log.createSession("s" + i, null));
        log.deleteSession(made.get(5));
        var expected = new java.util.ArrayList<>(made.reversed());
        expected.remove(made.get(5));
        assertEquals(expected, log.sessions().stream().map(Session::id).toList());
        assertEquals(expected.subList(0, 3), log.sessions(3).stream().map(Session::id).toList());
    }

    @Test
    void aSessionWhoseOnlyMatchIsOlderThanTheRankedWindowIsStillFound() {
        log.close();
        log = SqliteSessionLog.open(dir.resolve("hearth.db"), new SqliteSessionLog.Options(SqliteSessionLog.MIGRATIONS, 0, 2));
        long old = log.createSession("Years ago", null);
        long q = log.addMessage(old, null, Message.Role.USER, "a lighthouse keeper's question", null);
        log.addMessage(old, q, Message.Role.ASSISTANT, "an unrelated answer", null);
        var recent = new java.util.ArrayList<Long>();
        for (int i = 0; i < 3; i++) {
            long s = log.createSession("Recent " + i, null);
            long m = log.addMessage(s, null, Message.Role.USER, "the lighthouse " + "again ".repeat(i), null);
            if (i == 1) log.addMessage(s, m, Message.Role.ASSISTANT, "lighthouse lighthouse", null);
            recent.add(s);
        }

        var found = log.searchSessions("lighthouse");
        assertEquals(List.of(recent.get(2), recent.get(1), recent.get(0), old),
                found.stream().map(m -> m.session().id()).toList(), "every matching session, newest first");
        var oldest = found.getLast();
        assertEquals(q, oldest.messageId(), "outside the ranked window a session names its newest match");
        assertTrue(oldest.snippet("[", "]").contains("[lighthouse]"), oldest.snippet());
        assertEquals(Message.Role.USER, oldest.role());
        assertEquals(List.of(recent.get(2)), log.searchSessions("lighthouse", 1).stream().map(m -> m.session().id()).toList(),
                "a limit keeps the newest");
    }

    @Test
    void everyOfManyHitsHasItsSnippet() {
        long s = log.createSession("many", null);
        for (int i = 0; i < 230; i++) {
            long session = log.createSession("chat " + i, null);
            log.addMessage(session, null, Message.Role.USER, "filler " + i + " harbour " + "words ".repeat(i % 7), null);
            Fixtures.generate(log, s, Fixtures.run("harbour question " + i), Fixtures.tokens(1, 0, i));
        }
        var sessions = log.searchSessions("harbour");
        assertEquals(230, sessions.size());
        assertTrue(sessions.stream().allMatch(m -> m.snippet("[", "]").contains("[harbour]")),
                "more than 200 snippets are read in one pass over the match");
        var hits = log.search(SearchQuery.of("harbour").withLimit(1_000));
        assertEquals(230, hits.size());
        assertTrue(hits.stream().allMatch(h -> h.snippet("[", "]").contains("[harbour]")));
    }

    @Test
    void aWordFoundInMoreGenerationsThanTheWindowIsRankedAmongTheNewestMatches() {
        log.close();
        log = SqliteSessionLog.open(dir.resolve("hearth.db"), new SqliteSessionLog.Options(SqliteSessionLog.MIGRATIONS, 0, 2));
        long s = log.createSession("s", null);
        var ids = new java.util.ArrayList<Long>();
        for (int i = 0; i < 4; i++) {
            ids.add(Fixtures.generate(log, s, Fixtures.run("common word " + "filler ".repeat(i * 3)), Fixtures.tokens(2, 0, i)));
        }
        var hits = log.search(SearchQuery.of("common").withLimit(2));
        assertEquals(List.of(ids.get(2), ids.get(3)), hits.stream().map(SearchHit::generationId).toList(),
                "the two newest, shorter (higher bm25) first");
        assertTrue(hits.getFirst().snippet("[", "]").contains("[common]"), hits.getFirst().snippet());
        assertTrue(log.search(SearchQuery.of("common").withLimit(2).withModel("nope")).isEmpty());
        assertEquals(List.of(ids.get(0), ids.get(1), ids.get(2), ids.get(3)),
                log.search(SearchQuery.of("common").withLimit(Integer.MAX_VALUE)).stream()
                        .map(SearchHit::generationId).sorted().toList(),
                "asked for more hits than the window holds, a search ranks every match (an export)");
        assertEquals(4, log.search(SearchQuery.of("common").withLimit(10).withSession(s)).size(), "with a filter too");
    }

    @Test
    void throughputGivesMedianAndP90PerModelAndParameterSet() {
        for (int i = 1; i <= 10; i++) {
            var w = log.startGeneration(null, null, Fixtures.run("p" + i, "alpha", i <= 5 ? 0.2 : 0.9));
            w.finish(new GenerationEnd(GenerationStatus.DONE, "eos", null, "x",
                    new GenerationStats(10, 10, 10, 100, i * 10.0, i * 100.0, i), Instant.now()));
        }
        var failed = log.startGeneration(null, null, Fixtures.run("f", "alpha", 0.2));
        failed.finish(new GenerationEnd(GenerationStatus.FAILED, null, "out of memory", null, null, Instant.now()));
        log.flush();

        var all = log.throughput(ThroughputQuery.perModel());
        assertEquals(1, all.size());
        var row = all.getFirst();
        assertEquals("alpha", row.modelName());
        assertEquals(10, row.generations(), "failed runs have no throughput");
        assertEquals(50.0, row.tokensPerSecondMedian());
        assertEquals(90.0, row.tokensPerSecondP90());
        assertEquals(500.0, row.promptTokensPerSecondMedian());
        assertEquals(9.0, row.ttftMsP90());

        var bySampling = log.throughput(new ThroughputQuery("alpha", null, null, ThroughputQuery.Bucket.DAY, true));
        assertEquals(2, bySampling.size());
        assertTrue(bySampling.getFirst().sampling().contains("\"temperature\":0.2"), bySampling.getFirst().sampling());
        assertEquals(30.0, bySampling.getFirst().tokensPerSecondMedian());
        assertEquals(80.0, bySampling.get(1).tokensPerSecondMedian());
        assertTrue(log.throughput(new ThroughputQuery("nope", null, null, ThroughputQuery.Bucket.ALL, false)).isEmpty());
    }

    @Test
    void experimentsRatingsAndNotesAreKept() {
        long s = log.createSession("Compare", null);
        long e = log.createExperiment("temperature sweep", s);
        long cold = log.addVariant(e, "cold", Map.of("temperature", 0.1));
        long hot = log.addVariant(e, "hot", Map.of("temperature", 1.2));
        var w = log.startGeneration(s, cold, Fixtures.run("p"));
        w.finish(Fixtures.done("a", 0));
        long g1 = w.id().join();
        var w2 = log.startGeneration(s, hot, Fixtures.run("p"));
        w2.finish(Fixtures.done("b", 0));
        long g2 = w2.id().join();
        log.flush();
        var exp = log.experiment(e).orElseThrow();
        assertEquals(2, exp.variants().size());
        long later = log.createExperiment("top-k sweep", s);
        assertEquals(List.of(later, e), log.experiments(10).stream().map(Experiment::id).toList(), "newest first");
        assertEquals(List.of(later), log.experiments(1).stream().map(Experiment::id).toList());
        assertEquals(List.of(g1), exp.variants().get(0).generationIds());
        assertEquals(List.of(g2), exp.variants().get(1).generationIds());
        assertEquals(1.2, exp.variants().get(1).settings().get("temperature"));

        log.rate(g1, 4);
        log.rate(g1, 5);
        assertEquals(5, log.rating(g1).orElseThrow());
        assertTrue(log.rating(g2).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> log.rate(g1, 6));
        log.addNote(null, g1, "crisp");
        log.addNote(s, null, "good session");
        assertEquals("crisp", log.notes(null, g1).getFirst().text());
        assertEquals(1, log.notes(s, null).size());
    }

    @Test
    void anEditedExperimentKeepsEachRevisionsVariantsAndTheirGenerations() {
        long e = log.createExperiment("sweep", null);
        long first = log.addVariant(e, "A", Map.of("prompt", "one"));
        var w = log.startGeneration(null, first, Fixtures.run("one"));
        w.finish(Fixtures.done("a", 0));
        long g1 = w.id().join();
        long second = log.addVariant(e, 2, "A", Map.of("prompt", "two"));
        var w2 = log.startGeneration(null, second, Fixtures.run("two"));
        w2.finish(Fixtures.done("b", 0));
        long g2 = w2.id().join();
        var k = log.startGeneration(null, second, Fixtures.run("two"));
        k.finish(Fixtures.done("b, continued", 0));
        long g3 = k.id().join();
        log.recordContinuation(g3, g2, 4);
        log.renameExperiment(e, "sweep, edited");

        var exp = log.experiment(e).orElseThrow();
        assertEquals("sweep, edited", exp.name());
        assertEquals(2, exp.latestRevision());
        assertEquals(List.of(g1), exp.variants(1).getFirst().generationIds());
        assertEquals("one", exp.variants(1).getFirst().settings().get("prompt"));
        assertEquals(List.of(g2, g3), exp.variants(2).getFirst().generationIds());
        assertEquals(List.of(new Continuation(g3, g2, 4)), log.continuations(List.of(g1, g2, g3)));
        assertTrue(log.continuations(List.of(g1)).isEmpty());
        assertThrows(StorageException.class, () -> log.addVariant(e, 2, "A", Map.of()), "labels are unique per revision");
    }

    @Test
    void modelsAreRegisteredOncePerPath() {
        long a = log.registerModel(ModelFile.of("/m/a.gguf", "a", 100, null));
        long again = log.registerModel(new ModelFile(0, "/m/a.gguf", "a", 100, "ff".repeat(32),
                Map.of("architecture", "llama"), "org/repo", "a.gguf", "main", Instant.now()));
        assertEquals(a, again);
        var m = log.models().getFirst();
        assertEquals("ff".repeat(32), m.sha256());
        assertEquals("llama", m.gguf().get("architecture"));
        assertEquals("org/repo", m.sourceRepo());
    }

    @Test
    void aFullDiskRollsBackPausesLoggingAndKeepsReadsWorking() throws Exception {
        log.close();
        var file = dir.resolve("small.db");
        SqliteSessionLog.open(file).close();
        long pages = Files.size(file) / 4096 + 8;
        log = SqliteSessionLog.open(file, new SqliteSessionLog.Options(SqliteSessionLog.MIGRATIONS, pages, SqliteSessionLog.RANK_AT_MOST));
        long s = log.createSession("before", null);
        var w = log.startGeneration(s, null, Fixtures.run("p"));
        var big = Fixtures.tokens(20_000, 10, 5);
        big.forEach(w::append);
        w.finish(Fixtures.done(Fixtures.text(big), big.size()));
        log.flush();
        var paused = assertInstanceOf(Health.Paused.class, log.health());
        assertEquals(StorageException.Kind.DISK_FULL, paused.cause().kind());
        var ex = assertThrows(StorageException.class, () -> log.createSession("after", null));
        assertEquals(StorageException.Kind.PAUSED, ex.kind());
        assertEquals(List.of("before"), log.sessions(10).stream().map(Session::title).toList());
        for (var g : log.recentGenerations(10)) {
            assertEquals(g.tokenCount(), log.tokens(g.id()).size(), "the failed transaction left nothing half-written");
            assertTrue(g.tokenCount() < big.size());
        }
        assertEquals("ok", log.integrityCheck());
    }

    @Test
    void aDatabaseFromANewerHearthIsRefused() throws Exception {
        log.close();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("hearth.db"));
                var st = c.createStatement()) {
            st.execute("PRAGMA user_version = 99");
        }
        var ex = assertThrows(StorageException.class, () -> SqliteSessionLog.open(dir.resolve("hearth.db")));
        assertEquals(StorageException.Kind.NEWER_SCHEMA, ex.kind());
        assertTrue(ex.getMessage().contains("newer Hearth (schema 99; this Hearth knows up to "
                + SqliteSessionLog.Migrations.load(SqliteSessionLog.MIGRATIONS).latest() + ")"), ex.getMessage());
        log = SqliteSessionLog.open(dir.resolve("other.db"));
    }

    @Test
    void aFileThatIsNotADatabaseIsReportedAsDamaged() throws Exception {
        var junk = dir.resolve("junk.db");
        Files.writeString(junk, "this is not sqlite, just text that is long enough to fill a header ".repeat(20));
        var ex = assertThrows(StorageException.class, () -> SqliteSessionLog.open(junk));
        assertEquals(StorageException.Kind.CORRUPT, ex.kind());
    }

    @Test
    void aFolderThatCannotBeCreatedIsReadOnly() throws Exception {
        var file = dir.resolve("a-file");
        Files.writeString(file, "x");
        var ex = assertThrows(StorageException.class, () -> SqliteSessionLog.open(file.resolve("sub/hearth.db")));
        assertEquals(StorageException.Kind.READ_ONLY, ex.kind());
        assertTrue(ex.getMessage().startsWith("Cannot create the data folder"), ex.getMessage());
    }

    @Test
    void verbsAfterCloseFailClearly() {
        log.close();
        var ex = assertThrows(StorageException.class, () -> log.sessions(1));
        assertEquals(StorageException.Kind.CLOSED, ex.kind());
        log.close();
    }

    @Test
    void aGenerationInAMissingSessionIsRefusedAloneAndItsTokensDropped() {
        var w = log.startGeneration(999L, null, Fixtures.run("p"));
        w.append(Fixtures.tokens(1, 0, 1).getFirst());
        w.finish(Fixtures.done("x", 1));
        var ex = assertThrows(java.util.concurrent.CompletionException.class, () -> w.id().join());
        assertEquals(StorageException.Kind.BAD_INPUT, ((StorageException) ex.getCause()).kind());
        log.flush();
        assertInstanceOf(Health.Writing.class, log.health(), "a refused row does not pause the log");
        assertTrue(log.recentGenerations(5).isEmpty());
        assertFalse(log.session(999L).isPresent());
    }
}
