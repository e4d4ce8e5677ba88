package dev.hearth.inference.hub;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/// Downloads Hub files into `<models>/<owner>/<repo>/<path>`, resumably and verified.
///
/// How a file travels: it is written to `<models>/.partial/<owner>/<repo>/<path>.part` (with a small `.meta` file
/// recording the expected sha256 and size), fetched from `/{repo}/resolve/{revision}/{path}` with redirects followed
/// per host (the token never leaves the Hub's origin), resumed with `Range` after a dropped connection (bounded retries
/// with backoff) or in a later process, hashed while streaming, and compared with the Hub's LFS sha256 (from the
/// listing, else `X-Linked-Etag`; never a CDN ETag). Only when every file of the request is verified are they moved
/// into place, atomically, so a partial or corrupt file never appears as a model. The bulk of each file is written
/// with `O_DIRECT` where the file system allows it ([Options#directWrites()], ADR 0016).
///
/// Thread-safe; every [#start] runs on its own virtual thread, so several downloads run at once.
public final class ModelDownloader {
    /// The hidden folder under the models folder that holds `.part` files.
    public static final String PARTIAL_FOLDER = ".partial";

    private final HubHttp http;
    private final Path modelsDir;
    private final Options options;
    private final Set<Path> active = new HashSet<>();

    /// Tuning and seams. Tests inject short delays, a small [DiskSpace], or a [PartWriter] that fails like a full disk.
    ///
    /// @param requestTimeout   the wait for a response's headers
    /// @param stallTimeout     a transfer that delivers no byte for this long is dropped and retried
    /// @param progressInterval the least time between two progress calls to a listener
    /// @param bufferBytes      the read/write buffer (large: no per-byte work on the hot path)
    /// @param reserveBytes     free space to leave on the disk beyond the download itself
    /// @param directWrites     write the bulk of each file with `O_DIRECT` where the file system allows it, past the page
    ///                         cache (ADR 0016); false writes everything through the page cache
    public record Options(
            RetryPolicy retry,
            Duration requestTimeout,
            Duration stallTimeout,
            Duration progressInterval,
            int bufferBytes,
            long reserveBytes,
            DiskSpace diskSpace,
            PartWriter partWriter,
            boolean directWrites) {
        public static final Options DEFAULT = new Options(RetryPolicy.DEFAULT, Duration.ofSeconds(30),
                Duration.ofSeconds(60), Duration.ofMillis(200), 4 << 20, 256L << 20, DiskSpace.SYSTEM, PartWriter.DIRECT, true);

        public Options {
            if (bufferBytes < 4096) throw new IllegalArgumentException("buffer too small: " + bufferBytes);
            if (reserveBytes < 0) throw new IllegalArgumentException("negative reserve");
        }

        public Options withRetry(RetryPolicy r) {
            return new Options(r, requestTimeout, stallTimeout, progressInterval, bufferBytes, reserveBytes, diskSpace, partWriter, directWrites);
        }

        public Options withTimeouts(Duration request, Duration stall) {
            return new Options(retry, request, stall, progressInterval, bufferBytes, reserveBytes, diskSpace, partWriter, directWrites);
        }

        public Options withDiskSpace(DiskSpace d, long reserve) {
            return new Options(retry, requestTimeout, stallTimeout, progressInterval, bufferBytes, reserve, d, partWriter, directWrites);
        }

        public Options withDirectWrites(boolean direct) {
            return new Options(retry, requestTimeout, stallTimeout, progressInterval, bufferBytes, reserveBytes, diskSpace, partWriter, direct);
        }

        public Options withPartWriter(PartWriter w) {
            return new Options(retry, requestTimeout, stallTimeout, progressInterval, bufferBytes, reserveBytes, diskSpace, w, directWrites);
        }
    }

    /// Free space on the disk that holds a folder.
    @FunctionalInterface
    public interface DiskSpace {
        long usableBytes(Path folder) throws IOException;

        DiskSpace SYSTEM = folder -> Files.getFileStore(folder).getUsableSpace();
    }

    /// Writes a buffer into a `.part` file at a position (the seam where a full disk shows up).
    @FunctionalInterface
    public interface PartWriter {
        int write(FileChannel channel, ByteBuffer buffer, long position) throws IOException;

