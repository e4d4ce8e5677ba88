package dev.hearth.app;

import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;

/// The JavaFX application: wires services, view models and views, and shows the main window.
public final class HearthApplication extends Application {

    static void launchWindow() {
        Application.launch(HearthApplication.class);
    }

    @Override
    public void start(Stage stage) {
        stage.setTitle("Hearth");
        stage.setScene(new Scene(new BorderPane(), 1200, 800));
        stage.show();
    }
}
