package dev.hearth.ui;

/// Something started that can be called off; cancelling twice, or after it finished, does nothing.
@FunctionalInterface
public interface Cancellable {
    void cancel();
}
