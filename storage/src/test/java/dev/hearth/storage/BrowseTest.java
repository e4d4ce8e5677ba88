package dev.hearth.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The history's reads: filters without a text (browse), speed ranges in SQL, and generations by id.
class BrowseTest {
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

    private long generate(Long session, String prompt, String model, double tokensPerSecond) {
        var w = log.startGeneration(session, null, Fixtures.run(prompt, model, 0.8));
        var tokens = Fixtures.tokens(3, 0, prompt.hashCode());
        tokens.forEach(w::append);
        w.finish(new GenerationEnd(GenerationStatus.DONE, "eos", null, Fixtures.text(tokens),
                new GenerationStats(5, 10, 3, 60, tokensPerSecond, 500, 20), Instant.parse("2026-11-20T10:01:00Z")));
        long id = w.id().join();
        log.flush();
        return id;
    }

    @Test
    void browseFiltersWithoutTextNewestFirst() {
        long s = log.createSession("One", null);
        long slow = generate(s, "slow quantum", "alpha", 5);
        long fast = generate(null, "fast quantum", "beta", 80);
        long mid = generate(s, "middle river", "alpha", 30);

        assertEquals(List.of(mid, fast, slow), log.browse(SearchQuery.of("")).stream().map(Generation::id).toList());
        assertEquals(List.of(mid, slow), log.browse(SearchQuery.of("").withModel("alpha")).stream().map(Generation::id).toList());
        assertEquals(List.of(mid, slow), log.browse(SearchQuery.of("").withSession(s)).stream().map(Generation::id).toList());
        assertEquals(List.of(mid, fast), log.browse(SearchQuery.of("").withTokensPerSecond(20.0, null))
                .stream().map(Generation::id).toList());
        assertEquals(List.of(mid), log.browse(SearchQuery.of("").withTokensPerSecond(20.0, 50.0))
                .stream().map(Generation::id).toList());
        assertEquals(1, log.browse(SearchQuery.of("").withLimit(1)).size());
        assertTrue(log.browse(SearchQuery.of("").withStatus(GenerationStatus.FAILED)).isEmpty());
        assertEquals(30.0, log.browse(SearchQuery.of("").withLimit(1)).getFirst().stats().tokensPerSecond());
    }

    @Test
    void searchHonoursTheSpeedRange() {
        generate(null, "slow quantum", "alpha", 5);
        long fast = generate(null, "fast quantum", "beta", 80);

        var hits = log.search(SearchQuery.of("quantum").withTokensPerSecond(50.0, null));
        assertEquals(List.of(fast), hits.stream().map(SearchHit::generationId).toList());
        assertEquals(2, log.search(SearchQuery.of("quantum").withTokensPerSecond(null, 100.0)).size());
        assertTrue(log.search(SearchQuery.of("quantum").withTokensPerSecond(null, 1.0)).isEmpty());
    }

    @Test
    void generationsByIdKeepTheOrderGivenAndSkipUnknownIds() {
        long a = generate(null, "first", "alpha", 5);
        long b = generate(null, "second", "alpha", 6);
        assertEquals(List.of(b, a), log.generations(List.of(b, 999L, a)).stream().map(Generation::id).toList());
        assertTrue(log.generations(List.<Long>of()).isEmpty());
    }
}
