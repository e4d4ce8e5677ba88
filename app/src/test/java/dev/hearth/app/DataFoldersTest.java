package dev.hearth.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFoldersTest {
    private static final Path HOME = Path.of("/home/ada");

    @Test
    void hearthHomePutsEverythingUnderOneFolder() {
        var f = DataFolders.resolve(Map.of("HEARTH_HOME", "/tmp/h"), "Linux", HOME);
        assertEquals(Path.of("/tmp/h"), f.home());
        assertEquals(Path.of("/tmp/h/hearth.db"), f.database());
        assertEquals(Path.of("/tmp/h/models"), f.models());
        assertEquals(Path.of("/tmp/h/logs"), f.logs());
        assertEquals(Path.of("/tmp/h/cache"), f.cache());
    }

    @Test
    void linuxFollowsXdgDefaults() {
        var f = DataFolders.resolve(Map.of(), "Linux", HOME);
        assertEquals(Path.of("/home/ada/.local/share/hearth"), f.home());
        assertEquals(Path.of("/home/ada/.cache/hearth"), f.cache());
    }

    @Test
    void linuxHonoursAbsoluteXdgVariablesAndIgnoresRelativeOnes() {
        var f = DataFolders.resolve(Map.of("XDG_DATA_HOME", "/data", "XDG_CACHE_HOME", "relative/cache"), "Linux", HOME);
        assertEquals(Path.of("/data/hearth"), f.home());
        assertEquals(Path.of("/home/ada/.cache/hearth"), f.cache());
    }

    @Test
    void macOsUsesApplicationSupportAndCaches() {
        var f = DataFolders.resolve(Map.of(), "Mac OS X", HOME);
        assertEquals(Path.of("/home/ada/Library/Application Support/Hearth"), f.home());
        assertEquals(Path.of("/home/ada/Library/Caches/Hearth"), f.cache());
    }

    @Test
    void windowsUsesLocalAppData() {
        var f = DataFolders.resolve(Map.of("LOCALAPPDATA", "/c/Users/ada/AppData/Local"), "Windows 11", HOME);
        assertEquals(Path.of("/c/Users/ada/AppData/Local/Hearth"), f.home());
        assertEquals(Path.of("/c/Users/ada/AppData/Local/Hearth/cache"), f.cache());
    }

    @Test
    void createMakesTheFolders(@TempDir Path dir) throws Exception {
        var f = DataFolders.resolve(Map.of("HEARTH_HOME", dir.resolve("h").toString()), "Linux", HOME).create();
        assertTrue(Files.isDirectory(f.models()));
        assertTrue(Files.isDirectory(f.logs()));
        assertTrue(Files.isDirectory(f.cache()));
    }
}
