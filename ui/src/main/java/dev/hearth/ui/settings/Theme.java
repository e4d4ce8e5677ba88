package dev.hearth.ui.settings;

/// The window's colours: always light, always dark, or following the operating system.
public enum Theme {
    LIGHT,
    DARK,
    SYSTEM
}
