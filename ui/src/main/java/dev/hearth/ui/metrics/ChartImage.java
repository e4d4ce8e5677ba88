package dev.hearth.ui.metrics;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javafx.scene.Node;
import javafx.scene.SnapshotParameters;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javax.imageio.ImageIO;

/// Writes a node (the chart) as a PNG file: a JavaFX snapshot copied pixel by pixel into an AWT image that
/// `javax.imageio` encodes, so no `javafx-swing` is needed.
public final class ChartImage {
    private ChartImage() {}

    /// Takes the snapshot (on the FX thread) and returns the pixels, ready to encode anywhere.
    public static BufferedImage snapshot(Node node) {
        WritableImage image = node.snapshot(new SnapshotParameters(), null);
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        var argb = new int[w * h];
        image.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        var out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        out.setRGB(0, 0, w, h, argb, 0, w);
        return out;
    }

    /// Encodes `image` as PNG into `file` (blocking; off the FX thread).
    public static void write(BufferedImage image, Path file) throws IOException {
        if (!ImageIO.write(image, "png", file.toFile())) throw new IOException("no PNG writer in this runtime");
    }
}
