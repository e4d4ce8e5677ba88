package dev.hearth.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataFoldersTest {
    static final Path HOME = Path.of("/home/ada");

    @Test
    void hearthHomeWinsEverywhere() {
        var f = DataFolders.resolve(Map.of("HEARTH_HOME", "/data/h", "XDG_DATA_HOME", "/x"), "Linux", HOME);
        assertEquals(Path.of("/data/h/hearth.db"), f.database());
        assertEquals(Path.of("/data/h/models"), f.models());
    }

    @Test
    void linuxUsesXdgDataHomeOrLocalShare() {
        assertEquals(Path.of("/x/hearth"), DataFolders.resolve(Map.of("XDG_DATA_HOME", "/x"), "Linux", HOME).home());
        assertEquals(Path.of("/home/ada/.local/share/hearth"), DataFolders.resolve(Map.of(), "Linux", HOME).home());
    }

    @Test
    void macAndWindowsUseTheirApplicationDataFolders() {
        assertEquals(Path.of("/home/ada/Library/Application Support/Hearth"),
                DataFolders.resolve(Map.of(), "Mac OS X", HOME).home());
        assertEquals(Path.of("/appdata/local").resolve("Hearth"),
                DataFolders.resolve(Map.of("LOCALAPPDATA", "/appdata/local"), "Windows 11", HOME).home());
    }
}
