package dev.hearth.app.cli;

import dev.hearth.inference.hub.HubClient;
import dev.hearth.inference.hub.HubException;
import dev.hearth.inference.hub.RepoId;

/// What the Hub commands share: the client for the environment's endpoint, and failures as one line.
final class HubCommands {
    private HubCommands() {}

    static HubClient client(CliEnvironment environment) {
        return new HubClient(environment.hub());
    }

    static RepoId repo(String text) {
        try {
            return RepoId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(e.getMessage() + " (expected OWNER/NAME, e.g. bartowski/Llama-3.2-1B-Instruct-GGUF)", 2);
        }
    }

    static CliFailure failure(HubException e) {
        return new CliFailure(e.getMessage() == null ? e.kind().name() : e.getMessage());
    }

    /// A blocking Hub call whose failures the CLI reports as one line.
    @FunctionalInterface
    interface HubCall<T> {
        T call() throws HubException, InterruptedException;
    }

    /// Runs `call`; a Hub failure or an interrupt becomes a [CliFailure].
    static <T> T call(HubCall<T> call) {
        try {
            return call.call();
        } catch (HubException e) {
            throw failure(e);
        } catch (InterruptedException _) {
            throw interrupted();
        }
    }

    static CliFailure interrupted() {
        Thread.currentThread().interrupt();
        return new CliFailure("interrupted", 130);
    }
}
