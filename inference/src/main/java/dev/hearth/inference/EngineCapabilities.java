package dev.hearth.inference;

import java.util.List;

/// What the loaded native library can do on this machine.
///
/// @param libraryBuild the llama.cpp build of the loaded library (`b4916`, or the release an engine pack names)
/// @param libraryPath the native library file in use
/// @param libraryGeneration the llama.h generation the binding speaks with it (`b4916`, `v0.5`)
public record EngineCapabilities(
        String libraryBuild,
        String libraryPath,
        List<Device> devices,
        boolean gpuOffload,
        boolean mmap,
        boolean mlock,
        String libraryGeneration) {
    public EngineCapabilities {
        devices = List.copyOf(devices);
    }

    /// Capabilities of a b4916 library (the generation named by its build).
    public EngineCapabilities(String libraryBuild, String libraryPath, List<Device> devices, boolean gpuOffload,
            boolean mmap, boolean mlock) {
        this(libraryBuild, libraryPath, devices, gpuOffload, mmap, mlock, libraryBuild);
    }
}
