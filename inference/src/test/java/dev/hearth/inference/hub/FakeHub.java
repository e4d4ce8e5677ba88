package dev.hearth.inference.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/// A Hub-like HTTP server on 127.0.0.1 for tests and benchmarks. It serves the Hub's JSON shapes (`/api/models`,
/// `/api/models/{repo}/tree/{rev}`), `/{repo}/resolve/{rev}/{file}` answering LFS files with a 302 to a "CDN" path
/// on another host name (`localhost` instead of `127.0.0.1`) with `X-Linked-Etag`/`X-Linked-Size`, Range/206/416 on
/// the CDN, `X-Error-Code` errors, gated repositories, and faults that tests switch on per file.
public final class FakeHub implements AutoCloseable {
    public static final String GOOD_TOKEN = "hf_good_token";
    public static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Repo> repos = new ConcurrentHashMap<>();
    private final Map<String, Blob> blobs = new ConcurrentHashMap<>();
    /// Every request: what a test asserts on (hosts, tokens, ranges).
    public final List<Seen> requests = new CopyOnWriteArrayList<>();
    public volatile int treePageSize = 1000;
    private volatile @Nullable SendfileCdn sendfileCdn;

    public record Seen(String method, String host, String path, @Nullable String query, @Nullable String authorization,
                       @Nullable String range) {}

    /// Faults for one file, switched on by tests.
    public static final class Faults {
        /// Drop the connection after this many body bytes, `dropTimes` times.
        public volatile long dropAfter = -1;
        public final AtomicInteger dropTimes = new AtomicInteger();
        /// Flip one byte at this offset of what is served.
        public volatile long corruptAt = -1;
        /// Answer Range requests with 200 and the whole file.
        public volatile boolean ignoreRange;
        /// Answer the resolve request with this status, `failTimes` times.
        public volatile int failStatus;
        public final AtomicInteger failTimes = new AtomicInteger();
        /// Stop sending after this many body bytes and hang for `stallMillis`.
        public volatile long stallAfter = -1;
        public volatile long stallMillis;
        public final AtomicInteger stallTimes = new AtomicInteger();
        /// Answer every Range request with 416.
        public volatile boolean always416;
    }

    /// A file's content: in memory, or a file on disk (benchmarks).
    record Blob(String sha256, long size, byte @Nullable [] bytes, @Nullable Path file, Faults faults) {}

    record Repo(String id, boolean gated, long downloads, long likes, Instant lastModified, Map<String, Entry> files) {}

    record Entry(String path, String blobKey, boolean lfs) {}

    public FakeHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /// The Hub endpoint: `http://127.0.0.1:PORT`.
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public HubConfig config(@Nullable String token) {
        return new HubConfig(endpoint(), token);
    }

    public void addRepo(String id, boolean gated, long downloads, long likes, Instant lastModified) {
        repos.put(id, new Repo(id, gated, downloads, likes, lastModified, new LinkedHashMap<>()));
    }

    /// Adds an LFS file (served through the CDN redirect) and returns its faults.
    public Faults addFile(String repoId, String path, byte[] bytes) {
        return addFile(repoId, path, bytes, true);
    }

    public Faults addFile(String repoId, String path, byte[] bytes, boolean lfs) {
        var sha = sha256(bytes);
        var blob = new Blob(sha, bytes.length, bytes, null, new Faults());
        blobs.put(path + "@" + repoId, blob);
        repos.get(repoId).files().put(path, new Entry(path, path + "@" + repoId, lfs));
        return blob.faults();
    }

    /// Adds a big LFS file served from disk (benchmarks), with its known sha256. Its body comes from a [SendfileCdn]
    /// (`sendfile(2)`, so the server is not what limits a benchmark); faults do not apply to it.
    public synchronized void addDiskFile(String repoId, String path, Path file, long size, String sha256) throws IOException {
        var cdn = sendfileCdn;
        if (cdn == null) sendfileCdn = cdn = new SendfileCdn();
        cdn.add(sha256, file);
        var blob = new Blob(sha256, size, null, file, new Faults());
        blobs.put(path + "@" + repoId, blob);
        repos.get(repoId).files().put(path, new Entry(path, path + "@" + repoId, true));
    }

    /// A listing entry whose content is absent (for names that must be refused before any request).
    public void addListingOnly(String repoId, String path, byte[] bytes) {
        addFile(repoId, path, bytes);
    }

