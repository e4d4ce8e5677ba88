package dev.hearth.inference.hub;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/// Where the Hub is and which token to send to it.
///
/// Resolved like `huggingface_hub` does: the endpoint from `HF_ENDPOINT` (a mirror or a self-hosted hub), else
/// [#DEFAULT_ENDPOINT]; the token from the settings when the user set one there, else `HF_TOKEN`, else the token
/// file `huggingface-cli login` writes (`HF_TOKEN_PATH`, `$HF_HOME/token`, `~/.cache/huggingface/token`).
/// The token is only ever sent to the endpoint's own origin (scheme, host and port): see [#sendsTokenTo(URI)].
public record HubConfig(URI endpoint, @Nullable String token) {
    /// The public Hugging Face Hub.
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";

    public HubConfig {
        var scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || endpoint.getHost() == null) {
            throw new IllegalArgumentException("the Hub endpoint must be an http(s) address: " + endpoint);
        }
        var text = endpoint.toString();
        if (text.endsWith("/")) endpoint = URI.create(text.substring(0, text.length() - 1));
        if (token != null && token.isBlank()) token = null;
        if (token != null) token = token.strip();
    }

    /// The endpoint and token from the environment, with an optional token from Hearth's settings taking precedence.
    public static HubConfig fromEnvironment(Map<String, String> env, Path userHome, @Nullable String settingsToken) {
        var endpoint = blankToNull(env.get("HF_ENDPOINT"));
        var token = blankToNull(settingsToken);
        if (token == null) token = blankToNull(env.get("HF_TOKEN"));
        if (token == null) token = blankToNull(env.get("HUGGING_FACE_HUB_TOKEN"));
        if (token == null) token = readTokenFile(tokenPath(env, userHome)).orElse(null);
        try {
            return new HubConfig(URI.create(endpoint == null ? DEFAULT_ENDPOINT : endpoint), token);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("HF_ENDPOINT is not an http(s) address: " + endpoint, e);
        }
    }

    /// The token file `huggingface_hub` reads: `HF_TOKEN_PATH`, else `$HF_HOME/token`, else `~/.cache/huggingface/token`.
    public static Path tokenPath(Map<String, String> env, Path userHome) {
        var explicit = blankToNull(env.get("HF_TOKEN_PATH"));
        if (explicit != null) return Path.of(explicit);
        return huggingFaceHome(env, userHome).resolve("token");
    }

    /// `HF_HOME`, else `$XDG_CACHE_HOME/huggingface`, else `~/.cache/huggingface`.
    public static Path huggingFaceHome(Map<String, String> env, Path userHome) {
        var home = blankToNull(env.get("HF_HOME"));
        if (home != null) return Path.of(home);
        var xdg = blankToNull(env.get("XDG_CACHE_HOME"));
        return (xdg != null ? Path.of(xdg) : userHome.resolve(".cache")).resolve("huggingface");
    }

    /// Whether a request to `uri` may carry the token: only the endpoint's own scheme, host and port.
    public boolean sendsTokenTo(URI uri) {
        return token != null && sameOrigin(endpoint, uri);
    }

    /// A copy without a token (for logs, or to try anonymously).
    public HubConfig withoutToken() {
        return new HubConfig(endpoint, null);
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) return uri.getPort();
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static Optional<String> readTokenFile(Path file) {
        try {
            return Files.isRegularFile(file) ? Optional.ofNullable(blankToNull(Files.readString(file))) : Optional.empty();
        } catch (IOException | RuntimeException _) {
            return Optional.empty();
        }
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    @Override
    public String toString() {
        return "HubConfig[endpoint=" + endpoint + ", token=" + (token == null ? "none" : "set") + "]";
    }
}
