package dev.hearth.ui.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsStoreTest {

    @Test
    void aMissingFileGivesTheDefaults(@TempDir Path dir) {
        assertEquals(Settings.DEFAULT, SettingsStore.open(dir.resolve("settings.json")).current());
    }

    @Test
    void aSavedThemeIsReadBack(@TempDir Path dir) throws Exception {
        var file = dir.resolve("sub/settings.json");
        SettingsStore.open(file).save(new Settings(Theme.DARK));
        assertEquals(Theme.DARK, SettingsStore.open(file).current().theme());
    }

    @Test
    void aCorruptFileGivesTheDefaultsInsteadOfFailing(@TempDir Path dir) throws Exception {
        var file = dir.resolve("settings.json");
        Files.writeString(file, "{not json");
        assertEquals(Settings.DEFAULT, SettingsStore.open(file).current());
    }

    @Test
    void anUnknownThemeFallsBackToTheDefault(@TempDir Path dir) throws Exception {
        var file = dir.resolve("settings.json");
        Files.writeString(file, "{\"theme\":\"purple\"}");
        assertEquals(Settings.DEFAULT.theme(), SettingsStore.open(file).current().theme());
    }

    @Test
    void keysFromOtherVersionsSurviveASave(@TempDir Path dir) throws Exception {
        var file = dir.resolve("settings.json");
        Files.writeString(file, "{\"theme\":\"light\",\"future\":{\"x\":1}}");
        SettingsStore.open(file).save(new Settings(Theme.DARK));
        var text = Files.readString(file);
        assertTrue(text.contains("\"future\""), text);
        assertTrue(text.contains("\"dark\""), text);
    }
}
