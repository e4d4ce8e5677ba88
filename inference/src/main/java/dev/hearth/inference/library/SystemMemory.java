package dev.hearth.inference.library;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/// Free RAM: `MemAvailable` from `/proc/meminfo` on Linux (what can be used without swapping, page cache included),
/// else the JVM's view of the operating system's free memory.
public final class SystemMemory {
    private static final Path MEMINFO = Path.of("/proc/meminfo");

    private SystemMemory() {}

    public static long availableBytes() {
        if (Files.isReadable(MEMINFO)) {
            try {
                var parsed = parseMemAvailable(Files.readString(MEMINFO));
                if (parsed.isPresent()) return parsed.getAsLong();
            } catch (IOException _) {
                // fall through to the MXBean
            }
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getFreeMemorySize();
        }
        return Runtime.getRuntime().maxMemory();
    }

    /// The `MemAvailable:` line of `/proc/meminfo`, in bytes.
    static OptionalLong parseMemAvailable(String meminfo) {
        for (var line : meminfo.split("\n")) {
            if (!line.startsWith("MemAvailable:")) continue;
            var parts = line.substring("MemAvailable:".length()).strip().split("\\s+");
            try {
                long value = Long.parseLong(parts[0]);
                return OptionalLong.of(parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value);
            } catch (NumberFormatException _) {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }
}
