package dev.hearth.inference.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelDownloaderTest {
    static final String REPO = "bartowski/Tiny-GGUF";
    static final String GATED = "meta/Gated-GGUF";
    static final int SIZE = 300_000;

    @TempDir Path models;
    private FakeHub hub;
    private byte[] content;
    private FakeHub.Faults faults;

    @BeforeEach
    void start() throws Exception {
        hub = new FakeHub();
        hub.addRepo(REPO, false, 1, 1, Instant.EPOCH);
        content = FakeHub.bytes(SIZE, 42);
        faults = hub.addFile(REPO, "Tiny-Q4_K_M.gguf", content);
        hub.addRepo(GATED, true, 1, 1, Instant.EPOCH);
        hub.addFile(GATED, "Gated-Q8_0.gguf", FakeHub.bytes(5000, 7));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private ModelDownloader downloader(HubConfig config, ModelDownloader.Options options) {
        return new ModelDownloader(config, models, HubHttp.defaultClient(), options);
    }

    private static ModelDownloader.Options fast() {
        return ModelDownloader.Options.DEFAULT
                .withRetry(new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(10)))
                .withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(400))
                .withDiskSpace(ModelDownloader.DiskSpace.SYSTEM, 0);
    }

    private ModelDownloader downloader() {
        return downloader(hub.config(null), fast());
    }

    private List<RepoFile> files(String repo, HubConfig config) throws Exception {
        return new HubClient(config, HubHttp.defaultClient(), new RetryPolicy(1, Duration.ZERO, Duration.ZERO), Duration.ofSeconds(5))
                .files(RepoId.parse(repo), "main").stream().filter(RepoFile::isGguf).toList();
    }

    private DownloadRequest request() throws Exception {
        return new DownloadRequest(RepoId.parse(REPO), "main", files(REPO, hub.config(null)));
    }

    private Path target() {
        return models.resolve("bartowski/Tiny-GGUF/Tiny-Q4_K_M.gguf");
    }

    private Path part() {
        return models.resolve(".partial/bartowski/Tiny-GGUF/Tiny-Q4_K_M.gguf.part");
    }

    private List<Path> libraryFiles() throws IOException {
        try (Stream<Path> s = Files.walk(models)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.startsWith(models.resolve(".partial"))).toList();
        }
    }

    @Test
    void aFileArrivesVerifiedInOwnerRepoFolderThroughTheCdnRedirect() throws Exception {
        var statuses = new CopyOnWriteArrayList<DownloadStatus>();
        var end = downloader().start(request(), (_, s) -> statuses.add(s)).awaitEnd();

        assertEquals(DownloadStatus.State.COMPLETED, end.state(), end.note());
        assertArrayEquals(content, Files.readAllBytes(target()));
        assertFalse(Files.exists(part()));
        assertEquals(SIZE, end.bytesDone());
        assertTrue(statuses.stream().anyMatch(s -> s.state() == DownloadStatus.State.RUNNING));
        assertTrue(hub.requests.stream().anyMatch(r -> r.host().startsWith("localhost:") && r.path().startsWith("/cdn/")));
    }

    @Test
    void unfinishedDownloadsAreFoundAfterARestartWithTheirSetsTogether() throws Exception {
        var repo = "unsloth/Split-GGUF";
        hub.addRepo(repo, false, 1, 1, Instant.EPOCH);
        hub.addFile(repo, "Split-Q8_0-00001-of-00002.gguf", FakeHub.bytes(70_000, 1));
        var f2 = hub.addFile(repo, "Split-Q8_0-00002-of-00002.gguf", FakeHub.bytes(50_000, 2));
        f2.failStatus = 404;
        f2.failTimes.set(1);
        var request = DownloadRequest.of(RepoId.parse(repo), "main", GgufVariant.group(files(repo, hub.config(null))).getFirst());
        assertEquals(DownloadStatus.State.FAILED, downloader().start(request, DownloadListener.NONE).awaitEnd().state());

        var unfinished = downloader().unfinished();
        assertEquals(List.of(request), unfinished);
        assertEquals(DownloadStatus.State.COMPLETED, downloader().start(unfinished.getFirst(), DownloadListener.NONE).awaitEnd().state());
        assertEquals(List.of(), downloader().unfinished());
    }

    @Test
    void theTokenNeverFollowsTheRedirectToAnotherHost() throws Exception {
        var config = hub.config(FakeHub.GOOD_TOKEN);
        var request = new DownloadRequest(RepoId.parse(GATED), "main", files(GATED, config));
        var end = downloader(config, fast()).start(request, DownloadListener.NONE).awaitEnd();

        assertEquals(DownloadStatus.State.COMPLETED, end.state(), end.note());
        var resolve = hub.requests.stream().filter(r -> r.path().contains("/resolve/")).findFirst().orElseThrow();
        assertEquals("Bearer " + FakeHub.GOOD_TOKEN, resolve.authorization());
        var cdn = hub.requests.stream().filter(r -> r.path().startsWith("/cdn/")).toList();
        assertFalse(cdn.isEmpty());
        cdn.forEach(r -> assertNull(r.authorization(), "token sent to " + r.host()));
    }

    @Test
    void aGatedRepositoryWithoutTokenSaysToAcceptTheLicenceAndSetAToken() throws Exception {
        var request = new DownloadRequest(RepoId.parse(GATED), "main", files(GATED, hub.config(null)));
        var end = downloader().start(request, DownloadListener.NONE).awaitEnd();

        assertEquals(DownloadStatus.State.FAILED, end.state());
        assertEquals(HubException.Kind.GATED, end.failure().kind());
        assertTrue(end.failure().getMessage().contains("accept its licence at " + hub.endpoint() + "/" + GATED), end.note());
        assertTrue(end.failure().getMessage().contains("HF_TOKEN"));
        assertEquals(1, hub.countRequests("/resolve/"), "a 401 is not retried");
    }

    @Test
    void aDroppedConnectionResumesWithRangeAndTheShaMatches() throws Exception {
        faults.dropAfter = 100_000;
        faults.dropTimes.set(2);
        var end = downloader().start(request(), DownloadListener.NONE).awaitEnd();

        assertEquals(DownloadStatus.State.COMPLETED, end.state(), end.note());
        assertArrayEquals(content, Files.readAllBytes(target()));
        var ranges = hub.requests.stream().filter(r -> r.path().startsWith("/cdn/")).map(FakeHub.Seen::range).toList();
        assertNull(ranges.getFirst());
        assertTrue(ranges.contains("bytes=100000-"), ranges.toString());
    }

    @Test
    void corruptedBytesAreRejectedAndNothingIsKept() throws Exception {
        faults.corruptAt = 12345;
        var end = downloader().start(request(), DownloadListener.NONE).awaitEnd();

        assertEquals(DownloadStatus.State.FAILED, end.state());
        assertEquals(HubException.Kind.CHECKSUM_MISMATCH, end.failure().kind());
        assertTrue(end.failure().getMessage().contains("does not match the Hub's sha256"), end.note());
        assertEquals(List.of(), libraryFiles());
        assertFalse(Files.exists(part()), "the corrupt .part is removed");
    }

    @Test
    void aServerThatIgnoresRangeStartsTheFileOverCleanly() throws Exception {
        Files.createDirectories(part().getParent());
        Files.write(part(), java.util.Arrays.copyOf(content, 50_000));
        faults.ignoreRange = true;
        var end = downloader().start(request(), DownloadListener.NONE).awaitEnd();

        assertEquals(DownloadStatus.State.COMPLETED, end.state(), end.note());
        assertArrayEquals(content, Files.readAllBytes(target()));
    }

    @Test
    void a416ForAStalePartStartsOverAndSucceeds() throws Exception {
        Files.createDirectories(part().getParent());
        Files.write(part(), java.util.Arrays.copyOf(content, 10_000));
        faults.always416 = true;
        var end = downloader().start(request(), DownloadListener.NONE).awaitEnd();

        assertEquals(DownloadStatus.State.COMPLETED, end.state(), end.note());
        assertArrayEquals(content, Files.readAllBytes(target()));
    }

    @Test
    void aCompletePartFromAnEarlierRunIsVerifiedWithoutDownloadingAgain() throws Exception {
        Files.createDirectories(part().getParent());
        Files.write(part(), content);
        var end = downloader().start(request(), DownloadListener.NONE).awaitEnd();

        assertEquals(DownloadStatus.State.COMPLETED, end.state(), end.note());
        assertEquals(0, hub.countRequests("/cdn/"));
    }

    @Test
    void aNewProcessResumesThePartAnEarlierOneLeft() throws Exception {
        faults.stallAfter = 120_000;
        faults.stallMillis = 5_000;
        faults.stallTimes.set(1);
        var latch = new CountDownLatch(1);
        var first = downloader().start(request(), (_, s) -> {
            if (s.state() == DownloadStatus.State.RUNNING && s.bytesDone() >= 120_000) latch.countDown();
        });
        assertTrue(latch.await(10, TimeUnit.SECONDS));
        first.pause();
        assertEquals(DownloadStatus.State.PAUSED, first.awaitEnd().state());
        assertEquals(120_000, Files.size(part()));

        // a fresh downloader, as after a restart, finds the .part
        var end = downloader().start(request(), DownloadListener.NONE).awaitEnd();
        assertEquals(DownloadStatus.State.COMPLETED, end.state(), end.note());
        assertArrayEquals(content, Files.readAllBytes(target()));
        assertEquals("bytes=120000-", hub.requests.stream().filter(r -> r.path().startsWith("/cdn/")).toList().getLast().range());
    }

    @Test
    void aStalledTransferIsDroppedAndResumed() throws Exception {
        faults.stallAfter = 60_000;
        faults.stallMillis = 3_000;
        faults.stallTimes.set(1);
        var end = downloader().start(request(), DownloadListener.NONE).awaitEnd();

        assertEquals(DownloadStatus.State.COMPLETED, end.state(), end.note());
        assertArrayEquals(content, Files.readAllBytes(target()));
    }

    @Test
    void serverErrorsAreRetriedABoundedNumberOfTimesThenReported() throws Exception {
        faults.failStatus = 500;
        faults.failTimes.set(100);
        var end = downloader().start(request(), DownloadListener.NONE).awaitEnd();

        assertEquals(DownloadStatus.State.FAILED, end.state());
        assertEquals(HubException.Kind.SERVER_ERROR, end.failure().kind());
        assertTrue(end.failure().getMessage().contains("HTTP 500"), end.note());
        assertEquals(4, hub.countRequests("/resolve/"));
    }

    @Test
    void aFewServerErrorsAreRetriedAway() throws Exception {
        faults.failStatus = 503;
        faults.failTimes.set(2);
        var end = downloader().start(request(), DownloadListener.NONE).awaitEnd();
        assertEquals(DownloadStatus.State.COMPLETED, end.state(), end.note());
    }

    @Test
    void aMissingFileIsNotRetried() throws Exception {
        var request = new DownloadRequest(RepoId.parse(REPO), "main", List.of(new RepoFile("gone.gguf", 10, null)));
        var end = downloader().start(request, DownloadListener.NONE).awaitEnd();

        assertEquals(HubException.Kind.FILE_NOT_FOUND, end.failure().kind());
        assertEquals(1, hub.countRequests("/resolve/"));
    }

    @Test
    void aNameThatEscapesTheRepositoryFolderIsRefusedBeforeAnyRequest() throws Exception {
        var request = new DownloadRequest(RepoId.parse(REPO), "main", List.of(new RepoFile("../../evil.gguf", 10, null)));
        var end = downloader().start(request, DownloadListener.NONE).awaitEnd();

        assertEquals(HubException.Kind.UNSAFE_PATH, end.failure().kind());
        assertEquals(0, hub.countRequests("/resolve/"));
        assertFalse(Files.exists(models.getParent().resolve("evil.gguf")));
    }

    @Test
    void notEnoughFreeSpaceIsReportedBeforeStarting() throws Exception {
        var options = fast().withDiskSpace(_ -> 1000, 0);
        var end = downloader(hub.config(null), options).start(request(), DownloadListener.NONE).awaitEnd();

        assertEquals(HubException.Kind.NOT_ENOUGH_SPACE, end.failure().kind());
        assertTrue(end.failure().getMessage().contains("only 1.00 kB are free"), end.note());
        assertEquals(0, hub.countRequests("/resolve/"));
    }

    @Test
    void aDiskThatFillsUpMidDownloadIsReportedAndNothingAppearsInTheLibrary() throws Exception {
        // injected write failure seam: the writer fails like a full disk after 100 kB
        ModelDownloader.PartWriter fillsUp = (channel, buffer, position) -> {
            if (position + buffer.remaining() > 100_000) throw new IOException("No space left on device");
            return channel.write(buffer, position);
        };
        var end = downloader(hub.config(null), fast().withPartWriter(fillsUp)).start(request(), DownloadListener.NONE).awaitEnd();

        assertEquals(DownloadStatus.State.FAILED, end.state());
        assertEquals(HubException.Kind.DISK_FULL, end.failure().kind());
        assertTrue(end.failure().getMessage().contains("is full"), end.note());
        assertEquals(List.of(), libraryFiles());
    }

    @Test
    void cancelRemovesThePartFile() throws Exception {
        faults.stallAfter = 100_000;
        faults.stallMillis = 5_000;
        faults.stallTimes.set(1);
        var latch = new CountDownLatch(1);
        var download = downloader().start(request(), (_, s) -> {
            if (s.bytesDone() >= 100_000) latch.countDown();
        });
        assertTrue(latch.await(10, TimeUnit.SECONDS));
        download.cancel();

        assertEquals(DownloadStatus.State.CANCELLED, download.awaitEnd().state());
        assertFalse(Files.exists(part()));
        assertEquals(List.of(), libraryFiles());
    }

    @Test
    void pauseThenResumeFinishesTheSameDownload() throws Exception {
        faults.stallAfter = 100_000;
        faults.stallMillis = 5_000;
        faults.stallTimes.set(1);
        var latch = new CountDownLatch(1);
        var download = downloader().start(request(), (_, s) -> {
            if (s.bytesDone() >= 100_000) latch.countDown();
        });
        assertTrue(latch.await(10, TimeUnit.SECONDS));
        download.pause();
        assertEquals(DownloadStatus.State.PAUSED, download.awaitEnd().state());

        download.resume();
        var end = download.awaitEnd();
        assertEquals(DownloadStatus.State.COMPLETED, end.state(), end.note());
        assertArrayEquals(content, Files.readAllBytes(target()));
    }

    @Test
    void aSplitSetDownloadsAsOneAndAppearsOnlyWhenEveryPartIsVerified() throws Exception {
        var repo = "unsloth/Split-GGUF";
        hub.addRepo(repo, false, 1, 1, Instant.EPOCH);
        var p1 = FakeHub.bytes(70_000, 1);
        var p2 = FakeHub.bytes(50_000, 2);
        hub.addFile(repo, "Q8_0/Split-Q8_0-00001-of-00002.gguf", p1);
        var f2 = hub.addFile(repo, "Q8_0/Split-Q8_0-00002-of-00002.gguf", p2);
        f2.corruptAt = 10;
        var variant = GgufVariant.group(files(repo, hub.config(null))).getFirst();
        var request = DownloadRequest.of(RepoId.parse(repo), "main", variant);

        var failed = downloader().start(request, DownloadListener.NONE).awaitEnd();
        assertEquals(HubException.Kind.CHECKSUM_MISMATCH, failed.failure().kind());
        assertEquals(List.of(), libraryFiles(), "no part of a set appears before all are verified");

        f2.corruptAt = -1;
        var end = downloader().start(request, DownloadListener.NONE).awaitEnd();
        assertEquals(DownloadStatus.State.COMPLETED, end.state(), end.note());
        assertArrayEquals(p1, Files.readAllBytes(models.resolve(repo).resolve("Q8_0/Split-Q8_0-00001-of-00002.gguf")));
        assertArrayEquals(p2, Files.readAllBytes(models.resolve(repo).resolve("Q8_0/Split-Q8_0-00002-of-00002.gguf")));
        assertEquals(120_000, end.bytesDone());
    }

    @Test
    void severalDownloadsRunAtOnce() throws Exception {
        var other = "x/Other-GGUF";
        hub.addRepo(other, false, 1, 1, Instant.EPOCH);
        var otherBytes = FakeHub.bytes(80_000, 9);
        hub.addFile(other, "Other-F16.gguf", otherBytes);
        var d = downloader();
        var a = d.start(request(), DownloadListener.NONE);
        var b = d.start(new DownloadRequest(RepoId.parse(other), "main", files(other, hub.config(null))), DownloadListener.NONE);

        assertEquals(DownloadStatus.State.COMPLETED, a.awaitEnd().state());
        assertEquals(DownloadStatus.State.COMPLETED, b.awaitEnd().state());
        assertArrayEquals(otherBytes, Files.readAllBytes(models.resolve("x/Other-GGUF/Other-F16.gguf")));
    }

    @Test
    void theSameFileTwiceAtOnceIsRefused() throws Exception {
        faults.stallAfter = 10_000;
        faults.stallMillis = 2_000;
        faults.stallTimes.set(1);
        var d = downloader();
        var a = d.start(request(), DownloadListener.NONE);
        Thread.sleep(100);
        var b = d.start(request(), DownloadListener.NONE).awaitEnd();
        a.cancel();
        a.awaitEnd();
        assertEquals(HubException.Kind.ALREADY_DOWNLOADING, b.failure().kind());
    }

    @Test
    void theShaComesFromXLinkedEtagWhenTheListingHasNone() throws Exception {
        faults.corruptAt = 5;
        var request = new DownloadRequest(RepoId.parse(REPO), "main", List.of(new RepoFile("Tiny-Q4_K_M.gguf", SIZE, null)));
        var end = downloader().start(request, DownloadListener.NONE).awaitEnd();

        assertEquals(HubException.Kind.CHECKSUM_MISMATCH, end.failure().kind(), end.note());
        assertTrue(end.failure().getMessage().contains(FakeHub.sha256(content)), "compared with X-Linked-Etag, not the CDN ETag");
    }

    @Test
    void anUnwritableModelsFolderIsAPlainFailure() throws Exception {
        Path blocked = models.resolve("blocked");
        Files.writeString(blocked, "a file where a folder must go");
        var d = new ModelDownloader(hub.config(null), blocked.resolve("models"), HubHttp.defaultClient(), fast());
        var end = d.start(request(), DownloadListener.NONE).awaitEnd();

        assertEquals(DownloadStatus.State.FAILED, end.state());
        assertEquals(HubException.Kind.NOT_WRITABLE, end.failure().kind(), end.note());
    }
}
