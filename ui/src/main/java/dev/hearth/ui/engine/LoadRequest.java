package dev.hearth.ui.engine;

import dev.hearth.inference.LoadOptions;
import java.nio.file.Path;

/// What the user asked to load: a GGUF file and the engine's load options. The load dialog (Models section or
/// chat) produces it; the chat's engine manager carries it out.
public record LoadRequest(Path model, LoadOptions options) {}
