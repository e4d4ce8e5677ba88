package dev.hearth.inference.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HubClientTest {
    private FakeHub hub;
    private HubClient client;

    @BeforeEach
    void start() throws Exception {
        hub = new FakeHub();
        hub.addRepo("bartowski/Llama-3-GGUF", false, 500, 20, Instant.parse("2025-01-01T00:00:00Z"));
        hub.addFile("bartowski/Llama-3-GGUF", "Llama-3-Q4_K_M.gguf", FakeHub.bytes(1000, 1));
        hub.addFile("bartowski/Llama-3-GGUF", "Llama-3-Q8_0.gguf", FakeHub.bytes(2000, 2));
        hub.addFile("bartowski/Llama-3-GGUF", "README.md", "hello".getBytes(), false);
        hub.addRepo("unsloth/Llama-3-big-GGUF", true, 100, 90, Instant.parse("2025-06-01T00:00:00Z"));
        hub.addFile("unsloth/Llama-3-big-GGUF", "Q4_K_M/Llama-3-big-Q4_K_M-00001-of-00002.gguf", FakeHub.bytes(300, 3));
        hub.addFile("unsloth/Llama-3-big-GGUF", "Q4_K_M/Llama-3-big-Q4_K_M-00002-of-00002.gguf", FakeHub.bytes(200, 4));
        hub.addRepo("someone/safetensors-only", false, 1, 1, Instant.parse("2024-01-01T00:00:00Z"));
        hub.addFile("someone/safetensors-only", "model.safetensors", FakeHub.bytes(10, 5));
        client = newClient(hub.config(null));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private HubClient newClient(HubConfig config) {
        return new HubClient(config, HubHttp.defaultClient(), new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5)),
                Duration.ofSeconds(5));
    }

    @Test
    void searchAsksForGgufSortedAndExpandedAndReadsTheFields() throws Exception {
        var results = client.search("llama", SearchSort.DOWNLOADS, 10);

        assertEquals(List.of("bartowski/Llama-3-GGUF", "unsloth/Llama-3-big-GGUF"),
                results.stream().map(r -> r.repo().toString()).toList());
        var first = results.getFirst();
        assertEquals(500, first.downloads());
        assertEquals(20, first.likes());
        assertEquals(Instant.parse("2025-01-01T00:00:00Z"), first.lastModified());
        assertNull(first.gated());
        assertEquals("manual", results.get(1).gated());
        assertEquals("text-generation", first.pipelineTag());
        var query = hub.requests.getLast().query();
        assertTrue(query.contains("filter=gguf") && query.contains("sort=downloads") && query.contains("search=llama")
                && query.contains("expand%5B%5D=lastModified") && query.contains("limit=10"), query);
    }

    @Test
    void searchSortsByLikesAndByUpdated() throws Exception {
        assertEquals("unsloth/Llama-3-big-GGUF", client.search("llama", SearchSort.LIKES, 5).getFirst().repo().toString());
        assertEquals("unsloth/Llama-3-big-GGUF", client.search("", SearchSort.UPDATED, 5).getFirst().repo().toString());
        assertTrue(hub.requests.getLast().query().contains("sort=lastModified"));
    }

    @Test
    void filesListsSizesAndLfsShaAcrossPages() throws Exception {
        hub.treePageSize = 1;
        var files = client.files(RepoId.parse("bartowski/Llama-3-GGUF"), "main");

        assertEquals(3, files.size());
        var q4 = files.stream().filter(f -> f.path().equals("Llama-3-Q4_K_M.gguf")).findFirst().orElseThrow();
        assertEquals(1000, q4.size());
        assertEquals(FakeHub.sha256(FakeHub.bytes(1000, 1)), q4.sha256());
        var readme = files.stream().filter(f -> f.path().equals("README.md")).findFirst().orElseThrow();
        assertNull(readme.sha256());
        assertTrue(hub.countRequests("/tree/main") >= 3, "one request per page");
    }

    @Test
    void splitSetsAreGroupedIntoOneVariant() throws Exception {
        var variants = client.ggufVariants(RepoId.parse("unsloth/Llama-3-big-GGUF"), "main");

        assertEquals(1, variants.size());
        var set = variants.getFirst();
        assertEquals("Q4_K_M/Llama-3-big-Q4_K_M", set.name());
        assertEquals("Q4_K_M", set.quant());
        assertEquals(2, set.files().size());
        assertEquals(500, set.totalBytes());
        assertTrue(set.complete());
    }

    @Test
    void unknownRepositoryIsAPlainFailure() {
        var e = assertThrows(HubException.class, () -> client.files(RepoId.parse("nobody/nothing"), "main"));
        assertEquals(HubException.Kind.REPO_NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains("nobody/nothing not found"), e.getMessage());
    }

    @Test
    void unknownRevisionIsAPlainFailure() {
        var e = assertThrows(HubException.class, () -> client.files(RepoId.parse("bartowski/Llama-3-GGUF"), "v9"));
        assertEquals(HubException.Kind.REVISION_NOT_FOUND, e.kind());
        assertEquals("revision 'v9' not found in bartowski/Llama-3-GGUF", e.getMessage());
    }

    @Test
    void repositoryWithoutGgufSaysSo() {
        var e = assertThrows(HubException.class, () -> client.ggufVariants(RepoId.parse("someone/safetensors-only"), "main"));
        assertEquals(HubException.Kind.NO_GGUF, e.kind());
    }

    @Test
    void serverErrorsAreRetriedABoundedNumberOfTimes() throws Exception {
        hub.close();
        var dead = newClient(new HubConfig(hub.endpoint(), null));
        var e = assertThrows(HubException.class, () -> dead.search("x", SearchSort.DOWNLOADS, 5));
        assertEquals(HubException.Kind.NETWORK, e.kind());
        assertTrue(e.getMessage().startsWith("cannot reach the Hub at " + hub.endpoint()), e.getMessage());
    }

    @Test
    void aClientThatFollowsRedirectsItselfIsRefused() {
        var follows = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        assertThrows(IllegalArgumentException.class,
                () -> new HubClient(hub.config(null), follows, RetryPolicy.DEFAULT, Duration.ofSeconds(1)));
    }

    @Test
    void theTokenGoesToTheHubApi() throws Exception {
        var withToken = newClient(hub.config("hf_abc"));
        withToken.files(RepoId.parse("bartowski/Llama-3-GGUF"), "main");
        assertEquals("Bearer hf_abc", hub.requests.getLast().authorization());
        assertFalse(withToken.config().toString().contains("hf_abc"), "toString never shows the token");
    }

    @Test
    void aClientOnAConfigSourceSendsTheTokenSavedSinceItsLastRequest() throws Exception {
        var current = new java.util.concurrent.atomic.AtomicReference<>(hub.config(null));
        var client = new HubClient(current::get);
        client.files(RepoId.parse("bartowski/Llama-3-GGUF"), "main");
        assertNull(hub.requests.getLast().authorization());
        current.set(hub.config("hf_new")); // a token saved in Settings while the window is open
        client.files(RepoId.parse("bartowski/Llama-3-GGUF"), "main");
        assertEquals("Bearer hf_new", hub.requests.getLast().authorization());
    }
}
