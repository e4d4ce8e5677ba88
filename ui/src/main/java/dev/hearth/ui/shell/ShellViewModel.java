package dev.hearth.ui.shell;

import dev.hearth.ui.settings.Settings;
import dev.hearth.ui.settings.SettingsStore;
import dev.hearth.ui.settings.Theme;
import java.util.function.Consumer;
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
    private final Consumer<String> reportProblem;

    /// @param reportProblem shows a one-line problem in the status bar (e.g. settings that could not be saved)
    public ShellViewModel(SettingsStore settings, Consumer<String> reportProblem) {
        this.settings = settings;
        this.reportProblem = reportProblem;
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

    /// Switches the theme and remembers the choice.
    public void useTheme(Theme next) {
        if (next == theme.get()) return;
        theme.set(next);
        Settings updated = settings.current().withTheme(next);
        try {
            settings.save(updated);
        } catch (java.io.IOException e) {
            reportProblem.accept("Could not save settings: " + e.getMessage());
        }
    }
}
