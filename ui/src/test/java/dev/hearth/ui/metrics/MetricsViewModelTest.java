package dev.hearth.ui.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.gguf.FixtureModel;
import dev.hearth.inference.library.MemoryBandwidth;
import dev.hearth.storage.SqliteSessionLog;
import dev.hearth.storage.ThroughputQuery.Bucket;
import dev.hearth.ui.InlineUiTasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsViewModelTest {
    private static final MemoryBandwidth.Measurement TEN_GB =
            new MemoryBandwidth.Measurement(10e9, 2, 256 << 20, 5, Instant.parse("2026-11-24T05:00:00Z"));

    @TempDir Path dir;
    SqliteSessionLog log;
    Path model;
    long weights;
    final AtomicInteger measured = new AtomicInteger();

    @BeforeEach
    void setUp() throws Exception {
        log = SqliteSessionLog.open(dir.resolve("hearth.db"));
        model = dir.resolve("tiny.gguf");
        FixtureModel.builder().name("Tiny").write(model);
        weights = ModelWeights.bytes(model).orElseThrow();
    }

    @AfterEach
    void tearDown() {
        log.close();
    }

    private MetricsViewModel vm() {
        return new MetricsViewModel(log, dir.resolve("bandwidth.properties"), () -> {
            measured.incrementAndGet();
            return TEN_GB;
        }, ModelWeights::bytes, new InlineUiTasks());
    }

    private void threeDaysOfTwoModels() {
        for (int day = 0; day < 3; day++) {
            for (int i = 1; i <= 4; i++) {
                var t = Runs.T0.plus(Duration.ofDays(day)).plusSeconds(i * 60);
                Runs.write(log, model.toString(), "tiny", 0.8, t, 10 * i + day, 100 * i, 50 * i, 10f, 30f, 60f);
                Runs.write(log, "/gone/other.gguf", "other", i % 2 == 0 ? 0.0 : 0.8, t, 5, 50, 200);
            }
        }
        log.flush();
    }

    @Test
    void theTableHasCountMedianAndP90PerModel() {
        threeDaysOfTwoModels();
        var vm = vm();
        vm.open();

        assertEquals(MetricsViewModel.State.READY, vm.stateProperty().get());
        assertEquals(List.of("other", "tiny"), vm.groups().stream().map(RunGroup::model).toList());
        var tiny = vm.groups().get(1);
        assertEquals(12, tiny.runs());
        // tok/s of tiny: 10,11,12,20,21,22,30,31,32,40,41,42; nearest-rank median is the 6th = 22, p90 the 11th = 41
        assertEquals(22, tiny.tokensPerSecondMedian(), 1e-9);
        assertEquals(41, tiny.tokensPerSecondP90(), 1e-9);
        assertEquals(200, tiny.promptTokensPerSecondMedian(), 1e-9);
        assertEquals(100, tiny.ttftMsMedian(), 1e-9);
    }

    @Test
    void theCeilingIsTheMeasuredBandwidthOverTheModelsWeightBytes() {
        threeDaysOfTwoModels();
        var vm = vm();
        vm.open();

        assertEquals(1, measured.get(), "no kept figure: measured once");
        assertTrue(Files.exists(dir.resolve("bandwidth.properties")));
        var tiny = vm.groups().get(1);
        assertEquals(10e9 / weights, tiny.ceilingTokensPerSecond(), 1e-6);
        assertEquals(22 / (10e9 / weights), tiny.efficiency(), 1e-12);
        assertTrue(Double.isNaN(vm.groups().get(0).ceilingTokensPerSecond()), "other's file is gone: no ceiling");

        var chart = vm.chart();
        var ceiling = chart.stream().filter(ChartSeries::ceiling).toList();
        assertEquals(1, ceiling.size());
        assertEquals("ceiling: tiny", ceiling.getFirst().label());
        assertEquals(10e9 / weights, ceiling.getFirst().points().getFirst().value(), 1e-6);
    }

    @Test
    void aKeptBandwidthIsUsedWithoutMeasuringAndMeasureAgainReplacesIt() throws Exception {
        MemoryBandwidth.save(new MemoryBandwidth.Measurement(1e9, 1, 1 << 20, 3, Instant.EPOCH), dir.resolve("bandwidth.properties"));
        var vm = vm();
        vm.open();
        assertEquals(0, measured.get());
        assertEquals(1e9, vm.bandwidthProperty().get().bytesPerSecond());
        assertTrue(vm.bandwidthTextProperty().get().startsWith("Memory bandwidth 1.0 GB/s"));

        vm.measureAgain();
        assertEquals(1, measured.get());
        assertEquals(TEN_GB, MemoryBandwidth.load(dir.resolve("bandwidth.properties")).orElseThrow());
        assertEquals(10e9, vm.bandwidthProperty().get().bytesPerSecond());
    }

    @Test
    void theChartShowsOneLinePerShownChoiceWithADailyMedianPerPoint() {
        threeDaysOfTwoModels();
        var vm = vm();
        vm.open();

        var tiny = vm.chart().stream().filter(s -> s.label().equals("tiny")).findFirst().orElseThrow();
        assertEquals(3, tiny.points().size(), "three days");
        assertEquals(List.of(20.0, 21.0, 22.0), tiny.points().stream().map(ChartSeries.Point::value).toList());
        assertEquals(Runs.T0.toEpochMilli(), tiny.points().getFirst().epochMillis());

        vm.seriesChoices().stream().filter(c -> c.model().equals("tiny")).forEach(c -> c.shownProperty().set(false));
        assertTrue(vm.chart().stream().noneMatch(s -> s.label().contains("tiny")), "hidden with its ceiling");

        vm.metricProperty().set(Metric.TTFT);
        assertEquals(List.of("other"), vm.chart().stream().map(ChartSeries::label).toList());
        assertEquals(200, vm.chart().getFirst().points().getFirst().value());
    }

    @Test
    void perParameterSetSplitsAModelsRuns() {
        threeDaysOfTwoModels();
        var vm = vm();
        vm.open();
        vm.bySamplingProperty().set(true);

        assertEquals(List.of("other · temperature 0.0", "other · temperature 0.8", "tiny · temperature 0.8"),
                vm.seriesChoices().stream().map(SeriesChoice::label).toList());
        assertEquals(List.of(6, 6, 12), vm.groups().stream().map(RunGroup::runs).toList());
    }

    @Test
    void tooManyHoursWidenTheBuckets() {
        var t = Runs.T0;
        for (int h = 0; h < MetricsViewModel.MAX_POINTS_PER_SERIES + 10; h++) {
            Runs.write(log, model.toString(), "tiny", 0.8, t.plus(Duration.ofHours(h)), 10, 100, 50);
        }
        log.flush();
        var vm = vm();
        vm.bucketProperty().set(Bucket.HOUR);
        vm.open();

        assertEquals("Too many hours to draw; showing days.", vm.messageProperty().get());
        var line = vm.chart().stream().filter(s -> !s.ceiling()).findFirst().orElseThrow();
        assertTrue(line.points().size() <= MetricsViewModel.MAX_POINTS_PER_SERIES);
    }

    @Test
    void theLatencyOfOneGenerationIsTheGapBetweenCumulativeTokenTimes() {
        threeDaysOfTwoModels();
        var vm = vm();
        vm.open();

        var chosen = vm.generationProperty().get();
        assertNotNull(chosen, "the newest generation with tokens is chosen");
        assertTrue(chosen.label().contains("tiny"));
        assertEquals(List.of(10.0, 20.0, 30.0), vm.latencyProperty().get().millis());
        var summary = vm.latencySummaryProperty().get();
        assertTrue(summary.startsWith("3 tokens · median 20.0 ms · p90 30.0 ms per token"), summary);
        assertTrue(summary.contains("% of the"), "efficiency against the ceiling: " + summary);
    }

    @Test
    void anEmptyLogSaysSo() {
        var vm = vm();
        vm.open();
        assertEquals(MetricsViewModel.State.EMPTY, vm.stateProperty().get());
        assertTrue(vm.groups().isEmpty());
        assertTrue(vm.chart().isEmpty());
    }

    @Test
    void csvExportsHoldTheTableAndTheLines() throws Exception {
        threeDaysOfTwoModels();
        var vm = vm();
        vm.open();

        var table = vm.tableCsv().lines().toList();
        assertEquals(3, table.size());
        assertTrue(table.get(0).startsWith("model,params,runs,gen_tok_s_median"));
        assertTrue(table.get(2).startsWith("tiny,,12,22.000,41.000,"), table.get(2));

        var file = dir.resolve("series.csv");
        vm.export(vm.seriesCsv(), file);
        var lines = Files.readAllLines(file);
        assertEquals("series,bucket_start,generation_median", lines.getFirst());
        assertTrue(lines.contains("tiny,2026-11-01T00:00:00Z,20.000"), lines.toString());
        assertEquals("Saved series.csv.", vm.messageProperty().get());
        assertFalse(vm.seriesCsv().isBlank());
    }
}
