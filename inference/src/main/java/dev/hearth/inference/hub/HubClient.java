package dev.hearth.inference.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.function.Supplier;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/// Reads the Hub's API: GGUF repository search and a repository's file listing. Thread-safe; blocking calls
/// (run them off the UI thread). Failures are [HubException]s with one plain sentence each.
public final class HubClient {
    /// The `expand[]` fields asked for in a search: only these (and `id`) come back.
    static final List<String> SEARCH_FIELDS =
            List.of("author", "downloads", "likes", "lastModified", "gated", "private", "pipeline_tag", "tags");
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
    private static final int MAX_PAGES = 100;

    private final HubHttp http;
    private final RetryPolicy retry;
    private final ObjectMapper json = new ObjectMapper();

    public HubClient(HubConfig config) {
        this(config, HubHttp.defaultClient(), RetryPolicy.DEFAULT, Duration.ofSeconds(30));
    }

    /// A client that reads its endpoint and token for every request (the window's: Settings changes apply at once).
    public HubClient(Supplier<HubConfig> config) {
        this.http = new HubHttp(HubHttp.defaultClientOnFirstUse(), config, Duration.ofSeconds(30));
        this.retry = RetryPolicy.DEFAULT;
    }

    /// @param http           a client that must not follow redirects itself (this class does, per host)
    /// @param requestTimeout how long to wait for a response's headers
    public HubClient(HubConfig config, HttpClient http, RetryPolicy retry, Duration requestTimeout) {
        if (http.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("the HttpClient must not follow redirects (the token must stay on the Hub)");
        }
        this.http = new HubHttp(http, () -> config, requestTimeout);
        this.retry = retry;
    }

    public HubConfig config() {
        return http.config();
    }

    /// GGUF repositories whose name matches `query`, best first by `sort`, at most `limit` (1–1000).
    public List<ModelSummary> search(String query, SearchSort sort, int limit) throws HubException, InterruptedException {
        if (limit < 1 || limit > 1000) throw new IllegalArgumentException("limit must be 1..1000: " + limit);
        var url = new StringBuilder(config().endpoint() + "/api/models?filter=gguf");
        if (!query.isBlank()) url.append("&search=").append(HubHttp.segment(query.strip()));
        url.append("&sort=").append(sort.apiName()).append("&direction=-1&limit=").append(limit);
        for (var field : SEARCH_FIELDS) url.append("&expand%5B%5D=").append(field);
        var body = getJson(URI.create(url.toString()), null, null, null).body();
        if (!body.isArray()) throw badResponse("the model search", "not a JSON array");
        var results = new ArrayList<ModelSummary>();
        for (var node : body) {
            var id = node.path("id").asText(node.path("modelId").asText(""));
            RepoId repo;
            try {
                repo = RepoId.parse(id);
            } catch (IllegalArgumentException _) {
                continue; // canonical models without an owner, or names we could not store safely
            }
            var tags = new ArrayList<String>();
            node.path("tags").forEach(t -> tags.add(t.asText()));
            results.add(new ModelSummary(repo,
                    node.path("downloads").asLong(0),
                    node.path("likes").asLong(0),
                    instant(node.path("lastModified").asText(null)),
                    gated(node.path("gated")),
                    node.path("private").asBoolean(false),
                    node.hasNonNull("pipeline_tag") ? node.get("pipeline_tag").asText() : null,
                    tags));
        }
        return results;
    }