    public long countRequests(String pathPart) {
        return requests.stream().filter(r -> r.path().contains(pathPart)).count();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        var cdn = sendfileCdn;
        if (cdn != null) {
            try {
                cdn.close();
            } catch (IOException _) {
                // closing a listening socket: nothing to do about it
            }
        }
    }

    // ---- handler ------------------------------------------------------------------------------------------------

    private static final Pattern TREE = Pattern.compile("/api/models/([^/]+/[^/]+)/tree/([^/]+)");
    private static final Pattern RESOLVE = Pattern.compile("/([^/]+/[^/]+)/resolve/([^/]+)/(.+)");
    private static final Pattern CDN = Pattern.compile("/cdn/([0-9a-f]{64})/(.+)");

    private void handle(HttpExchange ex) throws IOException {
        var uri = ex.getRequestURI();
        var rawPath = uri.getRawPath();
        requests.add(new Seen(ex.getRequestMethod(), ex.getRequestHeaders().getFirst("Host"), rawPath, uri.getRawQuery(),
                ex.getRequestHeaders().getFirst("Authorization"), ex.getRequestHeaders().getFirst("Range")));
        try (ex) {
            Matcher m;
            if (rawPath.equals("/api/models")) {
                search(ex, query(uri.getRawQuery()));
            } else if ((m = TREE.matcher(rawPath)).matches()) {
                tree(ex, decode(m.group(1)), decode(m.group(2)), query(uri.getRawQuery()));
            } else if ((m = CDN.matcher(rawPath)).matches()) {
                cdn(ex, decode(m.group(2)));
            } else if ((m = RESOLVE.matcher(rawPath)).matches()) {
                resolve(ex, decode(m.group(1)), decode(m.group(2)), decodePath(m.group(3)));
            } else {
                error(ex, 404, null, "not found");
            }
        } catch (IOException e) {
            // a fault closed the connection on purpose, or the client went away
        }
    }

    private void search(HttpExchange ex, Map<String, List<String>> q) throws IOException {
        var search = first(q, "search", "").toLowerCase();
        var sort = first(q, "sort", "downloads");
        int limit = Integer.parseInt(first(q, "limit", "50"));
        var expand = q.getOrDefault("expand[]", List.of());
        Comparator<Repo> order = switch (sort) {
            case "likes" -> Comparator.comparingLong(Repo::likes);
            case "lastModified" -> Comparator.comparing(Repo::lastModified);
            default -> Comparator.comparingLong(Repo::downloads);
        };
        var array = json.createArrayNode();
        repos.values().stream()
                .filter(r -> !"gguf".equals(first(q, "filter", "")) || r.files().keySet().stream().anyMatch(p -> p.endsWith(".gguf")))
                .filter(r -> r.id().toLowerCase().contains(search))
                .sorted(order.reversed()).limit(limit)
                .forEach(r -> {
                    var node = array.addObject();
                    node.put("_id", Integer.toHexString(r.id().hashCode()));
                    node.put("id", r.id());
                    if (expand.isEmpty() || expand.contains("downloads")) node.put("downloads", r.downloads());
                    if (expand.isEmpty() || expand.contains("likes")) node.put("likes", r.likes());
                    if (expand.contains("lastModified")) node.put("lastModified", r.lastModified().toString());
                    if (expand.contains("gated")) {
                        if (r.gated()) node.put("gated", "manual"); else node.put("gated", false);
                    }
                    if (expand.isEmpty() || expand.contains("private")) node.put("private", false);
                    if (expand.contains("author")) node.put("author", r.id().substring(0, r.id().indexOf('/')));
                    if (expand.isEmpty() || expand.contains("pipeline_tag")) node.put("pipeline_tag", "text-generation");
                    if (expand.isEmpty() || expand.contains("tags")) node.putArray("tags").add("gguf").add("llama");
                });
        sendJson(ex, 200, array, Map.of());
    }

