package dev.hearth.inference.library;

/// Where a model in the library lives. Only Hearth's own models folder and user-added folders can be changed;
/// other tools' caches are listed read-only (Hearth never deletes what another tool manages).
public enum ModelSource {
    MODELS_FOLDER("Hearth", false),
    USER_FOLDER("Folder", false),
    LM_STUDIO("LM Studio", true),
    HUGGING_FACE("Hugging Face cache", true),
    LLAMA_CPP("llama.cpp cache", true),
    OLLAMA("Ollama", true);

    private final String displayName;
    private final boolean readOnly;

    ModelSource(String displayName, boolean readOnly) {
        this.displayName = displayName;
        this.readOnly = readOnly;
    }

    public String displayName() {
        return displayName;
    }

    public boolean readOnly() {
        return readOnly;
    }
}
