package dev.hearth.inference;

/// A compute device llama.cpp can use (a ggml backend device).
///
/// @param memoryFree free memory in bytes as reported by the backend (system RAM for the CPU)
/// @param memoryTotal total memory in bytes
public record Device(String name, String description, Kind kind, long memoryFree, long memoryTotal) {
    public enum Kind { CPU, GPU, ACCELERATOR }

    /// One line for people: "CUDA0 (NVIDIA H100) 77.1/79.2 GiB free", "CPU (AMD EPYC)"; the kind is left out when the
    /// name starts with it.
    public String describe() {
        var memory = memoryTotal > 0 ? String.format(java.util.Locale.ROOT, " %.1f/%.1f GiB free",
                memoryFree / 1073741824.0, memoryTotal / 1073741824.0) : "";
        var k = name.toUpperCase(java.util.Locale.ROOT).startsWith(kind.name()) ? "" : kind + " ";
        return k + name + (description.isBlank() ? "" : " (" + description + ")") + memory;
    }
}
