package dev.hearth.ui.settings;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/// The user's settings. Unknown or missing values fall back to the defaults, so a settings file written by
/// another version never stops Hearth from starting.
///
/// @param theme        light, dark, or following the system
/// @param modelFolders folders the user added to the model library (absolute, no duplicates, in the order added)
public record Settings(Theme theme, List<Path> modelFolders) {
    public static final Settings DEFAULT = new Settings(Theme.SYSTEM, List.of());

    public Settings {
        Objects.requireNonNull(theme, "theme");
        modelFolders = modelFolders.stream().map(p -> p.toAbsolutePath().normalize()).distinct().toList();
    }

    public Settings(Theme theme) {
        this(theme, List.of());
    }

    public Settings withTheme(Theme next) {
        return new Settings(next, modelFolders);
    }

    public Settings withModelFolders(List<Path> next) {
        return new Settings(theme, next);
    }
}
