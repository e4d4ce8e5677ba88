package dev.hearth.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/// Writes generations as a Markdown transcript or as JSON Lines, and reads JSON Lines back.
///
/// **JSON Lines** (`hearth-generation`, version 1): one generation a line, an object with `format`, `version`,
/// `uuid`, `session` (`uuid`, `title`, `createdAt`, or null), `run` (the [RunRecord]; times as ISO-8601), `status`,
/// `stopReason`, `failureReason`, `output`, `endedAt`, `stats` (or null) and `tokens`: an array of
/// `{"i", "id", "piece", "logprob", "rank", "entropy", "ms", "top": [[id, text, logprob], …]}`; unknown
/// numbers are `null`. Importing a file written here reproduces the same generations; a uuid already in the log
/// is skipped, so importing twice adds nothing.
public final class SessionExport {
    public static final String FORMAT = "hearth-generation";
    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, false);

    private SessionExport() {}

    /// What an import did.
    public record ImportResult(int imported, int skipped) {}

    // ---- JSON Lines ----

    public static void writeJsonl(SessionLog log, List<Generation> generations, Writer out) throws IOException {
        var sessions = new HashMap<Long, @Nullable Session>();
        for (var g : generations) {
            var session = g.sessionId() == null ? null
                    : sessions.computeIfAbsent(g.sessionId(), id -> log.session(id).orElse(null));
            out.write(jsonLine(g, session, log.tokens(g.id())));
            out.write('\n');
        }
        out.flush();
    }

    /// One generation as a JSON Lines line (without the newline).
    public static String jsonLine(Generation g, @Nullable Session session, List<Token> tokens) {
        var line = new LinkedHashMap<String, @Nullable Object>();
        line.put("format", FORMAT);
        line.put("version", VERSION);
        line.put("uuid", g.uuid());
        if (session == null) {
            line.put("session", null);
        } else {
            var s = new LinkedHashMap<String, Object>();
            s.put("uuid", session.uuid());
            s.put("title", session.title());
            s.put("createdAt", session.createdAt().toString());
            line.put("session", s);
        }
        var run = g.run();
        var r = new LinkedHashMap<String, @Nullable Object>();
        r.put("modelPath", run.modelPath());
        r.put("modelName", run.modelName());
        r.put("modelSha256", run.modelSha256());
        r.put("nativeBuild", run.nativeBuild());
        r.put("engine", run.engine());
        r.put("loadOptions", run.loadOptions());
        r.put("sampling", run.sampling());
        r.put("seed", run.seed());
        r.put("prompt", run.prompt());
        r.put("promptTokens", run.promptTokens());
        r.put("startedAt", run.startedAt().toString());
        line.put("run", r);
        line.put("status", g.status().code());
        line.put("stopReason", g.stopReason());
        line.put("failureReason", g.failureReason());
        line.put("output", g.output());
        line.put("endedAt", g.endedAt() == null ? null : g.endedAt().toString());
        var stats = g.stats();
        if (stats == null) {
            line.put("stats", null);
        } else {
            var s = new LinkedHashMap<String, @Nullable Object>();
            s.put("promptTokens", stats.promptTokens());
            s.put("promptMs", num(stats.promptMs()));
            s.put("generatedTokens", stats.generatedTokens());
            s.put("generatedMs", num(stats.generatedMs()));
            s.put("tokensPerSecond", num(stats.tokensPerSecond()));
            s.put("promptTokensPerSecond", num(stats.promptTokensPerSecond()));
            s.put("ttftMs", num(stats.ttftMs()));
            line.put("stats", s);
        }
        var ts = new ArrayList<Map<String, @Nullable Object>>(tokens.size());
        for (var t : tokens) {
            var m = new LinkedHashMap<String, @Nullable Object>();
            m.put("i", t.index());
            m.put("id", t.id());
            m.put("piece", t.piece());
            m.put("logprob", num(t.logprob()));
            m.put("rank", t.rank());
            m.put("entropy", num(t.entropy()));
            m.put("ms", num(t.ms()));
            var top = new ArrayList<List<@Nullable Object>>(t.top().size());
            for (var alt : t.top()) top.add(java.util.Arrays.asList(alt.id(), alt.text(), num(alt.logprob())));
            m.put("top", top);
            ts.add(m);
        }
        line.put("tokens", ts);
        try {
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static @Nullable Object num(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private static @Nullable Object num(float v) {
        return Float.isNaN(v) ? null : v;
    }

    /// Imports every line; stops at the first line that cannot be read (lines before it stay imported).
    public static ImportResult importJsonl(SessionLog log, BufferedReader in) throws IOException {
        int imported = 0;
        int skipped = 0;
        int number = 0;
        for (String text; (text = in.readLine()) != null; ) {
            number++;
            if (text.isBlank()) continue;
            Parsed parsed;
            try {
                parsed = parse(text);
            } catch (JsonProcessingException | RuntimeException e) {
                if (e instanceof StorageException se) throw se;
                throw new StorageException(StorageException.Kind.BAD_INPUT,
                        "Line " + number + " is not a Hearth generation: " + oneLine(e), e);
            }
            if (log.importGeneration(parsed.session(), parsed.generation(), parsed.tokens())) imported++;
            else skipped++;
        }
        return new ImportResult(imported, skipped);
    }

    private static String oneLine(Exception e) {
        var m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return (m == null ? e.getClass().getSimpleName() : m).replace('\n', ' ');
    }

    record Parsed(SessionLog.@Nullable SessionRef session, Generation generation, List<Token> tokens) {}

    static Parsed parse(String text) throws JsonProcessingException {
        var n = JSON.readTree(text);
        if (!FORMAT.equals(n.path("format").asText())) throw new IllegalArgumentException("format is not " + FORMAT);
        if (n.path("version").asInt() != VERSION) {
            throw new IllegalArgumentException("version " + n.path("version").asText() + " (this Hearth reads " + VERSION + ")");
        }
        var s = n.path("session");
        var session = s.isObject()
                ? new SessionLog.SessionRef(req(s, "uuid"), req(s, "title"), instant(req(s, "createdAt")))
                : null;
        var r = n.path("run");
        if (!r.isObject()) throw new IllegalArgumentException("no run record");
        var run = new RunRecord(req(r, "modelPath"), req(r, "modelName"), opt(r, "modelSha256"), req(r, "nativeBuild"),
                req(r, "engine"), object(r.path("loadOptions")), object(r.path("sampling")), r.path("seed").asLong(),
                req(r, "prompt"), r.path("promptTokens").asInt(), instant(req(r, "startedAt")));
        var st = n.path("stats");
        var stats = st.isObject() ? new GenerationStats(st.path("promptTokens").asInt(), dbl(st, "promptMs"),
                st.path("generatedTokens").asInt(), dbl(st, "generatedMs"), dbl(st, "tokensPerSecond"),
                dbl(st, "promptTokensPerSecond"), dbl(st, "ttftMs")) : null;
        var tokens = new ArrayList<Token>();
        for (var t : n.path("tokens")) {
            var top = new ArrayList<TopToken>();
            for (var alt : t.path("top")) {
                top.add(new TopToken(alt.path(0).asInt(), alt.path(1).asText(), flt(alt.path(2))));
            }
            tokens.add(new Token(t.path("i").asInt(), t.path("id").asInt(), t.path("piece").asText(),
                    flt(t.path("logprob")), t.path("rank").asInt(-1), flt(t.path("entropy")), flt(t.path("ms")), top));
        }
        var ended = opt(n, "endedAt");
        var g = new Generation(0, req(n, "uuid"), null, null, run, GenerationStatus.ofCode(req(n, "status")),
                opt(n, "stopReason"), opt(n, "failureReason"), n.path("output").asText(""), stats,
                ended == null ? null : instant(ended), tokens.size());
        return new Parsed(session, g, tokens);
    }

    private static String req(JsonNode n, String field) {
        var v = n.get(field);
        if (v == null || !v.isTextual()) throw new IllegalArgumentException("missing " + field);
        return v.asText();
    }

    private static @Nullable String opt(JsonNode n, String field) {
        var v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a time: " + text, e);
        }
    }

    private static double dbl(JsonNode n, String field) {
        var v = n.get(field);
        return v == null || v.isNull() ? Double.NaN : v.asDouble();
    }

    private static float flt(JsonNode v) {
        return v.isMissingNode() || v.isNull() ? Float.NaN : (float) v.asDouble();
    }

    private static Map<String, Object> object(JsonNode n) {
        if (!n.isObject()) return Map.of();
        return JSON.convertValue(n, new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() {});
    }

    // ---- Markdown ----

    /// A readable transcript: a heading per generation with its run record and stats, then prompt and output.
    public static void writeMarkdown(String title, List<Generation> generations, Writer out) throws IOException {
        var md = new StringBuilder();
        md.append("# ").append(title.isBlank() ? "Hearth transcript" : title.strip()).append("\n\n");
        md.append("_").append(generations.size()).append(generations.size() == 1 ? " generation" : " generations")
                .append(", exported from Hearth._\n");
        int i = 0;
        for (var g : generations) {
            var run = g.run();
            md.append("\n## ").append(++i).append(". ").append(run.modelName()).append(" · ")
                    .append(run.startedAt()).append(" · ").append(g.status().code()).append("\n\n");
            md.append("- Model: `").append(run.modelPath()).append('`');
            if (run.modelSha256() != null) md.append(" (sha256 `").append(run.modelSha256()).append("`)");
            md.append('\n');
            md.append("- Engine: ").append(run.engine()).append(", ").append(run.nativeBuild()).append('\n');
            md.append("- Load options: `").append(SqliteSessionLog.json(run.loadOptions())).append("`\n");
            md.append("- Sampling: `").append(SqliteSessionLog.json(run.sampling())).append("`, seed ")
                    .append(run.seed()).append('\n');
            if (g.stats() != null) {
                var s = g.stats();
                md.append("- Stats: prompt %d tokens in %.1f ms (%.1f tokens/s); generated %d tokens in %.1f ms (%.1f tokens/s); time to first token %.1f ms\n"
                        .formatted(s.promptTokens(), s.promptMs(), s.promptTokensPerSecond(), s.generatedTokens(),
                                s.generatedMs(), s.tokensPerSecond(), s.ttftMs()));
            }
            if (g.stopReason() != null) md.append("- Stopped: ").append(g.stopReason()).append('\n');
            if (g.failureReason() != null) md.append("- Reason: ").append(g.failureReason()).append('\n');
            md.append("\n### Prompt (").append(run.promptTokens()).append(" tokens)\n\n");
            fenced(md, run.prompt());
            md.append("\n### Output (").append(g.tokenCount()).append(" tokens)\n\n");
            fenced(md, g.output());
        }
        out.write(md.toString());
        out.flush();
    }

    /// A fenced block whose fence is longer than any backtick run inside, so the text cannot close it.
    private static void fenced(StringBuilder md, String text) {
        int longest = 0;
        int run = 0;
        for (int k = 0; k < text.length(); k++) {
            run = text.charAt(k) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        var fence = "`".repeat(Math.max(3, longest + 1));
        md.append(fence).append("text\n").append(text);
        if (!text.endsWith("\n")) md.append('\n');
        md.append(fence).append('\n');
    }
}
