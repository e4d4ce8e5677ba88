package dev.hearth.ui.inspector;

import java.util.Objects;

/// The inspector's stylesheet, added by each of its views to itself so they look right wherever they are placed.
final class Stylesheets {
    static final String INSPECTOR =
            Objects.requireNonNull(Stylesheets.class.getResource("inspector.css"), "inspector.css").toExternalForm();

    private Stylesheets() {}
}
