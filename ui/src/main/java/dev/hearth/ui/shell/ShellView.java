package dev.hearth.ui.shell;

import atlantafx.base.theme.Styles;
import dev.hearth.ui.settings.Theme;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.controlsfx.control.StatusBar;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/// The main window's content: navigation on the left, the open section in the middle, a status bar below.
public final class ShellView extends BorderPane {
    private final Map<Section, Node> pages = new EnumMap<>(Section.class);
    private final StatusBar status = new StatusBar();

    /// @param pageFor builds the page of a section the first time it is opened
    public ShellView(ShellViewModel vm, Function<Section, Node> pageFor) {
        getStyleClass().add("shell");

        var group = new ToggleGroup();
        var nav = new VBox(4);
        nav.getStyleClass().add("shell-nav");
        nav.setPadding(new Insets(12, 8, 12, 8));
        var brand = new Label("Hearth");
        brand.getStyleClass().addAll(Styles.TITLE_3, "shell-brand");
        brand.setPadding(new Insets(0, 8, 12, 8));
        nav.getChildren().add(brand);
        for (var section : Section.values()) {
            var button = new ToggleButton(section.title(), new FontIcon(icon(section)));
            button.setId("nav-" + section.name().toLowerCase(java.util.Locale.ROOT));
            button.setToggleGroup(group);
            button.setUserData(section);
            button.setMaxWidth(Double.MAX_VALUE);
            button.setAlignment(Pos.CENTER_LEFT);
            button.getStyleClass().addAll(Styles.FLAT, "shell-nav-button");
            button.setAccessibleText(section.title() + ": " + section.purpose());
            button.setSelected(section == vm.sectionProperty().get());
            nav.getChildren().add(button);
        }
        var spacer = new Region();
        VBox.setVgrow(spacer, Priority.ALWAYS);
        nav.getChildren().addAll(spacer, themeMenu(vm));
        nav.setPrefWidth(180);

        group.selectedToggleProperty().addListener((_, old, now) -> {
            if (now == null) {
                group.selectToggle(old); // one section is always open
            } else {
                vm.sectionProperty().set((Section) now.getUserData());
            }
        });
        vm.sectionProperty().addListener((_, _, now) -> {
            group.getToggles().stream().filter(t -> t.getUserData() == now).findFirst().ifPresent(group::selectToggle);
            setCenter(pages.computeIfAbsent(now, pageFor));
        });
        setCenter(pages.computeIfAbsent(vm.sectionProperty().get(), pageFor));
        setLeft(nav);

        status.setId("status-bar");
        status.textProperty().bind(vm.statusProperty());
        setBottom(status);
    }

    /// The status bar, for parts that add their own items (the loaded models).
    public StatusBar statusBar() {
        return status;
    }

    private static MenuButton themeMenu(ShellViewModel vm) {
        var menu = new MenuButton("Theme", new FontIcon(Feather.SUN));
        menu.setId("theme-menu");
        menu.getStyleClass().add(Styles.FLAT);
        menu.setAccessibleText("Choose light, dark or system theme");
        var group = new ToggleGroup();
        for (var theme : Theme.values()) {
            var label = switch (theme) {
                case LIGHT -> "Light";
                case DARK -> "Dark";
                case SYSTEM -> "Follow system";
            };
            var item = new RadioMenuItem(label);
            item.setToggleGroup(group);
            item.setSelected(theme == vm.themeProperty().get());
            item.setOnAction(_ -> vm.useTheme(theme));
            vm.themeProperty().addListener((_, _, now) -> item.setSelected(now == theme)); // chosen in Settings
            menu.getItems().add(item);
        }
        return menu;
    }

    private static Feather icon(Section section) {
        return switch (section) {
            case MODELS -> Feather.PACKAGE;
            case CHAT -> Feather.MESSAGE_SQUARE;
            case COMPARE -> Feather.COLUMNS;
            case HISTORY -> Feather.CLOCK;
            case METRICS -> Feather.ACTIVITY;
            case PROJECT -> Feather.FOLDER;
            case SETTINGS -> Feather.SETTINGS;
        };
    }
}
