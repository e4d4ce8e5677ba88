package dev.hearth.inference.library;

/// Prints this machine's memory read bandwidth as the Metrics view measures it (the figure in the README):
/// `java -cp inference/target/classes:inference/target/test-classes dev.hearth.inference.library.MemoryBandwidthBench`
public final class MemoryBandwidthBench {
    private MemoryBandwidthBench() {}

    public static void main(String[] args) {
        for (int i = 0; i < 3; i++) System.out.println(MemoryBandwidth.measure().describe());
        System.out.println("1 thread: " + MemoryBandwidth.measure(1, MemoryBandwidth.DEFAULT_BUFFER_BYTES,
                java.time.Duration.ofMillis(500)).describe());
    }
}
