package dev.hearth.inference.hub;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/// The "CDN" for [FakeHub]'s files on disk (benchmarks): a minimal HTTP/1.1 server on 127.0.0.1 that sends bodies
/// with [FileChannel#transferTo] (`sendfile(2)` on Linux: no copy through the JVM), so that the server costs as
/// little CPU as it can and is the same for every client measured against it. GET and HEAD, `Range: bytes=N-[M]`
/// (206, 416), one request per connection (`Connection: close`); no faults.
final class SendfileCdn implements AutoCloseable {
    private static final Pattern REQUEST_LINE = Pattern.compile("(GET|HEAD) /cdn/([0-9a-f]{64})/\\S* HTTP/1\\.[01]");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    private final ServerSocketChannel server;
    private final Map<String, Path> files = new ConcurrentHashMap<>();
    private final Thread acceptor;

    SendfileCdn() throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        acceptor = Thread.ofPlatform().daemon().name("sendfile-cdn").start(this::acceptLoop);
    }

    int port() throws IOException {
        return ((InetSocketAddress) server.getLocalAddress()).getPort();
    }

    void add(String sha256, Path file) {
        files.put(sha256, file);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                var socket = server.accept();
                // a platform thread: sendfile to a virtual thread's (non-blocking) socket returns early
                Thread.ofPlatform().daemon().name("sendfile-cdn connection").start(() -> serve(socket));
            } catch (IOException _) {
                return; // closed
            }
        }
    }

    private void serve(SocketChannel socket) {
        try (socket) {
            var head = readHead(socket);
            if (head == null) return;
            var lines = head.split("\r\n");
            var m = REQUEST_LINE.matcher(lines[0]);
            if (!m.matches()) {
                respond(socket, "400 Bad Request", 0, "");
                return;
            }
            var file = files.get(m.group(2));
            if (file == null) {
                respond(socket, "404 Not Found", 0, "");
                return;
            }
            @Nullable String range = null;
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0 && lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT).equals("range")) {
                    range = lines[i].substring(colon + 1).strip();
                }
            }
            try (var channel = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = channel.size();
                long start = 0;
                long end = size - 1;
                var status = "200 OK";
                var extra = "";
                if (range != null) {
                    var r = RANGE.matcher(range);
                    if (!r.matches() || Long.parseLong(r.group(1)) >= size) {
                        respond(socket, "416 Range Not Satisfiable", 0, "Content-Range: bytes */" + size + "\r\n");
                        return;
                    }
                    start = Long.parseLong(r.group(1));
                    if (!r.group(2).isEmpty()) end = Math.min(end, Long.parseLong(r.group(2)));
                    status = "206 Partial Content";
                    extra = "Content-Range: bytes " + start + "-" + end + "/" + size + "\r\n";
                }
                long length = end - start + 1;
                respond(socket, status, length, extra);
                if (m.group(1).equals("HEAD")) return;
                for (long sent = 0; sent < length; ) {
                    long n = channel.transferTo(start + sent, length - sent, socket);
                    if (n <= 0) return;
                    sent += n;
                }
            }
        } catch (IOException _) {
            // the client went away
        }
    }

    private static void respond(SocketChannel socket, String status, long length, String extra) throws IOException {
        var head = "HTTP/1.1 " + status + "\r\nContent-Length: " + length + "\r\nAccept-Ranges: bytes\r\n" + extra
                + "Connection: close\r\n\r\n";
        var bytes = ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1));
        while (bytes.hasRemaining()) socket.write(bytes);
    }

    private static @Nullable String readHead(SocketChannel socket) throws IOException {
        var buffer = ByteBuffer.allocate(16 << 10);
        while (buffer.hasRemaining()) {
            if (socket.read(buffer) < 0) return null;
            var text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end >= 0) return text.substring(0, end);
        }
        return null;
    }
}
