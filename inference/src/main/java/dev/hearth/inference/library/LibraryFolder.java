package dev.hearth.inference.library;

import java.nio.file.Path;

/// A folder the library lists, and how to read it.
public record LibraryFolder(Path path, ModelSource source) {}