    /// Every file of `repo` at `revision` (a branch, tag or commit), with sizes and LFS sha256, following the
    /// listing's pages (`Link: <…>; rel="next"`).
    public List<RepoFile> files(RepoId repo, String revision) throws HubException, InterruptedException {
        var uri = URI.create(config().endpoint() + "/api/models/" + repo.owner() + "/" + repo.name()
                + "/tree/" + HubHttp.segment(revision) + "?recursive=true");
        var files = new ArrayList<RepoFile>();
        for (int page = 0; page < MAX_PAGES; page++) {
            var response = getJson(uri, repo, revision, null);
            if (!response.body().isArray()) throw badResponse("the file listing of " + repo, "not a JSON array");
            for (var node : response.body()) {
                if (!"file".equals(node.path("type").asText())) continue;
                var path = node.path("path").asText("");
                var lfs = node.path("lfs");
                long size = lfs.isObject() && lfs.has("size") ? lfs.path("size").asLong() : node.path("size").asLong(-1);
                var oid = lfs.isObject() ? lfs.path("oid").asText(null) : null;
                if (path.isEmpty() || size < 0) throw badResponse("the file listing of " + repo, "an entry without path or size");
                try {
                    files.add(new RepoFile(path, size, oid));
                } catch (IllegalArgumentException e) {
                    throw badResponse("the file listing of " + repo, e.getMessage());
                }
            }
            var next = nextPage(response.headers());
            if (next.isEmpty()) return files;
            uri = uri.resolve(next.get());
        }
        throw badResponse("the file listing of " + repo, "more than " + MAX_PAGES + " pages");
    }

    /// The repository's GGUF models, split sets grouped; [HubException.Kind#NO_GGUF] when there are none.
    public List<GgufVariant> ggufVariants(RepoId repo, String revision) throws HubException, InterruptedException {
        var variants = GgufVariant.group(files(repo, revision));
        if (variants.isEmpty()) {
            throw new HubException(HubException.Kind.NO_GGUF, repo + " has no GGUF files at revision '" + revision + "'");
        }
        return variants;
    }

    private record JsonResponse(JsonNode body, HttpHeaders headers) {}

    private JsonResponse getJson(URI uri, @Nullable RepoId repo, @Nullable String revision, @Nullable String file)
            throws HubException, InterruptedException {
        HubException last = null;
        for (int attempt = 1; attempt <= retry.attempts(); attempt++) {
            if (attempt > 1) Thread.sleep(retry.delayAfter(attempt - 1));
            try {
                var exchange = http.send("GET", uri, Map.of("Accept", "application/json"), HttpResponse.BodyHandlers.ofByteArray());
                int status = exchange.status();
                if (status == 200) {
                    byte[] body = exchange.response().body();
                    try {
                        return new JsonResponse(json.readTree(body == null ? new byte[0] : body), exchange.response().headers());
                    } catch (IOException e) {
                        throw badResponse(uri.getPath(), "not JSON: " + e.getMessage());
                    }
                }
                var failure = repo == null
                        ? new HubException(HubException.Kind.SERVER_ERROR, "the Hub at " + config().endpoint()
                                + " answered HTTP " + status + " to the search")
                        : http.failure(status, exchange.response().headers(), exchange.tokenSent(), repo, revision, file);
                if (!HubHttp.retryable(status)) throw failure;
                last = failure;
            } catch (HttpTimeoutException e) {
                last = new HubException(HubException.Kind.NETWORK,
                        "the Hub at " + config().endpoint() + " did not answer in time", e);
            } catch (IOException e) {
                last = new HubException(HubException.Kind.NETWORK,
                        "cannot reach the Hub at " + config().endpoint() + ": " + describe(e), e);
            }
        }
        throw last;
    }

    static Optional<String> nextPage(HttpHeaders headers) {
        for (var link : headers.allValues("Link")) {
            var m = NEXT_LINK.matcher(link);
            if (m.find()) return Optional.of(m.group(1));
        }
        return Optional.empty();
    }

    static String describe(Throwable e) {
        var message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private HubException badResponse(String what, @Nullable String why) {
        return new HubException(HubException.Kind.SERVER_ERROR,
                "the Hub at " + config().endpoint() + " sent an answer Hearth cannot read for " + what + " (" + why + ")");
    }

    private static @Nullable Instant instant(@Nullable String text) {
        if (text == null || text.isBlank()) return null;
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException _) {
            return null;
        }
    }

    private static @Nullable String gated(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) return null;
        if (node.isBoolean()) return node.asBoolean() ? "auto" : null;
        var text = node.asText().toLowerCase(Locale.ROOT);
        return text.isEmpty() || text.equals("false") ? null : text;
    }
}
