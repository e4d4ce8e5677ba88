package dev.hearth.inference.llama;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.kherud.llama.LlamaModel;
import dev.hearth.inference.EngineException;
import dev.hearth.inference.Failure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/// Converts a JSON schema into a GBNF grammar with java-llama.cpp's converter (llama.cpp's
/// `json_schema_to_grammar`).
///
/// The converter throws a C++ exception on a schema it does not understand, which java-llama.cpp 4.2.0 does not
/// catch: the process aborts (`terminate called after throwing an instance of 'std::runtime_error'`). So the
/// conversion runs in a short-lived child JVM ([#main]) and a bad schema ends that process, not this one.
public final class JsonSchemaGrammar {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonSchemaGrammar() {}

    static String convert(String schema, Path library) {
        try {
            var node = JSON.readTree(schema);
            if (node == null || !node.isObject())
                throw new EngineException(Failure.Kind.INVALID_REQUEST, "the JSON schema must be a JSON object");
        } catch (JsonProcessingException e) {
            throw new EngineException(Failure.Kind.INVALID_REQUEST,
                    "the JSON schema is not valid JSON: " + e.getOriginalMessage());
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", isWindows() ? "java.exe" : "java");
        if (!Files.isExecutable(java))
            throw new EngineException(Failure.Kind.INVALID_REQUEST,
                    "JSON schemas need a java launcher to convert them safely; none at " + java);
        try {
            var command = List.of(java.toString(), "--enable-native-access=ALL-UNNAMED", "-Xshare:auto",
                    "-cp", System.getProperty("java.class.path"), JsonSchemaGrammar.class.getName(), library.toString());
            var process = new ProcessBuilder(command).start();
            try (var in = process.getOutputStream()) {
                in.write(schema.getBytes(StandardCharsets.UTF_8));
            }
            var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            var err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new EngineException(Failure.Kind.INVALID_REQUEST, "converting the JSON schema took too long");
            }
            if (process.exitValue() != 0 || out.isBlank())
                throw new EngineException(Failure.Kind.INVALID_REQUEST,
                        "llama.cpp cannot turn this JSON schema into a grammar: " + reason(err));
            return out;
        } catch (IOException e) {
            throw new EngineException(Failure.Kind.INVALID_REQUEST, "cannot convert the JSON schema: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(Failure.Kind.CANCELLED, "interrupted while converting the JSON schema");
        }
    }

    private static String reason(String stderr) {
        var lines = stderr.lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("terminate called") && !l.startsWith("WARNING"))
                .map(l -> l.startsWith("what():") ? l.substring(7).strip() : l).toList();
        return lines.isEmpty() ? "the converter failed" : String.join(" ", lines);
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win");
    }

    /// Child-process entry: reads the schema from stdin, writes the grammar to stdout.
    /// `args[0]` is the library file Hearth already extracted (java-llama.cpp then loads it instead of a temp copy).
    public static void main(String[] args) throws IOException {
        if (args.length > 0) {
            var library = Path.of(args[0]);
            if (library.getParent() != null && library.getFileName().toString().equals(System.mapLibraryName("jllama")))
                System.setProperty("de.kherud.llama.lib.path", library.getParent().toString());
        }
        String schema = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        // java-llama.cpp says on stdout where it extracted its library (when it is not given one, as with an engine
        // pack): only the grammar may go there
        var stdout = System.out;
        System.setOut(System.err);
        var grammar = LlamaModel.jsonSchemaToGrammar(schema);
        stdout.print(grammar);
        stdout.flush();
    }
}
