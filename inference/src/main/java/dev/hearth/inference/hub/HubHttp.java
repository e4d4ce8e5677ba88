package dev.hearth.inference.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/// The one place that sends requests to the Hub. Redirects are followed here, by hand, so that each hop gets the
/// right headers: the token goes only to the endpoint's own origin, never to a CDN on another host.
final class HubHttp {
    static final int MAX_REDIRECTS = 10;
    static final String USER_AGENT = "hearth/0.1 (java.net.http)";
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

    /// Made on the first request: building an `HttpClient` sets up TLS (the CA certificates), which the window's start
    /// should not wait for (docs/decisions/0015).
    private final Supplier<HttpClient> client;
    /// Read for every request, so a token or endpoint changed in the settings applies without a restart.
    private final Supplier<HubConfig> source;
    private final Duration requestTimeout;

    HubHttp(HttpClient client, Supplier<HubConfig> source, Duration requestTimeout) {
        this(() -> client, source, requestTimeout);
    }

    HubHttp(Supplier<HttpClient> client, Supplier<HubConfig> source, Duration requestTimeout) {
        this.client = client;
        this.source = source;
        this.requestTimeout = requestTimeout;
    }

    HubConfig config() {
        return source.get();
    }

    static HttpClient defaultClient() {
        return HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
    }

    /// [#defaultClient()], made when first asked for and then kept.
    static Supplier<HttpClient> defaultClientOnFirstUse() {
        return new Supplier<>() {
            private @Nullable HttpClient made;

            @Override
            public synchronized HttpClient get() {
                var c = made;
                if (c == null) made = c = defaultClient();
                return c;
            }
        };
    }

    /// The final response after redirects, and the headers the Hub itself sent on the way (for `X-Linked-Etag`,
    /// `X-Linked-Size`, `X-Repo-Commit`, which the CDN does not repeat).
    record Exchange<T>(HttpResponse<T> response, HttpHeaders hubHeaders, boolean tokenSent) {
        int status() {
            return response.statusCode();
        }

        Optional<String> hubHeader(String name) {
            return hubHeaders.firstValue(name).or(() -> response.headers().firstValue(name));
        }
    }

