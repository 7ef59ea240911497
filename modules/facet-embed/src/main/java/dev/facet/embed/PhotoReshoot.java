package dev.facet.embed;

import dev.facet.catalog.sample.SampleCatalogGenerator;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A second photograph of what a photo shows, as a merchant's own re-shoot would differ: a crop of
 * 78–90% of each side at a random place, a rotation within ±12°, brightness ×[0.8, 1.2] and
 * saturation ×[0.7, 1.3], the longer side scaled to 480 pixels, saved as JPEG. Transparent pixels
 * are flattened on white, as a shop page shows them; corners the rotation uncovers are white too.
 * Deterministic for a given seed and photo name, whatever order photos are taken in.
 */
final class PhotoReshoot {
  static final int LONGER_SIDE = 480;
  static final double MIN_CROP = 0.78;
  static final double MAX_CROP = 0.90;
  static final double MAX_DEGREES = 12;

  private final long seed;

  PhotoReshoot(long seed) {
    this.seed = seed;
  }

  /**
   * @param name the photo's name (seeds its variation)
   * @throws IllegalArgumentException when Java's decoders cannot read the bytes
   */
  byte[] reshoot(byte[] photo, String name) {
    BufferedImage src = decodeOnWhite(photo, name);
    Random random = new Random(seed * 1_000_003L + name.hashCode());
    double crop = MIN_CROP + (MAX_CROP - MIN_CROP) * random.nextDouble();
    double radians = Math.toRadians(MAX_DEGREES * (2 * random.nextDouble() - 1));
    double brightness = 0.8 + 0.4 * random.nextDouble();
    double saturation = 0.7 + 0.6 * random.nextDouble();
    int w = src.getWidth();
    int h = src.getHeight();
    double cropW = crop * w;
    double cropH = crop * h;
    double cx = cropW / 2 + random.nextDouble() * (w - cropW);
    double cy = cropH / 2 + random.nextDouble() * (h - cropH);
    double scale = LONGER_SIDE / Math.max(cropW, cropH);
    int outW = Math.max(1, (int) Math.round(cropW * scale));
    int outH = Math.max(1, (int) Math.round(cropH * scale));
    // Bilinear sampling skips pixels below half size: halve first (each halving averages 2x2).
    while (scale < 0.5) {
      src = half(src);
      scale *= 2;
      cx /= 2;
      cy /= 2;
    }
    BufferedImage out = new BufferedImage(outW, outH, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, outW, outH);
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      AffineTransform t = new AffineTransform();
      t.translate(outW / 2.0, outH / 2.0);
      t.scale(scale, scale);
      t.rotate(radians);
      t.translate(-cx, -cy);
      g.drawImage(src, t, null);
    } finally {
      g.dispose();
    }
    jitter(out, brightness, saturation);
    return SampleCatalogGenerator.jpeg(out);
  }

  static BufferedImage decodeOnWhite(byte[] photo, String name) {
    BufferedImage decoded;
    try {
      decoded = ImageIO.read(new ByteArrayInputStream(photo));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(name + ": not readable (" + e.getMessage() + ")", e);
    }
    if (decoded == null) {
      throw new IllegalArgumentException(name + ": no decoder for this image format");
    }
    BufferedImage rgb = new BufferedImage(decoded.getWidth(), decoded.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = rgb.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, rgb.getWidth(), rgb.getHeight());
      g.drawImage(decoded, 0, 0, null);
    } finally {
      g.dispose();
    }
    return rgb;
  }

  private static BufferedImage half(BufferedImage src) {
    int w = Math.max(1, src.getWidth() / 2);
    int h = Math.max(1, src.getHeight() / 2);
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int a = src.getRGB(2 * x, 2 * y);
        int b = src.getRGB(Math.min(2 * x + 1, src.getWidth() - 1), 2 * y);
        int c = src.getRGB(2 * x, Math.min(2 * y + 1, src.getHeight() - 1));
        int d = src.getRGB(Math.min(2 * x + 1, src.getWidth() - 1), Math.min(2 * y + 1, src.getHeight() - 1));
        int r = (((a >> 16) & 255) + ((b >> 16) & 255) + ((c >> 16) & 255) + ((d >> 16) & 255) + 2) / 4;
        int gr = (((a >> 8) & 255) + ((b >> 8) & 255) + ((c >> 8) & 255) + ((d >> 8) & 255) + 2) / 4;
        int bl = ((a & 255) + (b & 255) + (c & 255) + (d & 255) + 2) / 4;
        out.setRGB(x, y, (r << 16) | (gr << 8) | bl);
      }
    }
    return out;
  }

  /** Saturation about the pixel's luma, then brightness, in place. */
  private static void jitter(BufferedImage image, double brightness, double saturation) {
    int w = image.getWidth();
    int[] row = new int[w];
    for (int y = 0; y < image.getHeight(); y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int p = row[x];
        double r = (p >> 16) & 255;
        double g = (p >> 8) & 255;
        double b = p & 255;
        double luma = 0.299 * r + 0.587 * g + 0.114 * b;
        row[x] = (channel(luma + saturation * (r - luma), brightness) << 16)
            | (channel(luma + saturation * (g - luma), brightness) << 8)
            | channel(luma + saturation * (b - luma), brightness);
      }
      image.setRGB(0, y, w, 1, row, 0, w);
    }
  }

  private static int channel(double value, double brightness) {
    return (int) Math.max(0, Math.min(255, Math.round(value * brightness)));
  }
}
