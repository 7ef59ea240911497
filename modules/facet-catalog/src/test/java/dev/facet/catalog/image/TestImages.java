package dev.facet.catalog.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.ImageIO;

/** Real images encoded by the JDK, for pipeline tests. */
public final class TestImages {
  private TestImages() {}

  public static BufferedImage solid(int w, int h, Color c) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(c);
    g.fillRect(0, 0, w, h);
    g.dispose();
    return img;
  }

  /** Random rectangles on a random background, so JPEG entropy data is non-trivial. */
  public static BufferedImage random(int w, int h, long seed) {
    Random rnd = new Random(seed);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(rnd.nextInt(0xFFFFFF)));
    g.fillRect(0, 0, w, h);
    for (int i = 0; i < 30; i++) {
      g.setColor(new Color(rnd.nextInt(0xFFFFFF)));
      g.fillOval(rnd.nextInt(w), rnd.nextInt(h), 1 + rnd.nextInt(w / 2 + 1), 1 + rnd.nextInt(h / 2 + 1));
    }
    g.dispose();
    return img;
  }

  public static byte[] encode(BufferedImage img, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(img, format, out)) {
        throw new IllegalStateException("no ImageIO writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
