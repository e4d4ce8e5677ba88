package dev.hearth.inference.hub;

import java.io.IOException;
import java.net.URI;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/// A handle on one download ([ModelDownloader#start]): its [#status()], and the commands a downloads panel needs —
/// [#pause()], [#resume()] (also retries a failed download, keeping its bytes), [#cancel()] (removes the `.part` files).
/// Status changes go to the [DownloadListener]; [#awaitEnd()] blocks until the download stops for any reason.
public final class Download {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        var t = new Thread(r, "download-stall-watchdog");
        t.setDaemon(true);
        return t;
    });

    private enum Stop { PAUSE, CANCEL }

    private final ModelDownloader owner;
    private final DownloadRequest request;
    private final DownloadListener listener;
    private final Object lock = new Object();
    private volatile DownloadStatus status;
    private volatile @Nullable Stop stop;
    private volatile @Nullable Thread worker;
    private final Object readingLock = new Object();
    private @Nullable Thread reading; // the worker while it reads a body: the stall watchdog interrupts it
    private volatile Duration quietFor = Duration.ZERO;
    private volatile long lastByteNanos;
    private volatile boolean stalled;
    private List<Item> items = List.of();
    private volatile @Nullable Item current;

    // progress bookkeeping, touched only by the worker thread
    private long lastReportNanos;
    private long lastReportBytes;
    private double speed;

    /// One file of the request: where it goes and where it waits.
    private record Item(RepoFile file, Path target, Path part, Path meta) {}

    /// A failure worth another try (network, 5xx, a resume the server got wrong).
    private static final class Transient extends Exception {
        final HubException failure;

        Transient(HubException failure) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
        }
    }

    private static final class Stopped extends Exception {
        Stopped() {
            super(null, null, false, false);
        }
    }

    Download(ModelDownloader owner, DownloadRequest request, DownloadListener listener) {
        this.owner = owner;
        this.request = request;
        this.listener = listener;
        var first = request.files().getFirst();
        this.status = new DownloadStatus(DownloadStatus.State.QUEUED, 0, request.totalBytes(), 0, first.path(), 0,
                request.files().size(), null, "");
    }

    public DownloadRequest request() {
        return request;
    }

    public DownloadStatus status() {
        return status;
    }

    /// The files in the library once [DownloadStatus.State#COMPLETED] (in request order).
    public List<Path> targets() {
        return items.stream().map(Item::target).toList();
    }

    /// Stops transferring and keeps the bytes; [#resume()] continues from there (also in a later process).
    public void pause() {
        requestStop(Stop.PAUSE);
    }

    /// Continues a paused or failed download from the bytes already on disk. Does nothing while it runs.
    public void resume() {
        launch();
    }

    /// Stops the download and removes its unfinished files. Files already in the library stay.
    public void cancel() {
        synchronized (lock) {
            if (!status.state().isActive()) {
                if (status.state() == DownloadStatus.State.COMPLETED || status.state() == DownloadStatus.State.CANCELLED) return;
                deleteParts(items);
                update(status.with(DownloadStatus.State.CANCELLED, "cancelled"));
                return;
            }
        }
        requestStop(Stop.CANCEL);
    }

    /// Waits until the download is no longer active (completed, failed, paused or cancelled) and returns that status.
    public DownloadStatus awaitEnd() throws InterruptedException {
        synchronized (lock) {
            while (status.state().isActive()) lock.wait();
            return status;
        }
    }

    void launch() {
        synchronized (lock) {
            var state = status.state();
            if (worker != null && state.isActive()) return;
            if (state == DownloadStatus.State.COMPLETED || state == DownloadStatus.State.CANCELLED) return;
            stop = null;
            update(status.with(DownloadStatus.State.QUEUED, "starting"));
            worker = Thread.ofVirtual().name("download " + request.displayName()).start(this::run);
        }
    }

    private void requestStop(Stop kind) {
        Thread t;
        synchronized (lock) {
            if (!status.state().isActive()) return;
            stop = kind;
            t = worker;
        }
        if (t != null) t.interrupt(); // in a socket read, a virtual thread's interrupt closes the socket
    }

    private void run() {
        var claimed = new LinkedHashSet<Path>();
        DownloadStatus end;
        try {
            items = plan();
            for (var item : items) claimed.add(item.target());
            if (!owner.claim(claimed)) {
                claimed.clear();
                throw new HubException(HubException.Kind.ALREADY_DOWNLOADING, request.displayName() + " is already downloading");
            }
            long present = prepare();
            checkSpace(present);
            long base = 0;
            for (int i = 0; i < items.size(); i++) {
                var item = items.get(i);
                if (isPresent(item)) {
                    base += item.file().size();
                    continue;
                }
                current = item;
                transfer(i, item, base);
                current = null;
                base += item.file().size();
            }
            update(new DownloadStatus(DownloadStatus.State.VERIFYING, base, request.totalBytes(), 0,
                    items.getLast().file().path(), items.size() - 1, items.size(), null, "moving into the library"));
            for (var item : items) if (!isPresent(item)) install(item);
            end = status.with(DownloadStatus.State.COMPLETED, "done");
        } catch (HubException e) {
            var failedItem = current;
            if (e.kind() == HubException.Kind.CHECKSUM_MISMATCH && failedItem != null) deleteParts(List.of(failedItem));
            end = failed(e);
        } catch (Stopped _) {
            if (stop == Stop.CANCEL) {
                deleteParts(items);
                end = status.with(DownloadStatus.State.CANCELLED, "cancelled");
            } else {
                end = status.with(DownloadStatus.State.PAUSED, "paused");
            }
        } catch (RuntimeException e) {
            end = failed(new HubException(HubException.Kind.IO_ERROR,
                    "the download of " + request.displayName() + " failed: " + HubClient.describe(e), e));
        } finally {
            Thread.interrupted();
            owner.release(claimed);
        }
        finish(end);
    }

    private DownloadStatus failed(HubException e) {
        var s = status;
        return new DownloadStatus(DownloadStatus.State.FAILED, s.bytesDone(), s.bytesTotal(), 0, s.file(), s.fileIndex(),
                s.fileCount(), e, e.getMessage() == null ? "failed" : e.getMessage());
    }

    private void finish(DownloadStatus end) {
        synchronized (lock) {
            worker = null;
            update(end);
        }
    }

    private void update(DownloadStatus next) {
        synchronized (lock) {
            status = next;
            lock.notifyAll();
        }
        try {
            listener.onStatus(this, next);
        } catch (RuntimeException _) {
            // a listener's bug must not break the download
        }
    }

    // ---- planning -------------------------------------------------------------------------------------------------

    private List<Item> plan() throws HubException {
        var repoFolder = owner.repoFolder(request.repo());
        var partialFolder = owner.partialFolder(request.repo());
        var planned = new ArrayList<Item>();
        for (var file : request.files()) {
            var target = SafePath.resolve(repoFolder, file.path());
            var part = SafePath.resolve(partialFolder, file.path() + ".part");
            planned.add(new Item(file, target, part, part.resolveSibling(part.getFileName() + ".meta")));
        }
        return List.copyOf(planned);
    }

    /// Creates the folders and drops `.part` files left for other content; returns the bytes already on disk.
    private long prepare() throws HubException {
        long present = 0;
        for (var item : items) {
            try {
                Files.createDirectories(item.part().getParent());
                Files.createDirectories(item.target().getParent());
            } catch (IOException e) {
                throw notWritable(e);
            }
            if (isPresent(item)) {
                present += item.file().size();
                continue;
            }
            try {
                var expected = metaText(item.file());
                var recorded = Files.isRegularFile(item.meta()) ? Files.readString(item.meta()) : null;
                if (!expected.equals(recorded)) {
                    // a .part for other content (another revision) is dropped; one without a record is kept:
                    // its bytes are hashed and compared like any others
                    if (recorded != null) Files.deleteIfExists(item.part());
                    Files.writeString(item.meta(), expected, StandardCharsets.UTF_8);
                }
                if (Files.isRegularFile(item.part())) present += Math.min(Files.size(item.part()), item.file().size());
            } catch (AccessDeniedException e) {
                throw notWritable(e);
            } catch (IOException e) {
                throw ioFailure("preparing " + item.file().path(), e);
            }
        }
        return present;
    }

    private String metaText(RepoFile file) {
        return "repo=" + request.repo() + "\nrevision=" + request.revision() + "\npath=" + file.path() + "\nsize=" + file.size()
                + "\nsha256=" + (file.sha256() == null ? "" : file.sha256()) + "\n";
    }

    private static boolean isPresent(Item item) {
        try {
            return Files.isRegularFile(item.target()) && Files.size(item.target()) == item.file().size();
        } catch (IOException _) {
            return false;
        }
    }

    private void checkSpace(long present) throws HubException {
        long needed = request.totalBytes() - present;
        if (needed <= 0) return;
        long usable;
        try {
            usable = owner.options().diskSpace().usableBytes(owner.modelsDir());
        } catch (IOException e) {
            return; // cannot tell: the write itself will say if the disk fills up
        }
        long reserve = owner.options().reserveBytes();
        if (usable - reserve < needed) {
            throw new HubException(HubException.Kind.NOT_ENOUGH_SPACE, "not enough free space for " + request.displayName()
                    + ": it needs " + Bytes.format(needed) + (reserve > 0 ? " (and Hearth leaves " + Bytes.format(reserve) + " free)" : "")
                    + " in " + owner.modelsDir() + ", only " + Bytes.format(usable) + " are free");
        }
    }

    // ---- one file -------------------------------------------------------------------------------------------------

    private void transfer(int index, Item item, long base) throws HubException, Stopped {
        var policy = owner.options().retry();
        int failures = 0;
        long best = -1;
        while (true) {
            checkStop();
            try {
                attempt(index, item, base);
                return;
            } catch (Transient t) {
                checkStop();
                long now = partSize(item);
                if (now > best) {
                    best = now;
                    failures = failures == 0 ? 1 : (now > 0 ? 1 : failures + 1);
                } else {
                    failures++;
                }
                if (failures >= policy.attempts()) throw t.failure;
                var delay = policy.delayAfter(failures);
                update(new DownloadStatus(DownloadStatus.State.RETRYING, base + now, request.totalBytes(), 0,
                        item.file().path(), index, items.size(), null,
                        "retry " + failures + " of " + (policy.attempts() - 1) + " in " + seconds(delay) + ": " + t.failure.getMessage()));
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException _) {
                    checkStop();
                }
            }
        }
    }

    private void attempt(int index, Item item, long base) throws HubException, Transient, Stopped {
        var file = item.file();
        try (var channel = FileChannel.open(item.part(), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock fileLock;
            try {
                fileLock = channel.tryLock();
            } catch (OverlappingFileLockException _) {
                fileLock = null;
            }
            if (fileLock == null) {
                throw new HubException(HubException.Kind.ALREADY_DOWNLOADING,
                        file.path() + " is being downloaded by another Hearth process");
            }
            long size = file.size();
            long offset = channel.size();
            if (offset > size) {
                channel.truncate(0);
                offset = 0;
            }
            var digest = sha256();
            if (offset > 0) {
                update(new DownloadStatus(DownloadStatus.State.VERIFYING, base + offset, request.totalBytes(), 0, file.path(),
                        index, items.size(), null, "checking the " + Bytes.format(offset) + " already downloaded"));
                hashExisting(channel, offset, digest);
            }
            if (offset == size && size > 0) {
                verify(channel, digest, item, file.sha256());
                return;
            }
            stream(index, item, base, channel, offset, digest);
        } catch (AccessDeniedException e) {
            throw notWritable(e);
        } catch (java.nio.channels.ClosedByInterruptException e) {
            checkStop();
            throw new Transient(new HubException(HubException.Kind.NETWORK, "the transfer was interrupted", e));
        } catch (IOException e) {
            checkStop();
            if (isDiskFull(e)) throw diskFull(e);
            throw ioFailure("writing " + item.part(), e);
        }
    }

    private void stream(int index, Item item, long base, FileChannel channel, long startOffset, MessageDigest digest)
            throws HubException, Transient, Stopped, IOException {
        var file = item.file();
        long size = file.size();
        long offset = startOffset;
        var headers = offset > 0
                ? Map.of("Accept-Encoding", "identity", "Range", "bytes=" + offset + "-")
                : Map.of("Accept-Encoding", "identity");
        HubHttp.Body body;
        try {
            update(new DownloadStatus(DownloadStatus.State.RUNNING, base + offset, request.totalBytes(), 0, file.path(), index,
                    items.size(), null, offset > 0 ? "resuming at " + Bytes.format(offset) : "connecting"));
            body = owner.http().openBody(resolveUri(file), headers);
        } catch (SocketTimeoutException e) {
            checkStop();
            throw new Transient(new HubException(HubException.Kind.NETWORK,
                    "the server did not answer in time for " + file.path(), e));
        } catch (IOException e) {
            checkStop();
            throw new Transient(new HubException(HubException.Kind.NETWORK,
                    "cannot reach " + owner.http().config().endpoint() + ": " + HubClient.describe(e), e));
        }
        try (body) {
            int status = body.status();
            if (status == 416) {
                channel.truncate(0);
                throw new Transient(new HubException(HubException.Kind.SERVER_ERROR,
                        "the server refused to resume " + file.path() + " (HTTP 416): starting it over"));
            }
            if (status >= 400 || status < 200 || status >= 300) {
                var failure = status >= 400
                        ? owner.http().failure(status, body.headers(), body.tokenSent(), request.repo(), request.revision(), file.path())
                        : new HubException(HubException.Kind.SERVER_ERROR, "unexpected HTTP " + status + " for " + file.path());
                if (status >= 400 && !HubHttp.retryable(status)) throw failure;
                throw new Transient(failure);
            }
            var expectedSha = expectedSha(file, body);
            if (status == 200 && offset > 0) {
                // the server ignored Range: start this file over from its first byte
                channel.truncate(0);
                digest.reset();
                offset = 0;
            } else if (status == 206) {
                var range = body.headers().firstValue("Content-Range").map(CONTENT_RANGE::matcher).orElse(null);
                if (range == null || !range.matches() || Long.parseLong(range.group(1)) != offset) {
                    channel.truncate(0);
                    throw new Transient(new HubException(HubException.Kind.SERVER_ERROR,
                            "the server resumed " + file.path() + " at the wrong place: starting it over"));
                }
            }
            offset = receive(index, item, base, channel, body, offset, digest);
            if (offset < size) {
                throw new Transient(new HubException(HubException.Kind.NETWORK, stalled
                        ? "no data for " + seconds(quietFor) + " while downloading " + file.path()
                        : "the connection closed at " + Bytes.format(offset) + " of " + Bytes.format(size) + " of " + file.path()));
            }
            verify(channel, digest, item, expectedSha);
        }
    }

    /// The hot path, on the worker thread: blocking reads from the socket straight into [WriteBehind]'s large buffers,
    /// which are written and hashed on two more threads, so the network, the disk and SHA-256 overlap; no per-byte
    /// work here. Pause and cancel interrupt the thread (which closes the socket); a watchdog closes it when no byte
    /// came for the stall timeout. (Not `disconnect()` from another thread: it waits for the read under way.)
    private long receive(int index, Item item, long base, FileChannel channel, HubHttp.Body body, long offset,
                         MessageDigest digest) throws HubException, Transient, Stopped {
        var direct = owner.options().directWrites() ? WriteBehind.openDirect(item.part()) : null;
        try {
            return receive(index, item, base, channel, direct, body, offset, digest);
        } finally {
            if (direct != null) {
                try {
                    direct.channel().close();
                } catch (IOException _) {
                    // every write through it has returned (WriteBehind.finish): nothing is lost
                }
            }
        }
    }

    private long receive(int index, Item item, long base, FileChannel channel, WriteBehind.@Nullable Direct direct,
                         HubHttp.Body body, long offset, MessageDigest digest) throws HubException, Transient, Stopped {
        var options = owner.options();
        long size = item.file().size();
        var pipeline = new WriteBehind(item.file().path(), channel, direct, digest, options.partWriter(), options.bufferBytes(),
                BUFFERS, offset, written -> progress(index, item, base + written));
        stalled = false;
        lastByteNanos = System.nanoTime();
        lastReportNanos = lastByteNanos;
        lastReportBytes = base + offset;
        speed = 0;
        long stallNanos = options.stallTimeout().toNanos();
        long idleNanos = options.progressInterval().toNanos();
        long period = Math.max(1_000_000, stallNanos / 4);
        synchronized (readingLock) {
            reading = Thread.currentThread();
        }
        var watchdog = WATCHDOG.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - lastByteNanos <= stallNanos) return;
            synchronized (readingLock) {
                var t = reading;
                if (t == null) return;
                stalled = true;
                t.interrupt(); // closes the socket (the worker is a virtual thread): the read ends at once
            }
        }, period, period, TimeUnit.NANOSECONDS);
        @Nullable IOException failure = null;
        long handed = offset;
        @Nullable ByteBuffer fill = null;
        try (var in = body.stream()) {
            long handedAt = System.nanoTime();
            while (stop == null && pipeline.writeFailure() == null) {
                if (fill == null) fill = pipeline.take();
                int n = in.read(fill.array(), fill.arrayOffset() + fill.position(), fill.remaining());
                if (n < 0) break;
                long now = System.nanoTime();
                lastByteNanos = now;
                if (handed + fill.position() + n > size) {
                    throw new HubException(HubException.Kind.CHECKSUM_MISMATCH, "the server sent more bytes than the Hub lists for "
                            + item.file().path() + " (" + Bytes.format(size) + "): nothing was kept");
                }
                fill.position(fill.position() + n);
                // a full buffer goes on its way; so does a partial one now and then (a slow trickle still shows
                // progress and reaches the disk)
                if (!fill.hasRemaining() || now - handedAt > idleNanos) {
                    int filled = fill.position();
                    pipeline.submit(fill, handed);
                    handed += filled;
                    handedAt = now;
                    fill = null;
                }
            }
        } catch (IOException e) {
            failure = e; // the bytes that did arrive are good: kept for the resume
        } catch (InterruptedException _) {
            // pause or cancel: checked below
        } finally {
            synchronized (readingLock) {
                reading = null;
            }
            watchdog.cancel(false);
            quietFor = Duration.ofNanos(System.nanoTime() - lastByteNanos);
            if (fill != null) {
                if (fill.position() > 0 && fill.position() + handed <= size) {
                    pipeline.submit(fill, handed);
                } else {
                    pipeline.giveBack(fill);
                }
            }
            pipeline.finish(); // from here on no write is under way: the channel may be closed
        }
        Thread.interrupted(); // a pause's or the watchdog's interrupt has done its work (it closed the socket)
        checkStop();
        var writeFailure = pipeline.writeFailure();
        if (writeFailure != null) {
            if (isDiskFull(writeFailure)) throw diskFull(writeFailure);
            throw ioFailure("writing " + item.part(), writeFailure);
        }
        long end = pipeline.written();
        if (failure != null && !stalled && end == offset) {
            throw new Transient(new HubException(HubException.Kind.NETWORK,
                    "the connection dropped while downloading " + item.file().path() + ": " + HubClient.describe(failure), failure));
        }
        return end;
    }

    /// Buffers in flight per transfer: one filling, the others being written and hashed.
    private static final int BUFFERS = 8;

    private void progress(int index, Item item, long done) {
        long now = System.nanoTime();
        long interval = owner.options().progressInterval().toNanos();
        if (now - lastReportNanos < interval && done < request.totalBytes()) return;
        double seconds = (now - lastReportNanos) / 1e9;
        if (seconds > 0) {
            double instant = (done - lastReportBytes) / seconds;
            speed = speed == 0 ? instant : 0.3 * instant + 0.7 * speed;
        }
        lastReportNanos = now;
        lastReportBytes = done;
        update(new DownloadStatus(DownloadStatus.State.RUNNING, done, request.totalBytes(), speed, item.file().path(), index,
                items.size(), null, ""));
    }

    private void verify(FileChannel channel, MessageDigest digest, Item item, @Nullable String expectedSha)
            throws HubException, IOException {
        var file = item.file();
        long size = channel.size();
        if (size != file.size()) {
            throw new HubException(HubException.Kind.CHECKSUM_MISMATCH, "the download of " + file.path() + " has "
                    + size + " bytes, the Hub lists " + file.size() + ": nothing was kept");
        }
        var actual = HexFormat.of().formatHex(digest.digest());
        if (expectedSha != null && !expectedSha.equals(actual)) {
            throw new HubException(HubException.Kind.CHECKSUM_MISMATCH, "the download of " + file.path()
                    + " does not match the Hub's sha256 (expected " + expectedSha + ", got " + actual
                    + "): nothing was kept; try again");
        }
        // no fsync here, like curl and huggingface_hub: it would cost a second or more per GB on the critical path;
        // a power cut right after a download may leave stale blocks, which the GGUF reader's checks refuse to load
    }

    private @Nullable String expectedSha(RepoFile file, HubHttp.Body exchange) throws HubException {
        var linked = exchange.hubHeader("X-Linked-Etag").map(Download::unquote).orElse(null);
        if (linked != null && !HEX64.matcher(linked).matches()) linked = null;
        if (file.sha256() != null && linked != null && !file.sha256().equals(linked)) {
            throw new HubException(HubException.Kind.CHECKSUM_MISMATCH, file.path() + " changed on the Hub since it was listed"
                    + " (sha256 " + file.sha256() + " then, " + linked + " now): list the files again");
        }
        return file.sha256() != null ? file.sha256() : linked;
    }

    private static String unquote(String etag) {
        var e = etag.strip();
        if (e.startsWith("W/")) e = e.substring(2);
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) e = e.substring(1, e.length() - 1);
        return e.toLowerCase(Locale.ROOT);
    }

    private void install(Item item) throws HubException {
        try {
            Files.createDirectories(item.target().getParent());
            try {
                Files.move(item.part(), item.target(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException _) {
                Files.move(item.part(), item.target(), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.deleteIfExists(item.meta());
            pruneEmpty(item.meta().getParent());
        } catch (AccessDeniedException e) {
            throw notWritable(e);
        } catch (IOException e) {
            throw ioFailure("moving " + item.file().path() + " into the library", e);
        }
    }

    private void pruneEmpty(Path folder) {
        var root = owner.modelsDir().resolve(ModelDownloader.PARTIAL_FOLDER);
        for (var f = folder; f != null && f.startsWith(root); f = f.getParent()) {
            try {
                Files.delete(f);
            } catch (IOException _) {
                return; // not empty (or gone): stop climbing
            }
        }
    }

    private void deleteParts(List<Item> which) {
        for (var item : which) {
            try {
                Files.deleteIfExists(item.part());
                Files.deleteIfExists(item.meta());
                pruneEmpty(item.meta().getParent());
            } catch (IOException _) {
                // best effort: a leftover .part is hidden and resumable
            }
        }
    }

    private URI resolveUri(RepoFile file) {
        var repo = request.repo();
        return URI.create(owner.http().config().endpoint() + "/" + repo.owner() + "/" + repo.name() + "/resolve/"
                + HubHttp.segment(request.revision()) + "/" + HubHttp.filePath(file.path()));
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private void checkStop() throws Stopped {
        if (stop != null) throw new Stopped();
    }

    private static long partSize(Item item) {
        try {
            return Files.isRegularFile(item.part()) ? Files.size(item.part()) : 0;
        } catch (IOException _) {
            return 0;
        }
    }

    private static void hashExisting(FileChannel channel, long length, MessageDigest digest) throws IOException {
        var buffer = ByteBuffer.allocate(1 << 20);
        long position = 0;
        while (position < length) {
            buffer.clear();
            if (length - position < buffer.capacity()) buffer.limit((int) (length - position));
            int n = channel.read(buffer, position);
            if (n < 0) break;
            buffer.flip();
            digest.update(buffer);
            position += n;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    static boolean isDiskFull(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            var m = t.getMessage();
            if (m == null) continue;
            var lower = m.toLowerCase(Locale.ROOT);
            if (lower.contains("no space left") || lower.contains("not enough space") || lower.contains("disk quota")
                    || lower.contains("disk full")) {
                return true;
            }
        }
        return false;
    }

    private HubException diskFull(IOException e) {
        return new HubException(HubException.Kind.DISK_FULL, "the disk holding " + owner.modelsDir()
                + " is full: " + request.displayName() + " was not added to the library; free some space and resume", e);
    }

    private HubException notWritable(IOException e) {
        var what = e instanceof FileSystemException fse && fse.getFile() != null ? fse.getFile() : owner.modelsDir().toString();
        return new HubException(HubException.Kind.NOT_WRITABLE, "the models folder cannot be written (" + what + ")", e);
    }

    private HubException ioFailure(String doing, IOException e) {
        if (e instanceof AccessDeniedException) return notWritable(e);
        return new HubException(HubException.Kind.IO_ERROR, "failed " + doing + ": " + HubClient.describe(e), e);
    }

    private static String seconds(Duration d) {
        return d.toMillis() < 1000 ? d.toMillis() + " ms" : d.toSeconds() + " s";
    }

    @Override
    public String toString() {
        return "Download[" + request.displayName() + ", " + status.state() + "]";
    }
}