        PartWriter DIRECT = FileChannel::write;
    }

    public ModelDownloader(HubConfig config, Path modelsDir) {
        this(config, modelsDir, HubHttp.defaultClient(), Options.DEFAULT);
    }

    /// A downloader that reads its endpoint and token for every request (the window's: Settings changes apply at once).
    public ModelDownloader(Supplier<HubConfig> config, Path modelsDir) {
        this.http = new HubHttp(HubHttp.defaultClientOnFirstUse(), config, Options.DEFAULT.requestTimeout());
        this.modelsDir = modelsDir.toAbsolutePath().normalize();
        this.options = Options.DEFAULT;
    }

    /// @param http a client that does not follow redirects itself
    public ModelDownloader(HubConfig config, Path modelsDir, HttpClient http, Options options) {
        if (http.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("the HttpClient must not follow redirects (the token must stay on the Hub)");
        }
        this.http = new HubHttp(http, () -> config, options.requestTimeout());
        this.modelsDir = modelsDir.toAbsolutePath().normalize();
        this.options = options;
    }

    public Path modelsDir() {
        return modelsDir;
    }

    /// Where a repository's files go: `<models>/<owner>/<repo>`.
    public Path repoFolder(RepoId repo) {
        return modelsDir.resolve(repo.owner()).resolve(repo.name());
    }

    /// Where a repository's unfinished files wait: `<models>/.partial/<owner>/<repo>`.
    public Path partialFolder(RepoId repo) {
        return modelsDir.resolve(PARTIAL_FOLDER).resolve(repo.owner()).resolve(repo.name());
    }

    /// Starts downloading (or resumes what an earlier run left in `.partial`). Returns at once.
    public Download start(DownloadRequest request, DownloadListener listener) {
        var download = new Download(this, request, listener);
        download.launch();
        return download;
    }

    /// Downloads an earlier run (or process) left unfinished in `.partial`, one request per model (a split set's
    /// parts together), so a downloads panel can offer Resume after a restart. Unreadable records are skipped.
    public List<DownloadRequest> unfinished() {
        var root = modelsDir.resolve(PARTIAL_FOLDER);
        if (!Files.isDirectory(root)) return List.of();
        var byRepo = new LinkedHashMap<String, List<RepoFile>>();
        try (Stream<Path> walk = Files.walk(root, 16)) {
            for (var meta : walk.filter(p -> p.getFileName().toString().endsWith(".part.meta")).sorted().toList()) {
                var props = new Properties();
                try (var in = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
                    props.load(in);
                    var repo = RepoId.parse(props.getProperty("repo", ""));
                    var revision = props.getProperty("revision", "");
                    var sha = props.getProperty("sha256", "");
                    var file = new RepoFile(props.getProperty("path", ""), Long.parseLong(props.getProperty("size", "-1")),
                            sha.isEmpty() ? null : sha);
                    SafePath.resolve(repoFolder(repo), file.path());
                    if (revision.isBlank()) continue;
                    byRepo.computeIfAbsent(repo + "\n" + revision, _ -> new ArrayList<>()).add(file);
                } catch (IOException | HubException | RuntimeException _) {
                    // not one of ours, or damaged: leave it alone
                }
            }
        } catch (IOException _) {
            return List.of();
        }
        var requests = new ArrayList<DownloadRequest>();
        byRepo.forEach((key, files) -> {
            var parts = key.split("\n", 2);
            var repo = RepoId.parse(parts[0]);
            var grouped = GgufVariant.group(files);
            for (var variant : grouped) requests.add(DownloadRequest.of(repo, parts[1], variant));
            files.stream().filter(f -> !f.isGguf()).forEach(f -> requests.add(new DownloadRequest(repo, parts[1], List.of(f))));
        });
        return requests;
    }

    HubHttp http() {
        return http;
    }

    Options options() {
        return options;
    }

    /// Claims the targets of a run so two downloads in this process never write the same file.
    boolean claim(Set<Path> targets) {
        synchronized (active) {
            for (var t : targets) if (active.contains(t)) return false;
            active.addAll(targets);
            return true;
        }
    }

    void release(Set<Path> targets) {
        synchronized (active) {
            active.removeAll(targets);
        }
    }
}
