package dev.hearth.inference.project;

/// A project folder that cannot be opened or read, or a file that cannot go into the context; the message is one
/// plain sentence.
public final class ProjectException extends RuntimeException {
    public ProjectException(String message) {
        super(message);
    }
}
