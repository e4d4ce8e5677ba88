package dev.hearth.inference.hub;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/// Download throughput of [ModelDownloader] against `curl`, both fetching the same file from the same local fake Hub
/// (the 302 to the "CDN" host included, both writing to the same disk). Not a unit test: run it by hand.
///
///     java -cp inference/target/classes:inference/target/test-classes:$(cat cp.txt) \
///         dev.hearth.inference.hub.DownloadBenchmark [MiB=1024] [rounds=3] [direct|buffered]
///
/// Hearth's figure includes what curl does not do: sha256 of every byte, the comparison with the LFS sha256
/// and the atomic move into the library. The server sends the file with `sendfile(2)` ([SendfileCdn]), so it is not
/// what limits either. The rounds alternate which of the two goes first; each prints the CPU seconds per GiB of
/// curl's process and of this JVM (Hearth's download plus the server's small share). Watch the load: on 2 shared
/// cores the ratio follows whoever else is busy.
public final class DownloadBenchmark {
    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        boolean direct = args.length <= 2 || !args[2].equals("buffered");
        var dir = Files.createTempDirectory("hearth-download-bench");
        try (var hub = new FakeHub()) {
            var source = dir.resolve("source.gguf");
            var sha = writeRandom(source, (long) mib << 20);
            hub.addRepo("bench/Big-GGUF", false, 1, 1, Instant.EPOCH);
            hub.addDiskFile("bench/Big-GGUF", "Big-Q4_K_M.gguf", source, Files.size(source), sha);
            var file = new RepoFile("Big-Q4_K_M.gguf", Files.size(source), sha);
            var url = hub.endpoint() + "/bench/Big-GGUF/resolve/main/Big-Q4_K_M.gguf";
            var curl = new ArrayList<Double>();
            var hearth = new ArrayList<Double>();
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            double gib = file.size() / (double) (1L << 30);
            for (int round = 0; round <= rounds; round++) {
                // round 0 warms the page cache, the JIT and the server; odd rounds start with curl, even ones with Hearth
                double curlSeconds = 0;
                double hearthSeconds = 0;
                double curlCpu = 0;
                double hearthCpu = 0;
                for (int turn = 0; turn < 2; turn++) {
                    if ((turn == 0) == (round % 2 == 1)) {
                        var curlOut = dir.resolve("curl.out");
                        long t0 = System.nanoTime();
                        // bash's `times` prints the CPU its children used: curl's own, user and system
                        var p = new ProcessBuilder("bash", "-c", "curl -sS -L -o \"$0\" \"$1\" && times", curlOut.toString(), url)
                                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                        var out = new String(p.getInputStream().readAllBytes());
                        if (p.waitFor() != 0) throw new IllegalStateException("curl failed");
                        curlSeconds = (System.nanoTime() - t0) / 1e9;
                        curlCpu = childrenCpu(out);
                        if (Files.size(curlOut) != file.size()) throw new IllegalStateException("curl got " + Files.size(curlOut));
                        Files.delete(curlOut);
                    } else {
                        var models = dir.resolve("models" + round);
                        var downloader = new ModelDownloader(hub.config(null), models, HubHttp.defaultClient(),
                                ModelDownloader.Options.DEFAULT.withDirectWrites(direct));
                        long c1 = os.getProcessCpuTime();
                        long t1 = System.nanoTime();
                        var end = downloader.start(new DownloadRequest(RepoId.parse("bench/Big-GGUF"), "main", List.of(file)),
                                DownloadListener.NONE).awaitEnd();
                        hearthSeconds = (System.nanoTime() - t1) / 1e9;
                        hearthCpu = (os.getProcessCpuTime() - c1) / 1e9;
                        if (end.state() != DownloadStatus.State.COMPLETED) throw new IllegalStateException(end.note());
                        deleteTree(models);
                    }
                }
                if (round == 0) continue;
                double mb = file.size() / 1e6;
                curl.add(mb / curlSeconds);
                hearth.add(mb / hearthSeconds);
                System.out.printf(Locale.ROOT, "round %d: curl %.0f MB/s, hearth %.0f MB/s (%.2f x); CPU per GiB: curl %.2f s, "
                        + "hearth %.2f s (with the server's)%n", round, mb / curlSeconds, mb / hearthSeconds,
                        curlSeconds / hearthSeconds, curlCpu / gib, hearthCpu / gib);
            }
            double c = median(curl);
            double h = median(hearth);
            System.out.printf(Locale.ROOT, "%d MiB, %s writes, median of %d: curl %.0f MB/s, hearth %.0f MB/s, ratio %.2f%n", mib, direct ? "direct" : "buffered", rounds, c, h, h / c);
        } finally {
            deleteTree(dir);
        }
    }

    private static String writeRandom(Path file, long size) throws Exception {
        var digest = MessageDigest.getInstance("SHA-256");
        var random = new Random(1);
        var buffer = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += buffer.length) {
                random.nextBytes(buffer);
                out.write(buffer);
                digest.update(buffer);
            }
        }
        // on disk before the first round: its write-back must not compete with the rounds' writes
        try (var channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /// The children's user and system seconds from bash's `times` (its second line: `0m0.070s 0m1.720s`).
    private static double childrenCpu(String times) {
        var lines = times.strip().split("\n");
        double sum = 0;
        for (var field : lines[lines.length - 1].strip().split("\\s+")) {
            int m = field.indexOf('m');
            sum += Integer.parseInt(field.substring(0, m)) * 60 + Double.parseDouble(field.substring(m + 1, field.length() - 1));
        }
        return sum;
    }

    private static double median(List<Double> values) {
        var sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var walk = Files.walk(dir)) {
            for (var p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
