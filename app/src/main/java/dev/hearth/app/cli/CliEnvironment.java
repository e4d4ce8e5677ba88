package dev.hearth.app.cli;

import dev.hearth.app.DataFolders;
import dev.hearth.inference.hub.HubConfig;
import dev.hearth.inference.hub.TokenFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Map;

/// What commands read from the world outside their arguments: environment variables, the OS, the user's home folder,
/// and whether a person is at a terminal (progress bars, confirmation questions). Tests pass their own.
///
/// @param terminal whether stdin/stdout are a terminal (`System.console() != null`)
/// @param input    where answers to questions come from
public record CliEnvironment(Map<String, String> env, String osName, Path userHome, boolean terminal, Reader input) {

    public CliEnvironment {
        env = Map.copyOf(env);
    }

    /// This process's environment.
    public static CliEnvironment system() {
        var console = System.console();
        Reader in = console != null ? console.reader() : new InputStreamReader(System.in, Charset.defaultCharset());
        return new CliEnvironment(System.getenv(), System.getProperty("os.name", ""), Path.of(System.getProperty("user.home")),
                console != null, in);
    }

    public DataFolders folders() {
        return DataFolders.resolve(env, osName, userHome);
    }

    /// The Hub endpoint (`HF_ENDPOINT`, default [HubConfig#DEFAULT_ENDPOINT]) and token (Hearth's stored token,
    /// else `HF_TOKEN`, else the `huggingface-cli login` token file).
    public HubConfig hub() {
        String stored = null;
        try {
            stored = tokenFile().read().orElse(null);
        } catch (IOException _) {
            // an unreadable token file is as good as none; HF_TOKEN may still be set
        }
        try {
            return HubConfig.fromEnvironment(env, userHome, stored);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(e.getMessage(), 2);
        }
    }

    /// Hearth's own token file (user-only permissions), written by the settings.
    public TokenFile tokenFile() {
        return new TokenFile(folders().home().resolve("hub-token"));
    }

    /// Asks a yes/no question on the terminal; only "y" or "yes" is yes.
    boolean confirm(java.io.PrintWriter out, String question) {
        out.print(question + " [y/N] ");
        out.flush();
        try {
            var line = new BufferedReader(input).readLine();
            return line != null && (line.strip().equalsIgnoreCase("y") || line.strip().equalsIgnoreCase("yes"));
        } catch (IOException _) {
            return false;
        }
    }
}
