package dev.hearth.ui.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.Sampling;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreferencesJsonTest {
    @TempDir Path dir;

    @Test
    void aMissingFileGivesTheDefaults() {
        assertEquals(Preferences.DEFAULT, SettingsStore.open(dir.resolve("settings.json")).preferences());
    }

    @Test
    void badValuesFallBackToTheirDefaultsOneGroupAtATime() throws Exception {
        var file = dir.resolve("settings.json");
        Files.writeString(file, """
                {"hubEndpoint": "not a url", "nativeLibrary": "relative/lib.so",
                 "defaultLoad": {"gpuLayers": -5},
                 "defaultSampling": {"temperature": 0.4, "topK": "many"}}""");
        var p = SettingsStore.open(file).preferences();
        assertNull(p.hubEndpoint());
        assertNull(p.nativeLibrary());
        assertEquals(LoadOptions.DEFAULT, p.load(), "an out-of-range value: the group's defaults");
        assertEquals(0.4, p.sampling().temperature(), "a value of the wrong type: that field's default");
        assertEquals(Sampling.DEFAULT.topK(), p.sampling().topK());
    }

    @Test
    void everyFieldRoundTrips() throws Exception {
        var file = dir.resolve("settings.json");
        var p = new Preferences("https://mirror.example", dir.resolve("libjllama.so"),
                LoadOptions.DEFAULT.withGpuLayers(99).withContextSize(2048).withThreads(3).withMemory(false, true),
                Sampling.DEFAULT.withTemperature(0.1).withTopK(5).withTopP(0.5).withMinP(0.2)
                        .withPenalties(1.3, 0, 0, 64).withMaxTokens(77).withSeed(1234));
        SettingsStore.open(file).savePreferences(p);
        assertEquals(p, SettingsStore.open(file).preferences());
    }
}
