package dev.hearth.inference.project;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/// A map of the project for the model: the file tree plus each source file's top-level declarations
/// ([Declarations]), trimmed to a token budget. Files in the context come first, then files declaring a symbol
/// mentioned recently in the conversation, then other source files, then the remaining paths; what fits is
/// shown in path order.
///
/// @param text the map as it goes into the prompt ("" when nothing fits)
/// @param tokens its token count
/// @param budget the budget it was trimmed to
/// @param filesShown how many files it names
/// @param filesTotal how many includable files the project has
public record RepoMap(String text, int tokens, int budget, int filesShown, int filesTotal) {
    static final String HEADER = "Repository map (files and their top-level declarations):\n";
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{2,}");
    /// Files larger than this are named but not parsed.
    static final long PARSE_LIMIT = 256 * 1024;

    /// The identifiers (three characters or more) in `text`: the symbols a conversation mentions.
    public static Set<String> symbolsIn(String text) {
        var out = new HashSet<String>();
        var m = IDENTIFIER.matcher(text);
        while (m.find()) out.add(m.group());
        return out;
    }

    private record Section(ProjectFile file, String text, int rank) {}

    /// Builds the map of `listing`'s includable files within `budget` tokens counted with `count`.
    public static RepoMap build(ProjectFiles.Listing listing, Set<String> inContext, Set<String> mentioned, int budget,
            TokenCount count) {
        if (budget < 0) throw new IllegalArgumentException("budget < 0: " + budget);
        var files = listing.includable();
        var sections = new ArrayList<Section>();
        for (var f : files) {
            var declarations = Declarations.Language.of(f.name()).isPresent() && f.size() <= PARSE_LIMIT
                    ? Declarations.of(f.name(), read(f)) : List.<Declarations.Declaration>of();
            var sb = new StringBuilder(f.path()).append('\n');
            boolean mentions = false;
            for (var d : declarations) {
                sb.append("  ".repeat(d.depth() + 1)).append(d.signature()).append('\n');
                if (mentioned.contains(d.name())) mentions = true;
            }
            int rank = inContext.contains(f.path()) ? 0 : mentions ? 1 : declarations.isEmpty() ? 3 : 2;
            sections.add(new Section(f, sb.toString(), rank));
        }
        sections.sort(Comparator.comparingInt(Section::rank).thenComparing(s -> s.file().path()));
        int headerTokens = count.count(HEADER);
        if (budget <= headerTokens || sections.isEmpty()) return new RepoMap("", 0, budget, 0, files.size());
        var chosen = new ArrayList<Section>();
        int used = headerTokens;
        int misses = 0;
        for (var s : sections) {
            int t = count.count(s.text());
            if (used + t <= budget) {
                chosen.add(s);
                used += t;
                misses = 0;
                continue;
            }
            // no room for its declarations: perhaps for its path alone
            var pathOnly = new Section(s.file(), s.file().path() + '\n', s.rank());
            int p = count.count(pathOnly.text());
            if (used + p <= budget) {
                chosen.add(pathOnly);
                used += p;
            } else if (++misses >= 32) {
                break;
            }
        }
        chosen.sort(Comparator.comparing(s -> s.file().path()));
        while (true) {
            var sb = new StringBuilder(HEADER);
            for (var s : chosen) sb.append(s.text());
            var text = sb.toString();
            int tokens = count.count(text);
            if (tokens <= budget || chosen.isEmpty()) {
                return chosen.isEmpty() ? new RepoMap("", 0, budget, 0, files.size())
                        : new RepoMap(text, tokens, budget, chosen.size(), files.size());
            }
            // pieces counted apart can add up to fewer tokens than the whole: drop the lowest ranked
            var worst = chosen.stream().max(Comparator.comparingInt(Section::rank).thenComparing(s -> s.file().path())).orElseThrow();
            chosen.remove(worst);
        }
    }

    private static String read(ProjectFile f) {
        try {
            return ProjectContext.decode(Files.readAllBytes(f.file()));
        } catch (IOException e) {
            return "";
        }
    }
}