    private void tree(HttpExchange ex, String repoId, String revision, Map<String, List<String>> q) throws IOException {
        var repo = repos.get(repoId);
        if (repo == null) {
            error(ex, 401, "RepoNotFound", "Repository not found");
            return;
        }
        if (!revision.equals("main") && !revision.equals(COMMIT)) {
            error(ex, 404, "RevisionNotFound", "Invalid rev id: " + revision);
            return;
        }
        var all = new ArrayList<ObjectNode>();
        var dirs = new java.util.TreeSet<String>();
        for (var e : repo.files().values()) {
            var blob = blobs.get(e.blobKey());
            for (int i = e.path().indexOf('/'); i > 0; i = e.path().indexOf('/', i + 1)) dirs.add(e.path().substring(0, i));
            var node = json.createObjectNode();
            node.put("type", "file");
            node.put("oid", sha1Hex(e.path()));
            node.put("size", e.lfs() ? blob.size() : blob.size());
            node.put("path", e.path());
            if (e.lfs()) {
                var lfs = node.putObject("lfs");
                lfs.put("oid", blob.sha256());
                lfs.put("size", blob.size());
                lfs.put("pointerSize", 134);
            }
            all.add(node);
        }
        for (var d : dirs) {
            var node = json.createObjectNode();
            node.put("type", "directory");
            node.put("oid", sha1Hex(d));
            node.put("size", 0);
            node.put("path", d);
            all.add(0, node);
        }
        int start = Integer.parseInt(first(q, "cursor", "0"));
        int end = Math.min(all.size(), start + treePageSize);
        ArrayNode page = json.createArrayNode();
        all.subList(start, end).forEach(page::add);
        var headers = new LinkedHashMap<String, String>();
        if (end < all.size()) {
            headers.put("Link", "<" + endpoint() + ex.getRequestURI().getRawPath() + "?recursive=true&cursor=" + end + ">; rel=\"next\"");
        }
        sendJson(ex, 200, page, headers);
    }

