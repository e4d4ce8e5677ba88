package dev.hearth.ui.inspector;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.ObjectProperty;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;

/// The heatmap's legend and mode switch: "Probability | Entropy" toggles, then one colour swatch per bucket with
/// its range, and "unknown"; it wraps when narrow. Bound both ways to a mode property (one [TokenHeatmapView]'s, or the chat's).
public final class HeatmapLegend extends FlowPane {
    private final List<Label> swatches = new ArrayList<>();

    public HeatmapLegend(ObjectProperty<HeatmapMode> mode) {
        super(6, 4);
        getStyleClass().add("heatmap-legend");
        getStylesheets().add(Stylesheets.INSPECTOR);
        setAlignment(Pos.CENTER_LEFT);
        var group = new ToggleGroup();
        var buttons = new HBox();
        for (var m : HeatmapMode.values()) {
            var button = new ToggleButton(m.label());
            button.setUserData(m);
            button.setToggleGroup(group);
            button.getStyleClass().add("small");
            button.getStyleClass().add(m.ordinal() == 0 ? "left-pill" : "right-pill");
            button.setId("heatmap-mode-" + m.name().toLowerCase(java.util.Locale.ROOT));
            button.setAccessibleText("Colour tokens by " + m.label().toLowerCase(java.util.Locale.ROOT));
            buttons.getChildren().add(button);
        }
        getChildren().add(buttons);
        var caption = new Label("sure");
        caption.getStyleClass().add("heat-legend-caption");
        getChildren().add(caption);
        for (int b = 0; b < HeatmapMode.BUCKETS; b++) {
            var swatch = new Label();
            swatch.getStyleClass().addAll("heat-swatch", HeatmapMode.styleClass(b));
            swatches.add(swatch);
            getChildren().add(swatch);
        }
        var unsure = new Label("unsure");
        unsure.getStyleClass().add("heat-legend-caption");
        var unknown = new Label("unknown");
        unknown.getStyleClass().addAll("heat-swatch", HeatmapMode.styleClass(HeatmapMode.UNKNOWN));
        getChildren().addAll(unsure, unknown);

        Runnable sync = () -> {
            var m = mode.get();
            for (var t : group.getToggles()) t.setSelected(t.getUserData() == m);
            for (int b = 0; b < swatches.size(); b++) {
                swatches.get(b).setText(m.bucketLabels().get(b));
                swatches.get(b).setAccessibleText(m.label() + " " + m.bucketLabels().get(b));
            }
        };
        mode.addListener((_, _, _) -> sync.run());
        group.selectedToggleProperty().addListener((_, old, now) -> {
            if (now == null) {
                old.setSelected(true); // one mode is always on
            } else if (now.getUserData() instanceof HeatmapMode m && mode.get() != m) {
                mode.set(m);
            }
        });
        for (var child : getChildren()) {
            if (child instanceof Region r) r.setMinWidth(Region.USE_PREF_SIZE);
        }
        for (var button : buttons.getChildren()) ((Region) button).setMinWidth(Region.USE_PREF_SIZE);
        sync.run();
    }
}
