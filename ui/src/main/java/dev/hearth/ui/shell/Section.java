package dev.hearth.ui.shell;

/// The main navigation of the window, in order. Each section says in one sentence what it holds, so a section
/// that a later release fills can say so honestly instead of showing invented data.
public enum Section {
    MODELS("Models", "GGUF models on this machine: their architecture, size, quantisation and memory needs."),
    CHAT("Chat", "Chat with a loaded model, with every token's probability and alternatives one click away."),
    COMPARE("Compare", "The same prompt run side by side on several models, quantisations or settings."),
    HISTORY("History", "Every generation Hearth has run, searchable, with its full run record and replay."),
    METRICS("Metrics", "Prompt and generation speed and time to first token over time, per model and setting."),
    PROJECT("Project", "Chat and generate code against an opened project folder, reviewing every edit before it lands."),
    SETTINGS("Settings", "Hub token and endpoint, theme, GPU library, defaults for new loads and chats, and the session log.");

    private final String title;
    private final String purpose;

    Section(String title, String purpose) {
        this.title = title;
        this.purpose = purpose;
    }

    public String title() {
        return title;
    }

    /// One sentence on what the section is for.
    public String purpose() {
        return purpose;
    }
}
