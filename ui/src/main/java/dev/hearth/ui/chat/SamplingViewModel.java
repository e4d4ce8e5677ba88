package dev.hearth.ui.chat;

import dev.hearth.inference.Sampling;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/// The sampling panel: temperature, top-k, top-p, min-p, repeat penalty, seed, max tokens and stop strings, with
/// "Reset to defaults". Every answer asks the engine for its top 10 alternatives per token (the inspector shows them).
public final class SamplingViewModel {
    /// Alternatives recorded per token.
    public static final int TOP_ALTERNATIVES = 10;
    /// The chat's defaults: llama.cpp's sampler defaults with room for a longer answer.
    public static final Sampling DEFAULTS = Sampling.DEFAULT.withMaxTokens(512).withTopLogprobs(TOP_ALTERNATIVES);

    private final DoubleProperty temperature = new SimpleDoubleProperty();
    private final IntegerProperty topK = new SimpleIntegerProperty();
    private final DoubleProperty topP = new SimpleDoubleProperty();
    private final DoubleProperty minP = new SimpleDoubleProperty();
    private final DoubleProperty repeatPenalty = new SimpleDoubleProperty();
    private final BooleanProperty randomSeed = new SimpleBooleanProperty();
    private final LongProperty seed = new SimpleLongProperty();
    private final IntegerProperty maxTokens = new SimpleIntegerProperty();
    private final StringProperty stopStrings = new SimpleStringProperty("");

    private final Supplier<Sampling> defaults;

    public SamplingViewModel() {
        this(() -> DEFAULTS);
    }

    /// @param defaults what "Reset to defaults" (and a new panel) shows: the defaults saved in Settings
    public SamplingViewModel(Supplier<Sampling> defaults) {
        this.defaults = defaults;
        reset();
    }

    /// The chat's defaults given the ones saved in Settings: llama.cpp's untouched defaults get the chat's longer
    /// answers; either way every answer records [#TOP_ALTERNATIVES] alternatives per token.
    public static Sampling chatDefaults(Sampling saved) {
        return saved.equals(Sampling.DEFAULT) ? DEFAULTS : saved.withTopLogprobs(TOP_ALTERNATIVES);
    }

    public DoubleProperty temperatureProperty() { return temperature; }
    public IntegerProperty topKProperty() { return topK; }
    public DoubleProperty topPProperty() { return topP; }
    public DoubleProperty minPProperty() { return minP; }
    public DoubleProperty repeatPenaltyProperty() { return repeatPenalty; }
    /// When on, every answer draws a new random seed and [#seedProperty()] is ignored.
    public BooleanProperty randomSeedProperty() { return randomSeed; }
    public LongProperty seedProperty() { return seed; }
    public IntegerProperty maxTokensProperty() { return maxTokens; }
    /// Stop strings, one per line.
    public StringProperty stopStringsProperty() { return stopStrings; }

    /// Puts every field back to the defaults (those saved in Settings, else [#DEFAULTS]).
    public void reset() {
        set(defaults.get());
    }

    /// Shows `s` in the panel.
    public void set(Sampling s) {
        temperature.set(s.temperature());
        topK.set(s.topK());
        topP.set(s.topP());
        minP.set(s.minP());
        repeatPenalty.set(s.repeatPenalty());
        randomSeed.set(s.seed() == Sampling.RANDOM_SEED);
        seed.set(s.seed() == Sampling.RANDOM_SEED ? 42 : s.seed());
        maxTokens.set(s.maxTokens());
        stopStrings.set(String.join("\n", s.stop()));
    }

    /// The panel's values as the engine takes them; values out of range are clamped to the nearest valid one.
    public Sampling sampling() {
        List<String> stops = Arrays.stream(stopStrings.get().split("\n")).filter(s -> !s.isEmpty()).toList();
        return DEFAULTS
                .withTemperature(clamp(temperature.get(), 0, 100))
                .withTopK(Math.max(0, topK.get()))
                .withTopP(clamp(topP.get(), 0.001, 1))
                .withMinP(clamp(minP.get(), 0, 1))
                .withPenalties(Math.max(0.01, repeatPenalty.get()), DEFAULTS.frequencyPenalty(),
                        DEFAULTS.presencePenalty(), DEFAULTS.repeatLastN())
                .withSeed(randomSeed.get() ? Sampling.RANDOM_SEED : Math.clamp(seed.get(), 0, Sampling.RANDOM_SEED - 1))
                .withMaxTokens(Math.max(1, maxTokens.get()))
                .withStop(stops);
    }

    private static double clamp(double v, double lo, double hi) {
        return Double.isFinite(v) ? Math.clamp(v, lo, hi) : lo;
    }
}
