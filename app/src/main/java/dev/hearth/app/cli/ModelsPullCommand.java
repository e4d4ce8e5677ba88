package dev.hearth.app.cli;

import dev.hearth.inference.hub.Download;
import dev.hearth.inference.hub.DownloadListener;
import dev.hearth.inference.hub.DownloadRequest;
import dev.hearth.inference.hub.DownloadStatus;
import dev.hearth.inference.hub.GgufVariant;
import dev.hearth.inference.hub.HubException;
import dev.hearth.inference.hub.ModelDownloader;
import dev.hearth.ui.Units;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/// `hearth models pull REPO[:QUANT] [--file FILE] [--revision R]`: download a model into the library.
@Command(
        name = "pull",
        mixinStandardHelpOptions = true,
        header = "Download a GGUF model from the Hub (resumable, sha256-checked).",
        description = {
            "Download a GGUF model from the Hub into Hearth's models folder (<models>/OWNER/NAME/FILE).",
            "REPO:QUANT picks a quantisation (e.g. bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M); without one, Q4_K_M",
            "if the repository has it, else its first model. A split model is downloaded as a whole set.",
            "Downloads resume: after a dropped connection automatically, and after an interrupted pull when you run",
            "the same pull again. The sha256 is checked against the Hub's before the file appears in the library.",
            "Gated repositories need an accepted licence and a token (HF_TOKEN). HF_ENDPOINT selects a mirror."
        })
public final class ModelsPullCommand implements Callable<Integer> {
    private static final String DEFAULT_QUANT = "Q4_K_M";
    private final CliEnvironment environment;

    @Parameters(paramLabel = "REPO[:QUANT]", description = "The repository, OWNER/NAME, optionally with :QUANT.")
    String target;

    @Option(names = "--file", paramLabel = "FILE", description = "A file in the repository (or a split set's first part) instead of :QUANT.")
    @Nullable String file;

    @Option(names = "--revision", paramLabel = "R", defaultValue = "main", description = "Branch, tag or commit (default: ${DEFAULT-VALUE}).")
    String revision;

    @Spec CommandSpec spec;

    public ModelsPullCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        var colon = target.indexOf(':');
        var id = HubCommands.repo(colon < 0 ? target : target.substring(0, colon));
        var quant = colon < 0 ? null : target.substring(colon + 1).strip();
        if (quant != null && quant.isEmpty()) throw new CliFailure("empty quantisation after ':' in " + target, 2);
        if (quant != null && file != null) throw new CliFailure("give REPO:QUANT or --file, not both", 2);
        var models = writableModelsFolder();
        var out = spec.commandLine().getOut();
        Download download;
        try {
            var variants = HubCommands.client(environment).ggufVariants(id, revision);
            var variant = choose(variants, quant, file, id.toString());
            if (!variant.complete()) {
                throw new CliFailure(variant.name() + " in " + id + " is a split set with missing parts on the Hub");
            }
            var request = DownloadRequest.of(id, revision, variant);
            out.println("Pulling " + id + "/" + variant.files().getFirst().path()
                    + (variant.files().size() > 1 ? " (" + variant.files().size() + " parts)" : "")
                    + ", " + Units.bytes(variant.totalBytes()) + (variant.quant() == null ? "" : ", " + variant.quant()));
            var downloader = new ModelDownloader(environment.hub(), models);
            download = downloader.start(request, environment.terminal() ? new Bar(out) : new Lines(out));
        } catch (HubException e) {
            throw HubCommands.failure(e);
        } catch (InterruptedException _) {
            throw HubCommands.interrupted();
        }
        var stopOnExit = new Thread(() -> {
            download.pause();
            try {
                download.awaitEnd();
            } catch (InterruptedException _) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        DownloadStatus end;
        try {
            end = download.awaitEnd();
        } catch (InterruptedException _) {
            download.pause();
            throw HubCommands.interrupted();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException _) {
                // already shutting down: the hook pauses the download
            }
        }
        if (environment.terminal()) out.println();
        return switch (end.state()) {
            case COMPLETED -> {
                for (var path : download.targets()) out.println("Saved " + path);
                yield 0;
            }
            case FAILED -> throw new CliFailure(end.failure() == null ? end.note() : end.failure().getMessage());
            case PAUSED -> throw new CliFailure("paused; run the same pull again to resume", 130);
            case CANCELLED -> throw new CliFailure("cancelled", 130);
            default -> throw new CliFailure("the download stopped unexpectedly: " + end.state());
        };
    }

