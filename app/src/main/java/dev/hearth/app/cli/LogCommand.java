package dev.hearth.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hearth.app.DataFolders;
import dev.hearth.storage.Generation;
import dev.hearth.storage.GenerationStatus;
import dev.hearth.storage.SearchHit;
import dev.hearth.storage.SearchQuery;
import dev.hearth.storage.SessionExport;
import dev.hearth.storage.SqliteSessionLog;
import dev.hearth.storage.StorageException;
import dev.hearth.storage.ThroughputQuery;
import dev.hearth.storage.Token;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/// `hearth log …`: read, search, export and import the session log (`$HEARTH_HOME/hearth.db`).
@Command(
        name = "log",
        mixinStandardHelpOptions = true,
        header = "Read, search, export and import the session log.",
        description = "The session log (hearth.db in the data folder, or --db FILE) holds generations with their run record, stats and per-token data.",
        subcommands = {
            LogCommand.ListCommand.class, LogCommand.ShowCommand.class, LogCommand.SearchCommand.class,
            LogCommand.ExportCommand.class, LogCommand.ImportCommand.class, LogCommand.StatsCommand.class,
            LogReplayCommand.class
        })
public final class LogCommand {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--db", paramLabel = "FILE",
            description = "Use this database file instead of hearth.db in the data folder ($HEARTH_HOME).")
    @Nullable Path database;

    <T> T withLog(Function<SqliteSessionLog, T> work) {
        var file = database != null ? database : DataFolders.fromEnvironment().database();
        try (var log = SqliteSessionLog.open(file)) {
            return work.apply(log);
        } catch (StorageException e) {
            throw new CliFailure(e.getMessage());
        } catch (UncheckedIOException e) {
            throw new CliFailure(e.getCause().getMessage());
        }
    }

    static String oneLine(String text, int max) {
        var flat = text.replace("\r", "").replace("\n", "⏎").replace("\t", " ");
        return flat.length() <= max ? flat : flat.substring(0, max - 1) + "…";
    }

    static String figure(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    static Map<String, @Nullable Object> summary(Generation g) {
        var m = new LinkedHashMap<String, @Nullable Object>();
        m.put("id", g.id());
        m.put("uuid", g.uuid());
        m.put("sessionId", g.sessionId());
        m.put("startedAt", g.run().startedAt().toString());
        m.put("model", g.run().modelName());
        m.put("status", g.status().code());
        m.put("tokens", g.tokenCount());
        m.put("tokensPerSecond", g.stats() == null || Double.isNaN(g.stats().tokensPerSecond()) ? null : g.stats().tokensPerSecond());
        m.put("prompt", g.run().prompt());
        return m;
    }

    static void json(PrintWriter out, Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the latest generations, newest first.")
    static final class ListCommand implements Callable<Integer> {
        @ParentCommand LogCommand parent;
        @Spec CommandSpec spec;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "How many (default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--json", description = "Print JSON instead of a table.")
        boolean json;

        @Override
        public Integer call() {
            if (limit < 1) throw new CliFailure("--limit must be at least 1");
            var out = spec.commandLine().getOut();
            var generations = parent.withLog(log -> log.recentGenerations(limit));
            if (json) {
                json(out, generations.stream().map(LogCommand::summary).toList());
                return 0;
            }
            if (generations.isEmpty()) {
                out.println("No generations logged yet.");
                return 0;
            }
            out.printf("%-6s %-20s %-24s %-11s %7s %7s  %s%n", "ID", "STARTED", "MODEL", "STATUS", "TOKENS", "TOK/S", "PROMPT");
            for (var g : generations) {
                out.printf("%-6d %-20s %-24s %-11s %7d %7s  %s%n", g.id(),
                        g.run().startedAt().toString().replace("T", " ").replaceAll("\\.\\d+Z$", "Z"),
                        oneLine(g.run().modelName(), 24), g.status().code(), g.tokenCount(),
                        g.stats() == null ? "-" : figure(g.stats().tokensPerSecond()), oneLine(g.run().prompt(), 50));
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show one generation: its run record, stats, prompt and output.")
    static final class ShowCommand implements Callable<Integer> {
        @ParentCommand LogCommand parent;
        @Spec CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The generation's id (from 'hearth log list').")
        long id;

        @Option(names = "--tokens", description = "Also show every token: id, piece, log-probability, rank, entropy, time and the top alternatives.")
        boolean tokens;

        @Option(names = "--json", description = "Print the generation as one JSON object (the export format).")
        boolean json;

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            parent.withLog(log -> {
                var g = log.generation(id).orElseThrow(() -> new CliFailure("no generation " + id + " in the log"));
                var session = g.sessionId() == null ? null : log.session(g.sessionId()).orElse(null);
                List<Token> list = tokens ? log.tokens(id) : List.of();
                if (json) {
                    out.println(SessionExport.jsonLine(g, session, list));
                    return null;
                }
                var md = new java.io.StringWriter();
                try {
                    SessionExport.writeMarkdown(session == null ? "Generation " + id : session.title(), List.of(g), md);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                out.print(md);
                if (tokens) printTokens(out, list);
                return null;
            });
            return 0;
        }

        private static void printTokens(PrintWriter out, List<Token> tokens) {
            out.println();
            out.printf("%6s %7s  %-16s %9s %5s %8s %9s  %s%n", "INDEX", "ID", "PIECE", "LOGPROB", "RANK", "ENTROPY", "MS", "TOP");
            for (var t : tokens) {
                var top = new StringBuilder();
                for (var alt : t.top().subList(0, Math.min(3, t.top().size()))) {
                    if (!top.isEmpty()) top.append("  ");
                    top.append('"').append(oneLine(alt.text(), 12)).append("\" ").append(figure(alt.logprob()));
                }
                if (t.top().size() > 3) top.append("  …");
                out.printf("%6d %7d  %-16s %9s %5s %8s %9s  %s%n", t.index(), t.id(), '"' + oneLine(t.piece(), 14) + '"',
                        Float.isNaN(t.logprob()) ? "-" : String.format(Locale.ROOT, "%.3f", t.logprob()),
                        t.rank() < 0 ? "-" : String.valueOf(t.rank()),
                        Float.isNaN(t.entropy()) ? "-" : String.format(Locale.ROOT, "%.3f", t.entropy()),
                        figure(t.ms()), top);
            }
        }
    }

    @Command(name = "search", mixinStandardHelpOptions = true,
            description = "Search prompts and outputs (all words must match; word* matches a prefix), best first.")
    static final class SearchCommand implements Callable<Integer> {
        @ParentCommand LogCommand parent;
        @Spec CommandSpec spec;

        @Parameters(paramLabel = "QUERY", arity = "1..*", description = "Words to find.")
        List<String> words;

        @Option(names = "--model", paramLabel = "NAME", description = "Only this model (name or path).")
        @Nullable String model;

        @Option(names = "--status", paramLabel = "STATUS", description = "Only this status: ${COMPLETION-CANDIDATES}.")
        @Nullable GenerationStatus status;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "How many (default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--json", description = "Print JSON instead of lines.")
        boolean json;

        @Override
        public Integer call() {
            if (limit < 1) throw new CliFailure("--limit must be at least 1");
            var out = spec.commandLine().getOut();
            var query = SearchQuery.of(String.join(" ", words)).withModel(model).withStatus(status).withLimit(limit);
            var hits = parent.withLog(log -> log.search(query));
            if (json) {
                var rows = new ArrayList<Map<String, @Nullable Object>>();
                for (var h : hits) {
                    var m = new LinkedHashMap<String, @Nullable Object>();
                    m.put("id", h.generationId());
                    m.put("sessionId", h.sessionId());
                    m.put("model", h.modelName());
                    m.put("status", h.status().code());
                    m.put("startedAt", h.startedAt().toString());
                    m.put("score", h.score());
                    m.put("snippet", h.snippet("**", "**"));
                    rows.add(m);
                }
                json(out, rows);
                return 0;
            }
            if (hits.isEmpty()) {
                out.println("No generation matches.");
                return 0;
            }
            for (SearchHit h : hits) {
                out.printf("%-6d %-24s %-11s %s%n", h.generationId(), oneLine(h.modelName(), 24), h.status().code(),
                        oneLine(h.snippet("[", "]"), 100));
            }
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Export a session or a search result as a Markdown transcript or as JSON Lines (one generation a line, with tokens).")
    static final class ExportCommand implements Callable<Integer> {
        @ParentCommand LogCommand parent;
        @Spec CommandSpec spec;

        static final class Source {
            @Option(names = "--session", paramLabel = "ID", required = true, description = "Every generation of this session.")
            @Nullable Long session;

            @Option(names = "--query", paramLabel = "Q", required = true, description = "Every generation a search finds, best match first.")
            @Nullable String query;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Source source;

        enum Format { md, jsonl }

        @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "md or jsonl.")
        Format format;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of to standard output.")
        @Nullable Path output;

        @Override
        public Integer call() throws IOException {
            var text = parent.withLog(log -> {
                List<Generation> generations;
                String title;
                if (source.session != null) {
                    var session = log.session(source.session)
                            .orElseThrow(() -> new CliFailure("no session " + source.session + " in the log"));
                    generations = log.generations(session.id());
                    title = session.title();
                } else {
                    var hits = log.search(SearchQuery.of(source.query).withLimit(Integer.MAX_VALUE));
                    generations = log.generations(hits.stream().map(SearchHit::generationId).toList());
                    title = "Search: " + source.query;
                }
                var sw = new java.io.StringWriter();
                try {
                    if (format == Format.md) SessionExport.writeMarkdown(title, generations, sw);
                    else SessionExport.writeJsonl(log, generations, sw);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return sw.toString();
            });
            if (output == null) {
                spec.commandLine().getOut().print(text);
                spec.commandLine().getOut().flush();
            } else {
                try (Writer w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
                    w.write(text);
                } catch (IOException e) {
                    throw new CliFailure("cannot write " + output + ": " + e.getMessage());
                }
            }
            return 0;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Import generations from a JSON Lines file written by 'hearth log export --format jsonl'. Generations already in the log are skipped.")
    static final class ImportCommand implements Callable<Integer> {
        @ParentCommand LogCommand parent;
        @Spec CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The .jsonl file.")
        Path file;

        @Override
        public Integer call() {
            if (!Files.isRegularFile(file)) throw new CliFailure("no such file: " + file);
            var result = parent.withLog(log -> {
                try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    return SessionExport.importJsonl(log, in);
                } catch (NoSuchFileException e) {
                    throw new CliFailure("no such file: " + file);
                } catch (IOException e) {
                    throw new CliFailure("cannot read " + file + ": " + e.getMessage());
                }
            });
            spec.commandLine().getOut().printf("Imported %d generation%s (%d already in the log).%n",
                    result.imported(), result.imported() == 1 ? "" : "s", result.skipped());
            return 0;
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "Throughput per model: generation and prompt tokens/s and time to first token (median and p90).")
    static final class StatsCommand implements Callable<Integer> {
        @ParentCommand LogCommand parent;
        @Spec CommandSpec spec;

        @Option(names = "--model", paramLabel = "NAME", description = "Only this model (name or path).")
        @Nullable String model;

        @Option(names = "--by-sampling", description = "One row per parameter set.")
        boolean bySampling;

        @Option(names = "--bucket", paramLabel = "WIDTH", defaultValue = "ALL",
                description = "Time buckets: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
        ThroughputQuery.Bucket bucket;

        @Option(names = "--json", description = "Print JSON instead of a table.")
        boolean json;

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            var rows = parent.withLog(log -> log.throughput(new ThroughputQuery(model, null, null, bucket, bySampling)));
            if (json) {
                json(out, rows.stream().map(r -> {
                    var m = new LinkedHashMap<String, @Nullable Object>();
                    m.put("model", r.modelName());
                    m.put("sampling", r.sampling());
                    m.put("bucketStart", r.bucketStart().toString());
                    m.put("generations", r.generations());
                    m.put("tokensPerSecond", Map.of("median", r.tokensPerSecondMedian(), "p90", r.tokensPerSecondP90()));
                    m.put("promptTokensPerSecond", Map.of("median", r.promptTokensPerSecondMedian(), "p90", r.promptTokensPerSecondP90()));
                    m.put("ttftMs", Map.of("median", r.ttftMsMedian(), "p90", r.ttftMsP90()));
                    return m;
                }).toList());
                return 0;
            }
            if (rows.isEmpty()) {
                out.println(model == null ? "No finished generations logged yet." : "No finished generations of " + model + ".");
                return 0;
            }
            out.printf("%-24s %-12s %5s %9s %9s %11s %11s %9s %9s%s%n", "MODEL", "FROM", "RUNS", "TOK/S p50", "TOK/S p90",
                    "PROMPT p50", "PROMPT p90", "TTFT p50", "TTFT p90", bySampling ? "  SAMPLING" : "");
            for (var r : rows) {
                out.printf("%-24s %-12s %5d %9s %9s %11s %11s %9s %9s%s%n", oneLine(r.modelName(), 24),
                        bucket == ThroughputQuery.Bucket.ALL ? "all" : r.bucketStart().toString().substring(0, 10),
                        r.generations(), figure(r.tokensPerSecondMedian()), figure(r.tokensPerSecondP90()),
                        figure(r.promptTokensPerSecondMedian()), figure(r.promptTokensPerSecondP90()),
                        figure(r.ttftMsMedian()), figure(r.ttftMsP90()), bySampling ? "  " + r.sampling() : "");
            }
            out.println("(tokens/s; time to first token in ms; percentiles are nearest-rank)");
            return 0;
        }
    }
}
