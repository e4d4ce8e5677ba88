package dev.hearth.ui.settings;

import java.util.Objects;

/// The user's settings. Unknown or missing values fall back to the defaults, so a settings file written by
/// another version never stops Hearth from starting.
///
/// @param theme light, dark, or following the system
public record Settings(Theme theme) {
    public static final Settings DEFAULT = new Settings(Theme.SYSTEM);

    public Settings {
        Objects.requireNonNull(theme, "theme");
    }

    public Settings withTheme(Theme next) {
        return new Settings(next);
    }
}
