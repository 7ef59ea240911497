package dev.facet.catalog.sample;

import dev.facet.catalog.sample.Vocabulary.Gemstone;
import dev.facet.catalog.sample.Vocabulary.Material;
import dev.facet.core.Listing;
import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.LinearGradientPaint;
import java.awt.MultipleGradientPaint;
import java.awt.RadialGradientPaint;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.GeneralPath;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.geom.QuadCurve2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Draws a product photo of a listing with Java2D. What the item is decides the picture: the
 * category the shape (ring band with a set stone, chain with a pendant or a pearl strand, a pair of
 * earrings, a bangle, a large pendant on a bail), the material the metal colour and sheen, the
 * gemstone its colour and cut, the style details (thin band, milgrain, pavé halo, heart, red cord).
 * The listing id fixes the product's own design (proportions, shapes); the variant seed fixes the
 * shot: pose, scale, position, light direction, background and sensor noise. So two variants of one
 * listing show the same product photographed twice.
 *
 * <p>Stateless; every call builds its own image.
 */
final class PhotoRenderer {
  private final int size;

  PhotoRenderer(int size) {
    this.size = size;
  }

  /**
   * A stable 64-bit hash of a string, independent of JVM and {@code hashCode}: FNV-1a over UTF-8,
   * then the SplitMix64 finalizer, because raw FNV of near-identical ids ("m-01", "m-02") differs
   * only in a few bits and would give near-identical seeds and hues.
   */
  static long stableHash(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xFF;
      h *= 0x100000001b3L;
    }
    h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
    h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }

  private static Material material(String code) {
    for (Material m : Vocabulary.MATERIALS) {
      if (m.code().equals(code)) {
        return m;
      }
    }
    return Vocabulary.MATERIALS.get(4);
  }

  private static Gemstone gemstone(String code) {
    for (Gemstone g : Vocabulary.GEMSTONES) {
      if (g.code().equals(code)) {
        return g;
      }
    }
    return Vocabulary.GEMSTONES.get(6);
  }

  /** What one drawing needs: the product, the shot and the light in the object's own frame. */
  private static final class Shot {
    final Material metal;
    final Gemstone gem;
    final String category;
    final String style;
    final Random design;
    final double lightAngle;
    final boolean stone;

    Shot(Listing l, Random design, double lightAngle) {
      this.metal = material(l.material());
      this.gem = gemstone(l.gemstone());
      this.category = l.category() == null ? "ring" : l.category();
      this.style = l.style() == null ? "classic" : l.style();
      this.design = design;
      this.lightAngle = lightAngle;
      this.stone = gem.stone() != null;
    }

    boolean is(String s) {
      return style.equals(s);
    }
  }

  BufferedImage render(Listing listing, long variantSeed) {
    Random design = new Random(stableHash(listing.id()));
    Random shot = new Random(variantSeed ^ 0x9E3779B97F4A7C15L);
    BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    background(g, listing, shot);

    double rotation = (shot.nextDouble() - 0.5) * 1.2;
    double scale = size / 256.0 * (0.78 + 0.27 * shot.nextDouble());
    double cx = size / 2.0 + (shot.nextDouble() - 0.5) * size * 0.14;
    double cy = size / 2.0 + (shot.nextDouble() - 0.5) * size * 0.14;
    double light = shot.nextDouble() * 2 * Math.PI;
    Shot s = new Shot(listing, design, light - rotation);

    shadow(g, cx, cy, scale, light, s.category);
    AffineTransform base = g.getTransform();
    g.translate(cx, cy);
    g.rotate(rotation);
    g.scale(scale, scale);
    switch (s.category) {
      case "necklace" -> necklace(g, s);
      case "earrings" -> earrings(g, s);
      case "bracelet" -> bracelet(g, s);
      case "pendant" -> pendant(g, s);
      default -> ring(g, s);
    }
    g.setTransform(base);
    g.dispose();
    noise(img, shot);
    return img;
  }

  // ---- shot ----

  private void background(Graphics2D g, Listing listing, Random shot) {
    // Each merchant has a studio look (a hue); the shot jitters it, a few shots are on dark velvet.
    long m = stableHash(listing.merchant() == null ? "" : listing.merchant());
    float hue = (float) ((m & 0xFFFF) / 65536.0 + (shot.nextDouble() - 0.5) * 0.15);
    boolean dark = shot.nextDouble() < 0.18;
    float sat = (float) (0.05 + 0.2 * shot.nextDouble());
    Color a;
    Color b;
    if (dark) {
      a = Color.getHSBColor(hue, 0.35f + sat, 0.18f + 0.12f * shot.nextFloat());
      b = Color.getHSBColor(hue, 0.3f + sat, 0.06f + 0.08f * shot.nextFloat());
    } else {
      a = Color.getHSBColor(hue, sat, 0.88f + 0.12f * shot.nextFloat());
      b = Color.getHSBColor(hue + 0.05f, sat + 0.1f, 0.62f + 0.2f * shot.nextFloat());
    }
    double angle = shot.nextDouble() * 2 * Math.PI;
    float r = size * 0.7f;
    g.setPaint(new GradientPaint((float) (size / 2.0 - Math.cos(angle) * r), (float) (size / 2.0 - Math.sin(angle) * r), a,
        (float) (size / 2.0 + Math.cos(angle) * r), (float) (size / 2.0 + Math.sin(angle) * r), b));
    g.fillRect(0, 0, size, size);
  }

  private void shadow(Graphics2D g, double cx, double cy, double scale, double light, String category) {
    double w = (category.equals("bracelet") || category.equals("necklace") ? 190 : 130) * scale;
    double h = w * 0.55;
    double dx = -Math.cos(light) * 10 * scale;
    double dy = -Math.sin(light) * 10 * scale + 12 * scale;
    for (int i = 0; i < 6; i++) {
      double k = 1 + i * 0.08;
      g.setColor(new Color(0, 0, 0, 10));
      g.fill(new Ellipse2D.Double(cx + dx - w * k / 2, cy + dy - h * k / 2 + 10 * scale, w * k, h * k));
    }
  }

  private static void noise(BufferedImage img, Random shot) {
    double sigma = 3 + 4 * shot.nextDouble();
    double gain = 0.92 + 0.16 * shot.nextDouble();
    int w = img.getWidth();
    int h = img.getHeight();
    int[] px = img.getRGB(0, 0, w, h, null, 0, w);
    for (int i = 0; i < px.length; i++) {
      int n = (int) Math.round(shot.nextGaussian() * sigma);
      int r = clamp((int) (((px[i] >> 16) & 0xFF) * gain) + n);
      int gr = clamp((int) (((px[i] >> 8) & 0xFF) * gain) + n);
      int b = clamp((int) ((px[i] & 0xFF) * gain) + n);
      px[i] = (r << 16) | (gr << 8) | b;
    }
    img.setRGB(0, 0, w, h, px, 0, w);
  }

  private static int clamp(int v) {
    return v < 0 ? 0 : Math.min(255, v);
  }

  // ---- paints ----

  /** Metal sheen across a shape: dark edges, a bright band on the side facing the light. */
  private static MultipleGradientPaint metalPaint(Material m, Shape shape, double lightAngle, boolean vintage) {
    Rectangle2D r = shape.getBounds2D();
    double cx = r.getCenterX();
    double cy = r.getCenterY();
    double len = Math.max(4, Math.max(r.getWidth(), r.getHeight()) / 2);
    double dx = Math.cos(lightAngle) * len;
    double dy = Math.sin(lightAngle) * len;
    Color metal = vintage ? blend(m.metal(), new Color(90, 70, 50), 0.25) : m.metal();
    Color hi = vintage ? blend(m.highlight(), metal, 0.4) : m.highlight();
    return new LinearGradientPaint(new Point2D.Double(cx - dx, cy - dy), new Point2D.Double(cx + dx + 0.01, cy + dy),
        new float[] {0f, 0.3f, 0.62f, 0.72f, 0.85f, 1f},
        new Color[] {m.shade(), metal, blend(metal, hi, 0.5), hi, metal, m.shade()},
        MultipleGradientPaint.CycleMethod.NO_CYCLE);
  }

  private static Color blend(Color a, Color b, double t) {
    return new Color(
        (int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * t),
        (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * t),
        (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * t));
  }

  private static void fillMetal(Graphics2D g, Shot s, Shape shape) {
    g.setPaint(metalPaint(s.metal, shape, s.lightAngle, s.is("vintage")));
    g.fill(shape);
    g.setColor(withAlpha(s.metal.shade(), 150));
    g.setStroke(new BasicStroke(1.2f));
    g.draw(shape);
  }

  private static Color withAlpha(Color c, int a) {
    return new Color(c.getRed(), c.getGreen(), c.getBlue(), a);
  }

  // ---- stones ----

  /** Draws the gemstone of the shot centred at (x, y) with radius r; shape depends on style and design. */
  private static void stone(Graphics2D g, Shot s, double x, double y, double r, boolean allowHeart) {
    Gemstone gem = s.gem;
    if (gem.stone() == null) {
      return;
    }
    boolean heart = allowHeart && s.is("cute") && !gem.code().equals("pearl");
    switch (gem.code()) {
      case "pearl" -> pearl(g, s, x, y, r);
      case "jade" -> cabochon(g, s, heart ? heart(x, y, r) : new Ellipse2D.Double(x - r * 0.85, y - r, r * 1.7, r * 2));
      case "emerald" -> heartOr(g, s, heart, x, y, r, () -> stepCut(g, s, x, y, r));
      default -> heartOr(g, s, heart, x, y, r, () -> brilliant(g, s, x, y, r, gem.code().equals("diamond") ? 8 : 10,
          gem.code().equals("diamond") ? 1.0 : 0.8));
    }
    if (gem.code().equals("diamond") || s.is("luxury")) {
      sparkle(g, x + Math.cos(s.lightAngle) * r * 0.45, y + Math.sin(s.lightAngle) * r * 0.45, r * 0.9);
    }
  }

  private static void heartOr(Graphics2D g, Shot s, boolean heart, double x, double y, double r, Runnable otherwise) {
    if (!heart) {
      otherwise.run();
      return;
    }
    Shape h = heart(x, y, r * 1.1);
    Gemstone gem = s.gem;
    g.setPaint(new RadialGradientPaint(new Point2D.Double(x + Math.cos(s.lightAngle) * r * 0.3, y + Math.sin(s.lightAngle) * r * 0.3),
        (float) (r * 1.3), new float[] {0f, 0.5f, 1f}, new Color[] {gem.light(), gem.stone(), gem.dark()}));
    g.fill(h);
    g.setColor(withAlpha(gem.light(), 120));
    g.setStroke(new BasicStroke(0.8f));
    g.draw(new Line(x, y - r * 0.55, x, y + r * 0.9).shape());
    g.setColor(withAlpha(gem.dark(), 200));
    g.draw(h);
  }

  private record Line(double x1, double y1, double x2, double y2) {
    Shape shape() {
      return new java.awt.geom.Line2D.Double(x1, y1, x2, y2);
    }
  }

  private static Shape heart(double x, double y, double r) {
    Path2D.Double p = new Path2D.Double();
    p.moveTo(x, y + r);
    p.curveTo(x - r * 1.5, y - r * 0.1, x - r * 0.8, y - r * 1.3, x, y - r * 0.45);
    p.curveTo(x + r * 0.8, y - r * 1.3, x + r * 1.5, y - r * 0.1, x, y + r);
    p.closePath();
    return p;
  }

  /** Round/oval faceted stone: crown facets alternate light and dark around a lighter table. */
  private static void brilliant(Graphics2D g, Shot s, double x, double y, double r, int sides, double aspect) {
    Gemstone gem = s.gem;
    double rx = r * aspect;
    double ry = r;
    double[] px = new double[sides];
    double[] py = new double[sides];
    for (int i = 0; i < sides; i++) {
      double a = 2 * Math.PI * i / sides + Math.PI / sides;
      px[i] = x + Math.cos(a) * rx;
      py[i] = y + Math.sin(a) * ry;
    }
    g.setColor(gem.dark());
    g.fill(polygon(px, py));
    for (int i = 0; i < sides; i++) {
      int j = (i + 1) % sides;
      double mid = 2 * Math.PI * (i + 0.5) / sides + Math.PI / sides;
      double lit = Math.cos(mid - s.lightAngle);
      Color c = lit > 0.3 ? gem.light() : lit > -0.3 ? gem.stone() : gem.dark();
      if (i % 2 == 1) {
        c = blend(c, gem.stone(), 0.5);
      }
      g.setColor(c);
      g.fill(polygon(new double[] {x, px[i], px[j]}, new double[] {y, py[i], py[j]}));
    }
    double[] tx = new double[sides];
    double[] ty = new double[sides];
    for (int i = 0; i < sides; i++) {
      tx[i] = x + (px[i] - x) * 0.5;
      ty[i] = y + (py[i] - y) * 0.5;
    }
    g.setColor(blend(gem.stone(), gem.light(), 0.55));
    g.fill(polygon(tx, ty));
    g.setColor(withAlpha(gem.dark(), 170));
    g.setStroke(new BasicStroke(0.7f));
    g.draw(polygon(tx, ty));
    g.draw(polygon(px, py));
  }

  /** Emerald (step) cut: concentric octagonal rectangles, darker inwards, lit edge toward the light. */
  private static void stepCut(Graphics2D g, Shot s, double x, double y, double r) {
    Gemstone gem = s.gem;
    double w = r * 1.5;
    double h = r * 1.9;
    for (int k = 0; k < 4; k++) {
      double f = 1 - k * 0.22;
      Shape oct = octagon(x, y, w * f, h * f, r * 0.3 * f);
      Color c = k % 2 == 0 ? blend(gem.stone(), gem.dark(), 0.15 * k) : blend(gem.stone(), gem.light(), 0.35);
      g.setColor(c);
      g.fill(oct);
    }
    g.setPaint(new GradientPaint((float) (x - Math.cos(s.lightAngle) * w), (float) (y - Math.sin(s.lightAngle) * h), withAlpha(gem.dark(), 120),
        (float) (x + Math.cos(s.lightAngle) * w), (float) (y + Math.sin(s.lightAngle) * h), withAlpha(gem.light(), 120)));
    g.fill(octagon(x, y, w, h, r * 0.3));
    g.setColor(withAlpha(gem.dark(), 200));
    g.setStroke(new BasicStroke(0.8f));
    g.draw(octagon(x, y, w, h, r * 0.3));
  }

  private static Shape octagon(double x, double y, double w, double h, double cut) {
    double l = x - w / 2;
    double t = y - h / 2;
    return polygon(new double[] {l + cut, l + w - cut, l + w, l + w, l + w - cut, l + cut, l, l},
        new double[] {t, t, t + cut, t + h - cut, t + h, t + h, t + h - cut, t + cut});
  }

  private static void pearl(Graphics2D g, Shot s, double x, double y, double r) {
    Gemstone gem = s.gem;
    double lx = x + Math.cos(s.lightAngle) * r * 0.35;
    double ly = y + Math.sin(s.lightAngle) * r * 0.35;
    g.setPaint(new RadialGradientPaint(new Point2D.Double(lx, ly), (float) (r * 1.6), new float[] {0f, 0.25f, 0.7f, 1f},
        new Color[] {gem.light(), gem.stone(), new Color(214, 200, 200), gem.dark()}));
    g.fill(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
    g.setColor(new Color(255, 255, 255, 210));
    g.fill(new Ellipse2D.Double(lx - r * 0.18, ly - r * 0.18, r * 0.36, r * 0.36));
    g.setColor(new Color(255, 200, 220, 40)); // faint pink orient
    g.fill(new Ellipse2D.Double(x - r * 0.8, y - r * 0.6, r * 1.4, r * 1.4));
  }

  private static void cabochon(Graphics2D g, Shot s, Shape shape) {
    Gemstone gem = s.gem;
    Rectangle2D b = shape.getBounds2D();
    double r = Math.max(b.getWidth(), b.getHeight()) / 2;
    double lx = b.getCenterX() + Math.cos(s.lightAngle) * r * 0.3;
    double ly = b.getCenterY() + Math.sin(s.lightAngle) * r * 0.3;
    g.setPaint(new RadialGradientPaint(new Point2D.Double(lx, ly), (float) (r * 1.3), new float[] {0f, 0.55f, 1f},
        new Color[] {gem.light(), gem.stone(), gem.dark()}));
    Composite translucent = new Composite(g, 0.92f);
    g.fill(shape);
    translucent.restore();
    g.setColor(new Color(255, 255, 255, 120));
    g.fill(new Ellipse2D.Double(lx - r * 0.25, ly - r * 0.15, r * 0.5, r * 0.3));
  }

  private static final class Composite {
    private final Graphics2D g;
    private final java.awt.Composite saved;

    Composite(Graphics2D g, float alpha) {
      this.g = g;
      this.saved = g.getComposite();
      g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, alpha));
    }

    void restore() {
      g.setComposite(saved);
    }
  }

  private static void sparkle(Graphics2D g, double x, double y, double r) {
    g.setColor(new Color(255, 255, 255, 220));
    g.setStroke(new BasicStroke((float) Math.max(0.8, r * 0.06)));
    g.draw(new java.awt.geom.Line2D.Double(x - r * 0.5, y, x + r * 0.5, y));
    g.draw(new java.awt.geom.Line2D.Double(x, y - r * 0.5, x, y + r * 0.5));
    g.setStroke(new BasicStroke((float) Math.max(0.5, r * 0.03)));
    g.draw(new java.awt.geom.Line2D.Double(x - r * 0.25, y - r * 0.25, x + r * 0.25, y + r * 0.25));
    g.draw(new java.awt.geom.Line2D.Double(x - r * 0.25, y + r * 0.25, x + r * 0.25, y - r * 0.25));
  }

  /** Small diamonds around a centre stone (luxury). */
  private static void halo(Graphics2D g, Shot s, double x, double y, double r, int n) {
    for (int i = 0; i < n; i++) {
      double a = 2 * Math.PI * i / n;
      double sx = x + Math.cos(a) * r;
      double sy = y + Math.sin(a) * r * 1.05;
      smallDiamond(g, s, sx, sy, Math.max(2.2, r * 0.2));
    }
  }

  private static void smallDiamond(Graphics2D g, Shot s, double x, double y, double r) {
    // Pavé stone: a tiny brilliant, grey-blue rim, white table and a glint, so it never reads as a pearl.
    g.setColor(new Color(95, 110, 130));
    g.fill(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
    double lx = x + Math.cos(s.lightAngle) * r * 0.3;
    double ly = y + Math.sin(s.lightAngle) * r * 0.3;
    g.setPaint(new RadialGradientPaint(new Point2D.Double(lx, ly), (float) (r * 1.1), new float[] {0f, 0.5f, 1f},
        new Color[] {Color.WHITE, new Color(200, 220, 240), new Color(120, 140, 170)}));
    g.fill(new Ellipse2D.Double(x - r * 0.78, y - r * 0.78, r * 1.56, r * 1.56));
    g.setColor(new Color(255, 255, 255, 230));
    g.setStroke(new BasicStroke((float) Math.max(0.5, r * 0.18)));
    g.draw(new java.awt.geom.Line2D.Double(lx - r * 0.9, ly, lx + r * 0.9, ly));
    g.draw(new java.awt.geom.Line2D.Double(lx, ly - r * 0.9, lx, ly + r * 0.9));
  }

  private static void milgrain(Graphics2D g, Shot s, Shape path, int n) {
    // Dots sampled along the outline: the beaded edge of vintage settings.
    java.awt.geom.PathIterator it = path.getPathIterator(null, 0.5);
    double[] c = new double[6];
    java.util.List<double[]> pts = new java.util.ArrayList<>();
    while (!it.isDone()) {
      int type = it.currentSegment(c);
      if (type != java.awt.geom.PathIterator.SEG_CLOSE) {
        pts.add(new double[] {c[0], c[1]});
      }
      it.next();
    }
    g.setColor(withAlpha(s.metal.shade(), 190));
    int step = Math.max(1, pts.size() / n);
    for (int i = 0; i < pts.size(); i += step) {
      double[] p = pts.get(i);
      g.fill(new Ellipse2D.Double(p[0] - 1.3, p[1] - 1.3, 2.6, 2.6));
    }
  }

  // ---- categories ----

  private static void ring(Graphics2D g, Shot s) {
    Random d = s.design;
    double thickness = (s.is("minimal") ? 7 : s.is("luxury") ? 14 : 11) * (0.85 + 0.3 * d.nextDouble());
    double w = 118 + 14 * d.nextDouble();
    double h = w * (0.55 + 0.15 * d.nextDouble());
    double cy = 22;
    Area band = new Area(new Ellipse2D.Double(-w / 2, cy - h / 2, w, h));
    band.subtract(new Area(new Ellipse2D.Double(-w / 2 + thickness, cy - h / 2 + thickness * 0.75, w - 2 * thickness, h - 1.5 * thickness)));
    fillMetal(g, s, band);
    // Inside of the band, seen through the opening: darker.
    g.setColor(withAlpha(s.metal.shade(), 90));
    g.fill(new Area(new Ellipse2D.Double(-w / 2 + thickness, cy - h / 2 + thickness * 0.75, w - 2 * thickness, (h - 1.5 * thickness) * 0.5)));
    if (s.is("vintage")) {
      milgrain(g, s, new Ellipse2D.Double(-w / 2 + 2, cy - h / 2 + 2, w - 4, h - 4), 48);
    }
    if (s.is("chinese")) {
      g.setColor(new Color(190, 20, 30));
      g.setStroke(new BasicStroke(3f));
      g.draw(new Ellipse2D.Double(-w / 2 - 6, cy - h / 2 - 4, w + 12, h + 8));
    }
    double stoneR = (s.is("minimal") ? 13 : 19) * (0.85 + 0.3 * d.nextDouble());
    double sy = cy - h / 2 - stoneR * 0.55;
    if (s.stone) {
      // Prongs/bezel under the stone.
      Shape setting = polygon(new double[] {-stoneR * 0.9, stoneR * 0.9, stoneR * 0.45, -stoneR * 0.45},
          new double[] {sy, sy, cy - h / 2 + thickness, cy - h / 2 + thickness});
      fillMetal(g, s, setting);
      if (s.is("luxury")) {
        halo(g, s, 0, sy, stoneR * 1.25, 14);
      }
      stone(g, s, 0, sy, stoneR, true);
    } else if (s.is("luxury") || s.is("cute")) {
      for (int i = -3; i <= 3; i++) {
        smallDiamond(g, s, i * w * 0.09, cy - h / 2 + thickness * 0.45, thickness * 0.32);
      }
    }
  }

  private static void necklace(Graphics2D g, Shot s) {
    Random d = s.design;
    double depth = 70 + 20 * d.nextDouble();
    QuadCurve2D.Double chain = new QuadCurve2D.Double(-100, -100, 0, depth * 2 - 100 + 30, 100, -100);
    if (s.gem.code().equals("pearl")) {
      pearlStrand(g, s, chain);
      return;
    }
    boolean cord = s.is("chinese");
    int n = 60;
    for (int i = 0; i <= n; i++) {
      double t = i / (double) n;
      Point2D p = pointOn(chain, t);
      if (cord) {
        g.setColor(new Color(180 + (i % 2) * 20, 20, 30));
        g.fill(new Ellipse2D.Double(p.getX() - 2.8, p.getY() - 2.8, 5.6, 5.6));
      } else {
        Point2D q = pointOn(chain, Math.min(1, t + 1.0 / n));
        double ang = Math.atan2(q.getY() - p.getY(), q.getX() - p.getX());
        Shape link = AffineTransform.getRotateInstance(ang, p.getX(), p.getY())
            .createTransformedShape(new Ellipse2D.Double(p.getX() - 3.4, p.getY() - (i % 2 == 0 ? 2.0 : 1.2), 6.8, i % 2 == 0 ? 4.0 : 2.4));
        fillMetal(g, s, link);
      }
    }
    Point2D bottom = pointOn(chain, 0.5);
    double bx = bottom.getX();
    double by = bottom.getY();
    double r = (s.is("minimal") ? 9 : 13) * (0.85 + 0.3 * d.nextDouble());
    Shape bail = new RoundRectangle2D.Double(bx - 3, by - 2, 6, 12, 4, 4);
    fillMetal(g, s, bail);
    if (s.stone) {
      Shape bezel = new Ellipse2D.Double(bx - r * 1.15, by + 10 - r * 0.15, r * 2.3, r * 2.5);
      fillMetal(g, s, bezel);
      if (s.is("luxury")) {
        halo(g, s, bx, by + 11 + r, r * 1.35, 12);
      }
      stone(g, s, bx, by + 11 + r, r, true);
    } else {
      Shape charm = s.is("cute") ? heart(bx, by + 10 + r, r * 1.1) : new Ellipse2D.Double(bx - r, by + 10, 2 * r, 2 * r);
      fillMetal(g, s, charm);
    }
  }

  /**
   * A pearl strand as it is sold: the pearls (their size and count the product's own), a clasp in
   * the listing's metal at the ends, and a centre drop whose setting the style decides (metal cap,
   * pavé halo for luxury, a metal heart for cute, none for minimal); vintage strands have metal
   * spacer beads, Chinese ones knots of red cord between the pearls.
   */
  private static void pearlStrand(Graphics2D g, Shot s, QuadCurve2D.Double chain) {
    Random d = s.design;
    double r = (s.is("minimal") ? 4.6 : 5.4) + 2.2 * d.nextDouble();
    int n = (int) Math.round(300 / (2.3 * r));
    int spacerEvery = 3 + d.nextInt(3);
    for (int i = 0; i <= n; i++) {
      Point2D p = pointOn(chain, i / (double) n);
      if (s.is("chinese") && i < n) {
        Point2D q = pointOn(chain, (i + 0.5) / n);
        g.setColor(new Color(185, 22, 32));
        g.fill(new Ellipse2D.Double(q.getX() - 2.4, q.getY() - 2.4, 4.8, 4.8));
      }
      if (s.is("vintage") && i > 0 && i < n && i % spacerEvery == 0) {
        fillMetal(g, s, new Ellipse2D.Double(p.getX() - r * 0.7, p.getY() - r * 0.7, r * 1.4, r * 1.4));
      } else {
        pearl(g, s, p.getX(), p.getY(), r);
      }
    }
    clasp(g, s, chain, r);
    Point2D bottom = pointOn(chain, 0.5);
    centreDrop(g, s, bottom.getX(), bottom.getY() + r, r);
  }

  /** A jump ring at one end of the strand and a box clasp at the other, in the listing's metal. */
  private static void clasp(Graphics2D g, Shot s, QuadCurve2D.Double chain, double r) {
    g.setPaint(metalPaint(s.metal, new Rectangle2D.Double(chain.x1 - 10, chain.y1 - 20, 20, 20), s.lightAngle, s.is("vintage")));
    g.setStroke(new BasicStroke(2.6f));
    g.draw(new Ellipse2D.Double(chain.x1 - 6, chain.y1 - r - 11, 12, 12));
    fillMetal(g, s, new RoundRectangle2D.Double(chain.x2 - 7, chain.y2 - r - 17, 14, 17, 4, 4));
  }

  private static void centreDrop(Graphics2D g, Shot s, double x, double y, double r) {
    if (s.is("minimal")) {
      return;
    }
    if (s.is("cute")) {
      fillMetal(g, s, heart(x, y + 12, 10));
      return;
    }
    double dropR = r * 1.5;
    if (s.is("luxury")) {
      halo(g, s, x, y + 6 + dropR, dropR * 1.35, 12);
    }
    fillMetal(g, s, new RoundRectangle2D.Double(x - 4, y - 2, 8, 10, 3, 3));
    pearl(g, s, x, y + 6 + dropR, dropR);
  }

  private static Point2D pointOn(QuadCurve2D.Double c, double t) {
    double u = 1 - t;
    return new Point2D.Double(u * u * c.x1 + 2 * u * t * c.ctrlx + t * t * c.x2, u * u * c.y1 + 2 * u * t * c.ctrly + t * t * c.y2);
  }

  private static void earrings(Graphics2D g, Shot s) {
    Random d = s.design;
    boolean hoop = !s.stone && !s.is("cute");
    double r = (s.is("minimal") ? 11 : 15) * (0.85 + 0.3 * d.nextDouble());
    double drop = s.is("minimal") ? 0 : 18 + 18 * d.nextDouble();
    double spread = 42 + 8 * d.nextDouble();
    for (int side = -1; side <= 1; side += 2) {
      double x = side * spread;
      double top = -60;
      // Hook: an open arc of wire.
      g.setPaint(metalPaint(s.metal, new Rectangle2D.Double(x - 10, top - 20, 20, 30), s.lightAngle, s.is("vintage")));
      g.setStroke(new BasicStroke(2.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      g.draw(new java.awt.geom.Arc2D.Double(x - 10, top - 18, 20, 26, -90, 270, java.awt.geom.Arc2D.OPEN));
      if (hoop) {
        double hr = 30 + 8 * d.nextDouble();
        Area ring = new Area(new Ellipse2D.Double(x - hr, top + 8, 2 * hr, 2 * hr));
        double t = s.is("luxury") ? 7 : 5;
        ring.subtract(new Area(new Ellipse2D.Double(x - hr + t, top + 8 + t, 2 * hr - 2 * t, 2 * hr - 2 * t)));
        fillMetal(g, s, ring);
        if (s.is("vintage")) {
          milgrain(g, s, new Ellipse2D.Double(x - hr + 2.5, top + 10.5, 2 * hr - 5, 2 * hr - 5), 30);
        }
        continue;
      }
      double y = top + 14 + drop + r;
      if (drop > 0) {
        fillMetal(g, s, new Rectangle2D.Double(x - 1.5, top + 8, 3, drop + 4));
      }
      if (s.stone) {
        fillMetal(g, s, new Ellipse2D.Double(x - r * 1.12, y - r * 1.12, r * 2.24, r * 2.24));
        if (s.is("luxury")) {
          halo(g, s, x, y, r * 1.35, 10);
        }
        stone(g, s, x, y, r, true);
      } else {
        fillMetal(g, s, heart(x, y, r * 1.1));
      }
    }
  }

  private static void bracelet(Graphics2D g, Shot s) {
    Random d = s.design;
    double w = 178 + 14 * d.nextDouble();
    double h = w * (0.52 + 0.1 * d.nextDouble());
    if (s.is("chinese")) {
      // Red cord bracelet with a metal bead and the stone as a charm.
      g.setColor(new Color(185, 22, 32));
      g.setStroke(new BasicStroke(5f));
      g.draw(new Ellipse2D.Double(-w / 2, -h / 2, w, h));
      g.setColor(new Color(140, 10, 20));
      g.setStroke(new BasicStroke(1f));
      g.draw(new Ellipse2D.Double(-w / 2, -h / 2, w, h));
      fillMetal(g, s, new Ellipse2D.Double(-12, h / 2 - 12, 24, 24));
      if (s.stone) {
        stone(g, s, 0, h / 2 + 22, 12, false);
      }
      return;
    }
    boolean jadeBangle = s.gem.code().equals("jade");
    double thickness = (s.is("minimal") ? 10 : 18) * (0.85 + 0.3 * d.nextDouble());
    Area bangle = new Area(new Ellipse2D.Double(-w / 2, -h / 2, w, h));
    bangle.subtract(new Area(new Ellipse2D.Double(-w / 2 + thickness, -h / 2 + thickness * 0.8, w - 2 * thickness, h - 1.6 * thickness)));
    if (jadeBangle) {
      cabochon(g, s, bangle);
      // Metal caps where a hinged jade bangle is joined.
      fillMetal(g, s, new Rectangle2D.Double(-w / 2 - 2, -8, thickness + 4, 16));
      fillMetal(g, s, new Rectangle2D.Double(w / 2 - thickness - 2, -8, thickness + 4, 16));
      return;
    }
    fillMetal(g, s, bangle);
    if (s.is("vintage")) {
      milgrain(g, s, new Ellipse2D.Double(-w / 2 + thickness * 0.5, -h / 2 + thickness * 0.4, w - thickness, h - thickness * 0.8), 60);
    }
    if (s.stone) {
      int n = s.is("luxury") ? 9 : s.is("minimal") ? 1 : 5;
      double r = thickness * (s.gem.code().equals("pearl") ? 0.6 : 0.48);
      for (int i = 0; i < n; i++) {
        double a = Math.PI / 2 + (i - (n - 1) / 2.0) * 0.22;
        double x = Math.cos(a) * (w / 2 - thickness / 2);
        double y = Math.sin(a) * (h / 2 - thickness * 0.4);
        stone(g, s, x, y, i == n / 2 ? r * 1.25 : r, false);
      }
    } else if (s.is("luxury")) {
      for (int i = 0; i < 11; i++) {
        double a = Math.PI / 2 + (i - 5) * 0.16;
        smallDiamond(g, s, Math.cos(a) * (w / 2 - thickness / 2), Math.sin(a) * (h / 2 - thickness * 0.4), thickness * 0.3);
      }
    }
  }

  private static void pendant(Graphics2D g, Shot s) {
    Random d = s.design;
    // A short chain fragment meeting at the bail.
    for (int side = -1; side <= 1; side += 2) {
      for (int i = 0; i < 12; i++) {
        double t = i / 12.0;
        double x = side * (70 - 66 * t);
        double y = -105 + 60 * t;
        if (s.is("chinese")) {
          g.setColor(new Color(185, 22, 32));
          g.fill(new Ellipse2D.Double(x - 2.6, y - 2.6, 5.2, 5.2));
        } else {
          fillMetal(g, s, new Ellipse2D.Double(x - 3, y - 1.8, 6, 3.6));
        }
      }
    }
    fillMetal(g, s, new RoundRectangle2D.Double(-6, -50, 12, 20, 6, 6));
    double r = (s.is("minimal") ? 26 : 34) * (0.85 + 0.3 * d.nextDouble());
    double cy = -30 + r * 1.15;
    int shapeKind = d.nextInt(3); // round, drop, square
    Shape frame;
    if (s.is("cute")) {
      frame = heart(0, cy, r * 1.25);
    } else if (s.gem.code().equals("emerald") || shapeKind == 2) {
      frame = octagon(0, cy, r * 1.9, r * 2.3, r * 0.35);
    } else if (shapeKind == 1) {
      frame = drop(0, cy, r * 1.15);
    } else {
      frame = new Ellipse2D.Double(-r * 1.12, cy - r * 1.12, r * 2.24, r * 2.24);
    }
    fillMetal(g, s, frame);
    if (s.is("vintage")) {
      milgrain(g, s, frame, 40);
    }
    if (s.is("luxury")) {
      halo(g, s, 0, cy, r * 1.0, 16);
    }
    if (s.stone) {
      stone(g, s, 0, cy, r * 0.72, true);
    } else {
      // Plain metal: an engraved motif so the face is not a flat blob.
      g.setColor(withAlpha(s.metal.shade(), 160));
      g.setStroke(new BasicStroke(1.6f));
      g.draw(new Ellipse2D.Double(-r * 0.55, cy - r * 0.55, r * 1.1, r * 1.1));
      g.draw(new java.awt.geom.Line2D.Double(-r * 0.35, cy, r * 0.35, cy));
      g.draw(new java.awt.geom.Line2D.Double(0, cy - r * 0.35, 0, cy + r * 0.35));
    }
  }

  private static Shape drop(double x, double y, double r) {
    GeneralPath p = new GeneralPath();
    p.moveTo(x, y - r * 1.5);
    p.curveTo(x + r * 0.6, y - r * 0.7, x + r, y - r * 0.1, x + r, y + r * 0.3);
    p.curveTo(x + r, y + r * 1.2, x - r, y + r * 1.2, x - r, y + r * 0.3);
    p.curveTo(x - r, y - r * 0.1, x - r * 0.6, y - r * 0.7, x, y - r * 1.5);
    p.closePath();
    return p;
  }

  private static Shape polygon(double[] xs, double[] ys) {
    Path2D.Double p = new Path2D.Double();
    p.moveTo(xs[0], ys[0]);
    for (int i = 1; i < xs.length; i++) {
      p.lineTo(xs[i], ys[i]);
    }
    p.closePath();
    return p;
  }
}
