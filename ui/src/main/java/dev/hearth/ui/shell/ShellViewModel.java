package dev.hearth.ui.shell;

import dev.hearth.ui.settings.Settings;
import dev.hearth.ui.settings.SettingsStore;
import dev.hearth.ui.settings.Theme;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;

/// State of the main window: which section is open, the theme, and the status line.
public final class ShellViewModel {
    private final ObjectProperty<Section> section = new SimpleObjectProperty<>(Section.MODELS);
    private final ReadOnlyObjectWrapper<Theme> theme;
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("No model loaded");
    private final SettingsStore settings;

    public ShellViewModel(SettingsStore settings) {
        this.settings = settings;
        this.theme = new ReadOnlyObjectWrapper<>(settings.current().theme());
    }

    public ObjectProperty<Section> sectionProperty() {
        return section;
    }

    public ReadOnlyObjectProperty<Theme> themeProperty() {
        return theme.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public void showStatus(String line) {
        status.set(line);
    }

    /// Switches the theme and remembers the choice; a choice that cannot be saved still applies, and the status
    /// bar says it was not saved.
    public void useTheme(Theme next) {
        if (next == theme.get()) return;
        theme.set(next);
        Settings updated = settings.current().withTheme(next);
        try {
            settings.save(updated);
        } catch (java.io.IOException e) {
            status.set("Could not save settings: " + e.getMessage());
        }
    }
}
