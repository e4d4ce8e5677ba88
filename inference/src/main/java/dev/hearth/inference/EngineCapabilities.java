package dev.hearth.inference;

import java.util.List;

/// What the loaded native library can do on this machine.
///
/// @param libraryBuild the llama.cpp build the binding was written for (e.g. `b4916`)
/// @param libraryPath the native library file in use
public record EngineCapabilities(
        String libraryBuild,
        String libraryPath,
        List<Device> devices,
        boolean gpuOffload,
        boolean mmap,
        boolean mlock) {
    public EngineCapabilities {
        devices = List.copyOf(devices);
    }
}
