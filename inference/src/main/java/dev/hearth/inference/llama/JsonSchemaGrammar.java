package dev.hearth.inference.llama;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.kherud.llama.LlamaModel;
import dev.hearth.inference.EngineException;
import dev.hearth.inference.Failure;
import java.nio.file.Path;

/// Converts a JSON schema into a GBNF grammar with java-llama.cpp's converter (llama.cpp's
/// `json_schema_to_grammar`), after checking that the schema is JSON, so malformed text never reaches native code.
final class JsonSchemaGrammar {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonSchemaGrammar() {}

    static synchronized String convert(String schema, Path library) {
        try {
            var node = JSON.readTree(schema);
            if (node == null || !node.isObject())
                throw new EngineException(Failure.Kind.INVALID_REQUEST, "the JSON schema must be a JSON object");
        } catch (JsonProcessingException e) {
            throw new EngineException(Failure.Kind.INVALID_REQUEST,
                    "the JSON schema is not valid JSON: " + e.getOriginalMessage());
        }
        // Make java-llama.cpp load the library file Hearth already extracted instead of a new temp copy.
        if (System.getProperty("de.kherud.llama.lib.path") == null && library.getParent() != null
                && library.getFileName().toString().equals(System.mapLibraryName("jllama")))
            System.setProperty("de.kherud.llama.lib.path", library.getParent().toString());
        try {
            return LlamaModel.jsonSchemaToGrammar(schema);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new EngineException(Failure.Kind.INVALID_REQUEST, "the JSON schema cannot be converted to a grammar: "
                    + e.getMessage(), e);
        }
    }
}