    /// Sends a GET (or HEAD) and follows up to [#MAX_REDIRECTS] redirects. Redirect and error bodies are discarded.
    <T> Exchange<@Nullable T> send(String method, URI uri, Map<String, String> headers, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        var current = uri;
        HttpHeaders hubHeaders = HttpHeaders.of(Map.of(), (_, _) -> true);
        boolean tokenSent = false;
        for (int hop = 0; ; hop++) {
            var builder = HttpRequest.newBuilder(current).timeout(requestTimeout).header("User-Agent", USER_AGENT);
            headers.forEach(builder::header);
            boolean withToken = config().sendsTokenTo(current);
            if (withToken) builder.header("Authorization", "Bearer " + config().token());
            tokenSent |= withToken;
            builder.method(method, HttpRequest.BodyPublishers.noBody());
            HttpResponse.BodyHandler<@Nullable T> guarded = info -> info.statusCode() >= 300
                    ? HttpResponse.BodySubscribers.replacing(null)
                    : handler.apply(info);
            var response = client.get().send(builder.build(), guarded);
            if (HubConfig.sameOrigin(config().endpoint(), current)) hubHeaders = response.headers();
            int status = response.statusCode();
            var location = response.headers().firstValue("Location");
            if (isRedirect(status) && location.isPresent()) {
                if (hop >= MAX_REDIRECTS) throw new IOException("too many redirects from " + uri);
                current = current.resolve(location.get().strip());
                var scheme = current.getScheme();
                if (scheme == null || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))) {
                    throw new IOException("redirect to an unsupported address: " + current);
                }
                continue;
            }
            return new Exchange<>(response, hubHeaders, tokenSent);
        }
    }

    /// A download's response, its body not yet read: see [#openBody].
    static final class Body implements AutoCloseable {
        private final HttpURLConnection connection;
        private final int status;
        private final HttpHeaders headers;
        private final HttpHeaders hubHeaders;
        private final boolean tokenSent;

        private Body(HttpURLConnection connection, int status, HttpHeaders headers, HttpHeaders hubHeaders, boolean tokenSent) {
            this.connection = connection;
            this.status = status;
            this.headers = headers;
            this.hubHeaders = hubHeaders;
            this.tokenSent = tokenSent;
        }

        int status() {
            return status;
        }

        HttpHeaders headers() {
            return headers;
        }

        boolean tokenSent() {
            return tokenSent;
        }

        /// A header the Hub itself sent on the way (the CDN does not repeat `X-Linked-Etag`), else the final one's.
        Optional<String> hubHeader(String name) {
            return hubHeaders.firstValue(name).or(() -> headers.firstValue(name));
        }

        /// The body of a 2xx response; blocking reads, unbuffered (the caller reads in large blocks).
        InputStream stream() throws IOException {
            return connection.getInputStream();
        }

        @Override
        public void close() {
            connection.disconnect();
        }
    }

    /// Opens a GET for a download body, following redirects like [#send] (the token only to the endpoint's origin).
    ///
    /// Why not [HttpClient] here: its body reaches us as a stream of buffers handed between its selector thread and
    /// its executor, allocated and copied on the way; on `DownloadBenchmark` receiving 1 GiB that way cost about
    /// 1.5 s of CPU against about 0.7 s for a plain blocking socket read into our own buffer, and on two cores that
    /// CPU is what a download competes with `curl` for. The JSON calls keep using [HttpClient].
    Body openBody(URI uri, Map<String, String> headers) throws IOException {
        var current = uri;
        HttpHeaders hubHeaders = HttpHeaders.of(Map.of(), (_, _) -> true);
        boolean tokenSent = false;
        for (int hop = 0; ; hop++) {
            var connection = (HttpURLConnection) current.toURL().openConnection();
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            connection.setReadTimeout((int) Math.min(Integer.MAX_VALUE, requestTimeout.toMillis()));
            connection.setRequestProperty("User-Agent", USER_AGENT);
            headers.forEach(connection::setRequestProperty);
            boolean withToken = config().sendsTokenTo(current);
            if (withToken) connection.setRequestProperty("Authorization", "Bearer " + config().token());
            tokenSent |= withToken;
            int status;
            try {
                status = connection.getResponseCode();
            } catch (IOException e) {
                connection.disconnect();
                throw e;
            }
            var responseHeaders = headersOf(connection);
            if (HubConfig.sameOrigin(config().endpoint(), current)) hubHeaders = responseHeaders;
            var location = responseHeaders.firstValue("Location");
            if (isRedirect(status) && location.isPresent()) {
                connection.disconnect();
                if (hop >= MAX_REDIRECTS) throw new IOException("too many redirects from " + uri);
                current = current.resolve(location.get().strip());
                var scheme = current.getScheme();
                if (scheme == null || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))) {
                    throw new IOException("redirect to an unsupported address: " + current);
                }
                continue;
            }
            return new Body(connection, status, responseHeaders, hubHeaders, tokenSent);
        }
    }

    private static HttpHeaders headersOf(HttpURLConnection connection) {
        var merged = new TreeMap<String, List<String>>(String.CASE_INSENSITIVE_ORDER);
        connection.getHeaderFields().forEach((name, values) -> {
            if (name != null && values != null) merged.computeIfAbsent(name, _ -> new ArrayList<>()).addAll(values);
        });
        return HttpHeaders.of(merged, (_, _) -> true);
    }

    static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /// A URL path segment, percent-encoded (`/` too).
    static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /// A repository file path, each segment encoded, slashes kept.
    static String filePath(String path) {
        var b = new StringBuilder();
        for (var part : path.split("/", -1)) {
            if (!b.isEmpty()) b.append('/');
            b.append(segment(part));
        }
        return b.toString();
    }

    /// The Hub's error for a response that is not a success, as a [HubException] with one plain sentence.
    HubException failure(int status, HttpHeaders headers, boolean tokenSent, RepoId repo, @Nullable String revision,
                         @Nullable String file) {
        var code = headers.firstValue("X-Error-Code").orElse("");
        var serverMessage = headers.firstValue("X-Error-Message").map(m -> " (" + m + ")").orElse("");
        var page = config().endpoint() + "/" + repo;
        return switch (code) {
            case "GatedRepo" -> new HubException(HubException.Kind.GATED, tokenSent
                    ? repo + " is gated and your token has no access yet: accept its licence at " + page + " with the account of the token"
                    : repo + " is gated: accept its licence at " + page + ", then set a token (HF_TOKEN, or Hub token in Settings)");
            case "RepoNotFound" -> new HubException(HubException.Kind.REPO_NOT_FOUND, tokenSent
                    ? "repository " + repo + " not found on " + config().endpoint() + " (or your token cannot see it)"
                    : "repository " + repo + " not found on " + config().endpoint() + " (if it is private, set a token: HF_TOKEN)");
            case "RevisionNotFound" -> new HubException(HubException.Kind.REVISION_NOT_FOUND,
                    "revision '" + revision + "' not found in " + repo);
            case "EntryNotFound" -> new HubException(HubException.Kind.FILE_NOT_FOUND,
                    "file '" + file + "' not found in " + repo + (revision == null ? "" : " at revision '" + revision + "'"));
            default -> switch (status) {
                case 401 -> tokenSent
                        ? new HubException(HubException.Kind.UNAUTHORIZED,
                                "the Hub refused the token for " + repo + ": check HF_TOKEN or the token in Settings" + serverMessage)
                        : new HubException(HubException.Kind.REPO_NOT_FOUND,
                                "repository " + repo + " not found on " + config().endpoint() + " (if it is private, set a token: HF_TOKEN)");
                case 403 -> new HubException(HubException.Kind.UNAUTHORIZED,
                        "access to " + repo + " was refused" + serverMessage + ": check that your token may read it");
                case 404 -> file != null
                        ? new HubException(HubException.Kind.FILE_NOT_FOUND, "file '" + file + "' not found in " + repo)
                        : new HubException(HubException.Kind.REPO_NOT_FOUND, "repository " + repo + " not found on " + config().endpoint());
                case 429 -> new HubException(HubException.Kind.SERVER_ERROR,
                        "the Hub is rate-limiting requests (HTTP 429): try again in a while" + serverMessage);
                default -> new HubException(HubException.Kind.SERVER_ERROR,
                        "the Hub answered HTTP " + status + " for " + repo + (file == null ? "" : "/" + file) + serverMessage);
            };
        };
    }

    /// Whether trying again may help: 408, 429 and server errors.
    static boolean retryable(int status) {
        return status == 408 || status == 429 || status >= 500;
    }
}
