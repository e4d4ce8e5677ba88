package dev.hearth.ui.metrics;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import org.jspecify.annotations.Nullable;

/// A model (and parameter set) the user can show in the chart or leave out.
public final class SeriesChoice {
    private final String model;
    private final @Nullable String params;
    private final BooleanProperty shown;

    SeriesChoice(String model, @Nullable String params, boolean shown) {
        this.model = model;
        this.params = params;
        this.shown = new SimpleBooleanProperty(shown);
    }

    public String model() {
        return model;
    }

    public @Nullable String params() {
        return params;
    }

    /// The legend and list text: the model, then its parameters when grouped by them.
    public String label() {
        return params == null ? model : model + " · " + params;
    }

    String key() {
        return key(model, params);
    }

    static String key(String model, @Nullable String params) {
        return model + '\u0000' + (params == null ? "" : params);
    }

    public BooleanProperty shownProperty() {
        return shown;
    }

    @Override
    public String toString() {
        return label();
    }
}
