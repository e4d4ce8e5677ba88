package dev.hearth.inference.library;

/// One GPU as the engine reports it: a name and the bytes free on it now.
public record GpuMemory(String name, long freeBytes) {
    public GpuMemory {
        if (freeBytes < 0) throw new IllegalArgumentException("negative free memory for " + name);
    }
}
