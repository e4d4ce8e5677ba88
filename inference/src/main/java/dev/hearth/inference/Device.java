package dev.hearth.inference;

/// A compute device llama.cpp can use (a ggml backend device).
///
/// @param memoryFree free memory in bytes as reported by the backend (system RAM for the CPU)
/// @param memoryTotal total memory in bytes
public record Device(String name, String description, Kind kind, long memoryFree, long memoryTotal) {
    public enum Kind { CPU, GPU, ACCELERATOR }
}
