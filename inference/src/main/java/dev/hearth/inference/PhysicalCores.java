package dev.hearth.inference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;

/// Counts physical CPU cores (not hardware threads); llama.cpp generates fastest with one thread per core.
final class PhysicalCores {
    private static final int COUNT = detect();

    private PhysicalCores() {}

    static int count() {
        return COUNT;
    }

    private static int detect() {
        int logical = Runtime.getRuntime().availableProcessors();
        var cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) return Math.max(1, logical);
        try {
            var cores = new HashSet<String>();
            String physical = "0";
            for (String line : Files.readAllLines(cpuinfo)) {
                int colon = line.indexOf(':');
                if (colon < 0) continue;
                String key = line.substring(0, colon).strip();
                String value = line.substring(colon + 1).strip();
                if (key.equals("physical id")) physical = value;
                else if (key.equals("core id")) cores.add(physical + "/" + value);
            }
            int physicalCores = cores.isEmpty() ? logical : cores.size();
            // A container may be limited to fewer CPUs than the machine has cores.
            return Math.max(1, Math.min(physicalCores, logical));
        } catch (IOException | RuntimeException e) {
            return Math.max(1, logical);
        }
    }
}