    private void resolve(HttpExchange ex, String repoId, String revision, String path) throws IOException {
        var repo = repos.get(repoId);
        if (repo == null) {
            error(ex, 401, "RepoNotFound", "Repository not found");
            return;
        }
        if (!revision.equals("main") && !revision.equals(COMMIT)) {
            error(ex, 404, "RevisionNotFound", "Invalid rev id: " + revision);
            return;
        }
        if (repo.gated() && !("Bearer " + GOOD_TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            error(ex, 401, "GatedRepo", "Access to model " + repoId + " is restricted.");
            return;
        }
        var entry = repo.files().get(path);
        if (entry == null) {
            error(ex, 404, "EntryNotFound", "Entry not found");
            return;
        }
        var blob = blobs.get(entry.blobKey());
        var faults = blob.faults();
        if (faults.failStatus != 0 && faults.failTimes.getAndDecrement() > 0) {
            error(ex, faults.failStatus, null, "Internal Error");
            return;
        }
        var h = ex.getResponseHeaders();
        h.add("X-Repo-Commit", COMMIT);
        h.add("ETag", entry.lfs() ? "\"" + blob.sha256() + "\"" : "\"" + sha1Hex(path) + "\"");
        if (entry.lfs()) {
            h.add("X-Linked-Etag", "\"" + blob.sha256() + "\"");
            h.add("X-Linked-Size", Long.toString(blob.size()));
            var fileName = path.substring(path.lastIndexOf('/') + 1);
            var cdn = sendfileCdn;
            int cdnPort = blob.file() != null && cdn != null ? cdn.port() : server.getAddress().getPort();
            h.add("Location", "http://localhost:" + cdnPort + "/cdn/" + blob.sha256() + "/"
                    + java.net.URLEncoder.encode(fileName, StandardCharsets.UTF_8) + "?X-Amz-Signature=abc");
            ex.sendResponseHeaders(302, -1);
            return;
        }
        serveBody(ex, blob);
    }

    private void cdn(HttpExchange ex, String fileName) throws IOException {
        var sha = ex.getRequestURI().getRawPath().substring(5, 69);
        Blob blob = blobs.values().stream().filter(b -> b.sha256().equals(sha)).findFirst().orElse(null);
        if (blob == null) {
            error(ex, 404, null, "NoSuchKey");
            return;
        }
        if (ex.getRequestHeaders().getFirst("Authorization") != null) {
            // like S3: a second auth mechanism next to the signed URL is refused
            error(ex, 400, null, "Only one auth mechanism allowed");
            return;
        }
        ex.getResponseHeaders().add("ETag", "\"cdn-" + sha.substring(0, 16) + "\"");
        ex.getResponseHeaders().add("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
        serveBody(ex, blob);
    }

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    private void serveBody(HttpExchange ex, Blob blob) throws IOException {
        var faults = blob.faults();
        long size = blob.size();
        long start = 0;
        long end = size - 1;
        int status = 200;
        var rangeHeader = ex.getRequestHeaders().getFirst("Range");
        ex.getResponseHeaders().add("Accept-Ranges", "bytes");
        if (rangeHeader != null && !faults.ignoreRange) {
            var m = RANGE.matcher(rangeHeader.strip());
            if (!m.matches() || faults.always416 || Long.parseLong(m.group(1)) >= size) {
                ex.getResponseHeaders().add("Content-Range", "bytes */" + size);
                ex.sendResponseHeaders(416, -1);
                return;
            }
            start = Long.parseLong(m.group(1));
            if (!m.group(2).isEmpty()) end = Math.min(end, Long.parseLong(m.group(2)));
            status = 206;
            ex.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + end + "/" + size);
        }
        long length = end - start + 1;
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.getResponseHeaders().add("Content-Length", Long.toString(length));
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, length == 0 ? -1 : length);
        if (length == 0) return;
        long dropAt = faults.dropAfter >= 0 && faults.dropTimes.get() > 0 ? faults.dropAfter : -1;
        long stallAt = faults.stallAfter >= 0 && faults.stallTimes.get() > 0 ? faults.stallAfter : -1;
        OutputStream out = ex.getResponseBody();
        var chunk = new byte[1 << 20];
        long sent = 0;
        try (RandomAccessFile raf = blob.file() == null ? null : new RandomAccessFile(blob.file().toFile(), "r")) {
            if (raf != null) raf.seek(start);
            while (sent < length) {
                int n = (int) Math.min(chunk.length, length - sent);
                if (dropAt >= 0 && sent + n > dropAt - start && dropAt > start) n = (int) (dropAt - start - sent);
                if (stallAt >= 0 && sent + n > stallAt - start && stallAt > start) n = (int) (stallAt - start - sent);
                if (n > 0) {
                    if (raf != null) raf.readFully(chunk, 0, n);
                    else System.arraycopy(blob.bytes(), (int) (start + sent), chunk, 0, n);
                    long at = start + sent;
                    if (faults.corruptAt >= at && faults.corruptAt < at + n) chunk[(int) (faults.corruptAt - at)] ^= 0x5a;
                    out.write(chunk, 0, n);
                    sent += n;
                }
                if (dropAt >= 0 && start + sent >= dropAt) {
                    faults.dropTimes.decrementAndGet();
                    out.flush();
                    throw new IOException("fault: dropping the connection");
                }
                if (stallAt >= 0 && start + sent >= stallAt) {
                    faults.stallTimes.decrementAndGet();
                    out.flush();
                    try {
                        Thread.sleep(faults.stallMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new IOException("fault: stalled");
                }
            }
        }
    }

    private void error(HttpExchange ex, int status, @Nullable String code, String message) throws IOException {
        if (code != null) ex.getResponseHeaders().add("X-Error-Code", code);
        ex.getResponseHeaders().add("X-Error-Message", message);
        var node = json.createObjectNode();
        node.put("error", message);
        sendJson(ex, status, node, Map.of());
    }

    private void sendJson(HttpExchange ex, int status, Object body, Map<String, String> headers) throws IOException {
        var bytes = json.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        headers.forEach(ex.getResponseHeaders()::add);
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static Map<String, List<String>> query(@Nullable String raw) {
        var map = new LinkedHashMap<String, List<String>>();
        if (raw == null) return map;
        for (var pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            var k = decode(eq < 0 ? pair : pair.substring(0, eq));
            var v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            map.computeIfAbsent(k, _ -> new ArrayList<>()).add(v);
        }
        return map;
    }

    private static String first(Map<String, List<String>> q, String key, String fallback) {
        var values = q.get(key);
        return values == null || values.isEmpty() ? fallback : values.getFirst();
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String decodePath(String raw) {
        var parts = raw.split("/", -1);
        var b = new StringBuilder();
        for (var p : parts) {
            if (!b.isEmpty()) b.append('/');
            b.append(decode(p));
        }
        return b.toString();
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha1Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /// Deterministic pseudo-random bytes for test files.
    public static byte[] bytes(int size, long seed) {
        var out = new byte[size];
        new java.util.Random(seed).nextBytes(out);
        return out;
    }
}
