package dev.facet.embed;

import dev.facet.core.Listing;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Writes small jewelry-like test photos (shape by category, colour by material, a coloured stone by
 * gemstone) plus matching listings, so tests run without the sample catalog.
 */
public final class SyntheticCatalog {
  static final String[] CATEGORIES = {"ring", "necklace", "earrings", "bracelet"};
  static final String[] MATERIALS = {"18k_gold", "silver", "rose_gold"};
  static final String[] GEMSTONES = {"diamond", "ruby", "sapphire", "none"};
  private static final Map<String, Color> METAL = Map.of(
      "18k_gold", new Color(212, 175, 55), "silver", new Color(170, 172, 178), "rose_gold", new Color(183, 110, 101));
  private static final Map<String, Color> STONE = Map.of(
      "diamond", new Color(245, 250, 255), "ruby", new Color(200, 20, 40), "sapphire", new Color(20, 50, 190));
  private static final Map<String, String> ZH = Map.of(
      "ring", "戒指", "necklace", "项链", "earrings", "耳环", "bracelet", "手镯",
      "18k_gold", "18K金", "silver", "银", "rose_gold", "玫瑰金");

  private SyntheticCatalog() {}

  public static List<Listing> write(Path dir, int n, long seed) throws IOException {
    Path images = Files.createDirectories(dir.resolve("images"));
    Random random = new Random(seed);
    List<Listing> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String category = CATEGORIES[random.nextInt(CATEGORIES.length)];
      String material = MATERIALS[random.nextInt(MATERIALS.length)];
      String gem = GEMSTONES[random.nextInt(GEMSTONES.length)];
      String id = String.format("T-%05d", i);
      String rel = "images/" + id + ".jpg";
      ImageIO.write(draw(category, material, gem, random), "jpg", images.resolve(id + ".jpg").toFile());
      out.add(new Listing(id, ZH.get(material) + ZH.get(category), material.replace('_', ' ') + " " + category, null,
          category, material, gem, null, null, 100 + i, "CNY", "m-01", List.of(rel), true, Map.of()));
    }
    return out;
  }

  static BufferedImage draw(String category, String material, String gem, Random random) {
    int size = 224;
    BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    int bg = 225 + random.nextInt(30);
    g.setColor(new Color(bg, bg, Math.min(255, bg + random.nextInt(6))));
    g.fillRect(0, 0, size, size);
    Color metal = jitter(METAL.get(material), random);
    g.setColor(metal);
    int cx = 112 + random.nextInt(21) - 10;
    int cy = 112 + random.nextInt(21) - 10;
    int r = 50 + random.nextInt(20);
    int stoneX = cx;
    int stoneY = cy - r;
    switch (category) {
      case "ring" -> {
        g.setStroke(new BasicStroke(12));
        g.drawOval(cx - r, cy - r, 2 * r, 2 * r);
      }
      case "necklace" -> {
        g.setStroke(new BasicStroke(4));
        g.drawArc(cx - 90, cy - 110, 180, 200, 200, 140);
        stoneY = cy + 80;
      }
      case "earrings" -> {
        g.setStroke(new BasicStroke(6));
        g.drawOval(cx - 70, cy - 20, 40, 60);
        g.drawOval(cx + 30, cy - 20, 40, 60);
        stoneX = cx - 50;
        stoneY = cy + 40;
      }
      default -> {
        g.setStroke(new BasicStroke(20));
        g.drawOval(cx - 90, cy - 55, 180, 110);
        stoneY = cy - 55;
      }
    }
    Color stone = STONE.get(gem);
    if (stone != null) {
      g.setColor(stone);
      g.fillOval(stoneX - 12, stoneY - 12, 24, 24);
    }
    g.dispose();
    return img;
  }

  private static Color jitter(Color c, Random random) {
    int d = random.nextInt(21) - 10;
    return new Color(clamp(c.getRed() + d), clamp(c.getGreen() + d), clamp(c.getBlue() + d));
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }
}
