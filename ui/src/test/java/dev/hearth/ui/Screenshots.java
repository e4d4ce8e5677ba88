package dev.hearth.ui;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.IntStream;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.SnapshotParameters;
import javafx.scene.canvas.Canvas;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.paint.Color;
import javax.imageio.ImageIO;

/// Writing screenshots for the README from headless tests (JavaFX's Headless glass platform with software Prism
/// gives real pixels). A popup is a window of its own, so it is snapshotted separately and drawn over the scene
/// where it stands on screen. Call on the FX thread, except [#write].
public final class Screenshots {
    private Screenshots() {}

    /// The scene with a popup's content drawn over it at its screen position.
    public static Image withPopup(Scene scene, Node popupContent) {
        var window = scene.snapshot(null);
        var transparent = new SnapshotParameters();
        transparent.setFill(Color.TRANSPARENT);
        var popupImage = popupContent.snapshot(transparent, null);
        var onScreen = popupContent.localToScreen(popupContent.getBoundsInLocal());
        var sceneOnScreen = scene.getRoot().localToScreen(0, 0);
        double x = onScreen.getMinX() - sceneOnScreen.getX();
        double y = onScreen.getMinY() - sceneOnScreen.getY();
        var canvas = new Canvas(Math.max(window.getWidth(), x + popupImage.getWidth()),
                Math.max(window.getHeight(), y + popupImage.getHeight()));
        var g = canvas.getGraphicsContext2D();
        g.drawImage(window, 0, 0);
        g.drawImage(popupImage, x, y);
        return canvas.snapshot(null, null);
    }

    /// Writes `image` as a PNG, after checking it holds a real picture (at least 50 distinct colours).
    public static void write(Image image, Path file) throws IOException {
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        var pixels = new int[w * h];
        image.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), pixels, 0, w);
        assertTrue(IntStream.of(pixels).distinct().limit(50).count() >= 50, "the snapshot has real pixels: " + file);
        var out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        out.setRGB(0, 0, w, h, pixels, 0, w);
        ImageIO.write(out, "png", file.toFile());
        System.out.println("wrote " + file.toAbsolutePath().normalize() + " (" + w + "×" + h + ")");
    }
}