    private Path writableModelsFolder() {
        var models = environment.folders().models();
        try {
            Files.createDirectories(models);
        } catch (IOException e) {
            throw new CliFailure("the models folder " + models + " cannot be created: " + Cli.describe(e));
        }
        if (!Files.isWritable(models)) throw new CliFailure("the models folder " + models + " is not writable");
        return models;
    }

    static GgufVariant choose(List<GgufVariant> variants, @Nullable String quant, @Nullable String file, String repo) {
        if (file != null) {
            return variants.stream()
                    .filter(v -> v.name().equals(file) || v.files().stream().anyMatch(f -> f.path().equals(file) || f.fileName().equals(file)))
                    .findFirst()
                    .orElseThrow(() -> new CliFailure("no GGUF file '" + file + "' in " + repo + "; see 'hearth models files " + repo + "'"));
        }
        var models = variants.stream().filter(v -> !v.isProjector()).toList();
        if (quant != null) {
            return models.stream().filter(v -> quant.equalsIgnoreCase(v.quant())).findFirst()
                    .orElseThrow(() -> new CliFailure("no " + quant.toUpperCase(Locale.ROOT) + " model in " + repo + "; it has: "
                            + available(models)));
        }
        Optional<GgufVariant> preferred = models.stream().filter(v -> DEFAULT_QUANT.equalsIgnoreCase(v.quant())).findFirst();
        return preferred.orElse(models.isEmpty() ? variants.getFirst() : models.getFirst());
    }

    private static String available(List<GgufVariant> variants) {
        return variants.stream().map(v -> v.quant() == null ? v.name() : v.quant()).distinct().collect(Collectors.joining(", "));
    }

    static String eta(Optional<Duration> eta) {
        return eta.map(d -> d.toHours() > 0
                ? String.format(Locale.ROOT, "%dh%02dm", d.toHours(), d.toMinutesPart())
                : String.format(Locale.ROOT, "%dm%02ds", d.toMinutes(), d.toSecondsPart())).orElse("--");
    }

    /// A progress bar redrawn in place on a terminal.
    private record Bar(PrintWriter out) implements DownloadListener {
        @Override
        public void onStatus(Download download, DownloadStatus s) {
            String line;
            if (s.state() == DownloadStatus.State.RUNNING && s.note().isEmpty()) {
                int width = 30;
                int filled = (int) Math.round(s.fraction() * width);
                line = String.format(Locale.ROOT, "[%s%s] %3d%%  %s / %s  %s/s  ETA %s", "#".repeat(filled), ".".repeat(width - filled),
                        (int) (s.fraction() * 100), Units.bytes(s.bytesDone()), Units.bytes(s.bytesTotal()),
                        Units.bytes((long) s.bytesPerSecond()), eta(s.eta()));
            } else if (!s.note().isEmpty() && s.state().isActive()) {
                line = s.note();
            } else {
                return;
            }
            synchronized (out) {
                out.print("\r" + pad(line, 100));
                out.flush();
            }
        }

        private static String pad(String s, int width) {
            return s.length() >= width ? s.substring(0, width) : s + " ".repeat(width - s.length());
        }
    }

    /// Plain lines for logs and pipes: one per 10 %, and every retry or resume.
    private static final class Lines implements DownloadListener {
        private final PrintWriter out;
        private int lastDecile = -1;
        private String lastNote = "";

        Lines(PrintWriter out) {
            this.out = out;
        }

        @Override
        public synchronized void onStatus(Download download, DownloadStatus s) {
            if (!s.note().isEmpty() && !s.note().equals(lastNote) && s.state().isActive()
                    && (s.state() == DownloadStatus.State.RETRYING || s.note().startsWith("resuming"))) {
                out.println(s.note());
                lastNote = s.note();
            }
            if (s.state() != DownloadStatus.State.RUNNING) return;
            int decile = (int) (s.fraction() * 10);
            if (decile == lastDecile) return;
            lastDecile = decile;
            out.printf(Locale.ROOT, "%3d%%  %s / %s  %s/s  ETA %s%n", decile * 10, Units.bytes(s.bytesDone()), Units.bytes(s.bytesTotal()),
                    Units.bytes((long) s.bytesPerSecond()), eta(s.eta()));
            out.flush();
        }
    }
}
