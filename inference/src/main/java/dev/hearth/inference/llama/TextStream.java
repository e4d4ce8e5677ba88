package dev.hearth.inference.llama;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/// Turns token pieces (bytes) into text safely: bytes of a character split over tokens wait until the character
/// is complete, and text that could be the start of a stop string is held back until it cannot be.
final class TextStream {
    private final List<String> stops;
    private final ByteArrayOutputStream pendingBytes = new ByteArrayOutputStream();
    private final StringBuilder held = new StringBuilder();
    private boolean stopped;

    TextStream(List<String> stops) {
        this.stops = stops;
    }

    /// Adds a token's bytes and returns the text that can be released now. After a stop string appears,
    /// [#stopped()] is true and the text before it is returned.
    String add(byte[] piece) {
        if (stopped) return "";
        pendingBytes.write(piece, 0, piece.length);
        byte[] bytes = pendingBytes.toByteArray();
        int complete = completePrefix(bytes);
        pendingBytes.reset();
        pendingBytes.write(bytes, complete, bytes.length - complete);
        held.append(new String(bytes, 0, complete, StandardCharsets.UTF_8));
        if (stops.isEmpty()) return drainAll();
        int at = firstStop();
        if (at >= 0) {
            stopped = true;
            String out = held.substring(0, at);
            held.setLength(0);
            return out;
        }
        int keep = longestStopPrefixSuffix();
        String out = held.substring(0, held.length() - keep);
        held.delete(0, held.length() - keep);
        return out;
    }

    /// Releases everything held (at the natural end of generation); incomplete UTF-8 at the very end is dropped.
    String flush() {
        if (stopped) return "";
        pendingBytes.reset();
        return drainAll();
    }

    boolean stopped() {
        return stopped;
    }

    private String drainAll() {
        String out = held.toString();
        held.setLength(0);
        return out;
    }

    private int firstStop() {
        int best = -1;
        for (String s : stops) {
            int i = held.indexOf(s);
            if (i >= 0 && (best < 0 || i < best)) best = i;
        }
        return best;
    }

    /// Length of the longest suffix of `held` that is a proper prefix of some stop string.
    private int longestStopPrefixSuffix() {
        int best = 0;
        String h = held.toString();
        for (String s : stops) {
            int max = Math.min(s.length() - 1, h.length());
            for (int len = max; len > best; len--) {
                if (h.regionMatches(h.length() - len, s, 0, len)) {
                    best = len;
                    break;
                }
            }
        }
        return best;
    }

    /// The length of the longest prefix that does not end inside an unfinished UTF-8 sequence.
    static int completePrefix(byte[] b) {
        int n = b.length;
        for (int back = 1; back <= Math.min(3, n); back++) {
            int c = b[n - back] & 0xFF;
            if ((c & 0xC0) == 0x80) continue; // continuation byte: look further back
            int need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            return need > back ? n - back : n;
        }
        return n;
    }
}
