package dev.hearth.inference.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubConfigTest {
    @TempDir Path home;

    @Test
    void theEndpointDefaultsToTheHubAndHfEndpointChoosesAMirror() {
        assertEquals(URI.create(HubConfig.DEFAULT_ENDPOINT), HubConfig.fromEnvironment(Map.of(), home, null).endpoint());
        assertEquals(URI.create("https://hf-mirror.com"),
                HubConfig.fromEnvironment(Map.of("HF_ENDPOINT", "https://hf-mirror.com/"), home, null).endpoint());
        assertThrows(IllegalArgumentException.class, () -> HubConfig.fromEnvironment(Map.of("HF_ENDPOINT", "file:///x"), home, null));
    }

    @Test
    void theSettingsTokenWinsThenHfTokenThenTheLoginTokenFile() throws Exception {
        Files.createDirectories(home.resolve(".cache/huggingface"));
        Files.writeString(home.resolve(".cache/huggingface/token"), "hf_from_file\n");
        assertEquals("hf_from_file", HubConfig.fromEnvironment(Map.of(), home, null).token());
        assertEquals("hf_env", HubConfig.fromEnvironment(Map.of("HF_TOKEN", "hf_env"), home, null).token());
        assertEquals("hf_settings", HubConfig.fromEnvironment(Map.of("HF_TOKEN", "hf_env"), home, "hf_settings").token());
        assertNull(HubConfig.fromEnvironment(Map.of("HF_HOME", home.resolve("none").toString()), home, " ").token());
    }

    @Test
    void theTokenGoesOnlyToTheEndpointsOwnOrigin() {
        var config = new HubConfig(URI.create("https://huggingface.co"), "hf_x");
        assertTrue(config.sendsTokenTo(URI.create("https://huggingface.co/api/models")));
        assertTrue(config.sendsTokenTo(URI.create("https://HUGGINGFACE.CO:443/x")));
        assertFalse(config.sendsTokenTo(URI.create("https://cdn-lfs.huggingface.co/x")));
        assertFalse(config.sendsTokenTo(URI.create("http://huggingface.co/x")), "never in clear text to the same host");
        assertFalse(config.sendsTokenTo(URI.create("https://huggingface.co:8443/x")));
        assertFalse(config.withoutToken().sendsTokenTo(URI.create("https://huggingface.co/x")));
    }

    @Test
    void aStoredTokenIsReadableOnlyByItsOwner() throws Exception {
        var file = new TokenFile(home.resolve("hearth/hub-token"));
        file.write("hf_secret ");
        assertEquals("hf_secret", file.read().orElseThrow());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.file())));
        file.clear();
        assertTrue(file.read().isEmpty());
    }
}
