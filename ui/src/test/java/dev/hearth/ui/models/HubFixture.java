package dev.hearth.ui.models;

import dev.hearth.inference.gguf.FixtureModel;
import dev.hearth.inference.hub.FakeHub;
import dev.hearth.inference.hub.HubClient;
import dev.hearth.inference.hub.HubConfig;
import dev.hearth.inference.hub.ModelDownloader;
import dev.hearth.inference.hub.RetryPolicy;
import dev.hearth.inference.library.ModelLibrary;
import dev.hearth.ui.UiTasks;
import dev.hearth.ui.engine.LoadRequest;
import dev.hearth.ui.engine.Machine;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/// A Hub-like server on 127.0.0.1 with fixture GGUF models, and the Models section's view model talking to it.
final class HubFixture implements AutoCloseable {
    static final String REPO = "someone/Tiny-GGUF";
    static final String SPLIT_REPO = "someone/Split-GGUF";
    static final String GATED_REPO = "licensed/Gated-GGUF";
    static final String FILE = "tiny-Q8_0.gguf";

    final FakeHub hub;
    final Path models;
    final byte[] model;
    final List<LoadRequest> loads = new CopyOnWriteArrayList<>();

    HubFixture(Path models, Path scratch) throws IOException {
        this.models = models;
        this.hub = new FakeHub();
        model = Files.readAllBytes(FixtureModel.builder().name("Tiny from the Hub").layers(2).write(scratch.resolve(FILE)));
        hub.addRepo(REPO, false, 1200, 30, Instant.parse("2026-01-02T00:00:00Z"));
        hub.addFile(REPO, FILE, model);
        hub.addFile(REPO, "README.md", "# Tiny".getBytes(), false);
        hub.addRepo("someone/Popular-GGUF", false, 90_000, 5, Instant.parse("2025-06-01T00:00:00Z"));
        hub.addFile("someone/Popular-GGUF", "popular-Q4_K_M.gguf", FakeHub.bytes(3000, 1));
        hub.addRepo(SPLIT_REPO, false, 10, 900, Instant.parse("2026-03-01T00:00:00Z"));
        int half = model.length / 2;
        hub.addFile(SPLIT_REPO, "big-Q4_0-00001-of-00002.gguf", java.util.Arrays.copyOfRange(model, 0, half));
        hub.addFile(SPLIT_REPO, "big-Q4_0-00002-of-00002.gguf", java.util.Arrays.copyOfRange(model, half, model.length));
        hub.addRepo(GATED_REPO, true, 5, 5, Instant.parse("2024-01-01T00:00:00Z"));
        hub.addFile(GATED_REPO, "gated-Q8_0.gguf", FakeHub.bytes(4000, 2));
    }

    static HttpClient http() {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(2)).build();
    }

    static HubClient client(HubConfig config) {
        return new HubClient(config, http(), new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(5)), Duration.ofSeconds(5));
    }

    static ModelDownloader.Options options() {
        return ModelDownloader.Options.DEFAULT
                .withRetry(new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5)))
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(2))
                .withDiskSpace(ModelDownloader.DiskSpace.SYSTEM, 0);
    }

    static ModelDownloader downloader(HubConfig config, Path models) {
        return new ModelDownloader(config, models, http(), options());
    }

    ModelsViewModel viewModel(UiTasks tasks) {
        return viewModel(tasks, hub.config(null));
    }

    ModelsViewModel viewModel(UiTasks tasks, HubConfig config) {
        return new ModelsViewModel(new ModelLibrary(models, List.of(), List.of()), client(config), downloader(config, models),
                tasks, Machine::withoutEngine, loads::add);
    }

    /// Waits (bounded) for something a download thread makes true.
    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 1000 && !condition.getAsBoolean(); i++) Thread.sleep(10);
        if (!condition.getAsBoolean()) throw new AssertionError("never happened: " + what);
    }

    @Override
    public void close() {
        hub.close();
    }
}
