package dev.hearth.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/// Hearth's version and the versions of the parts it is built from, read from the build's filtered resource.
public record HearthVersion(String version, String javaLlamaVersion, String javafxVersion) {

    public static HearthVersion current() {
        var props = new Properties();
        try (InputStream in = HearthVersion.class.getResourceAsStream("version.properties")) {
            if (in != null) props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new HearthVersion(
                props.getProperty("version", "dev"),
                props.getProperty("llama.version", "?"),
                props.getProperty("javafx.version", "?"));
    }
}
