package dev.hearth.ui.settings;

import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.Sampling;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/// The Settings section's choices beyond the theme, kept in the same settings file under their own keys.
///
/// @param hubEndpoint   a Hugging Face Hub mirror (`https://…`), or null for the public Hub (`HF_ENDPOINT` wins)
/// @param nativeLibrary a llama.cpp library file for GPU builds, or null for the bundled CPU one
/// @param load          load options new models start with
/// @param sampling      sampling parameters new chats start with
public record Preferences(@Nullable String hubEndpoint, @Nullable Path nativeLibrary, LoadOptions load, Sampling sampling) {
    public static final Preferences DEFAULT = new Preferences(null, null, LoadOptions.DEFAULT, Sampling.DEFAULT);

    public Preferences {
        Objects.requireNonNull(load, "load");
        Objects.requireNonNull(sampling, "sampling");
        if (hubEndpoint != null) {
            hubEndpoint = hubEndpoint.strip();
            if (hubEndpoint.isEmpty()) {
                hubEndpoint = null;
            } else {
                checkEndpoint(hubEndpoint);
            }
        }
        if (nativeLibrary != null) nativeLibrary = nativeLibrary.toAbsolutePath().normalize();
    }

    private static void checkEndpoint(String endpoint) {
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The Hub endpoint is not an address: " + endpoint);
        }
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("The Hub endpoint must be an http(s) address, like https://huggingface.co");
        }
    }

    public Preferences withHubEndpoint(@Nullable String next) {
        return new Preferences(next, nativeLibrary, load, sampling);
    }

    public Preferences withNativeLibrary(@Nullable Path next) {
        return new Preferences(hubEndpoint, next, load, sampling);
    }

    public Preferences withDefaults(LoadOptions nextLoad, Sampling nextSampling) {
        return new Preferences(hubEndpoint, nativeLibrary, nextLoad, nextSampling);
    }
}
