package dev.hearth.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class StartupTimesTest {
    @Test
    void summaryListsEveryPhaseInOrderInMsAfterTheProcessStarted() {
        var times = new StartupTimes(Instant.now().minusSeconds(2));
        times.mark("main");
        times.mark("ready");
        var summary = times.summary();
        assertTrue(summary.matches("main \\d+ ms, ready \\d+ ms"), summary);
        for (var part : summary.split(", ")) {
            long ms = Long.parseLong(part.replaceAll("\\D", ""));
            assertTrue(ms >= 2000 && ms < 60_000, part);
        }
    }

    @Test
    void summaryIsEmptyWhenTheProcessStartIsUnknown() {
        var times = new StartupTimes(null);
        times.mark("main");
        assertEquals("", times.summary());
    }
}
