package dev.facet.catalog.sample;

import java.awt.Color;
import java.util.List;

/**
 * The attribute values of the sample catalog with their Chinese and English words, price factors
 * and drawing colours. Order matters: indexes are used in taste vectors and must never be reordered
 * once a catalog is committed, or regeneration would no longer be byte-identical.
 */
final class Vocabulary {
  private Vocabulary() {}

  record Category(String code, char idPrefix, String zh, String en, double priceFactor) {}

  record Material(String code, String zh, String en, String color, double basePrice, Color metal, Color highlight, Color shade) {}

  record Gemstone(String code, String zh, String en, double priceFactor, Color stone, Color light, Color dark) {}

  record Style(String code, String zh, String en, double priceFactor) {}

  static final List<Category> CATEGORIES = List.of(
      new Category("ring", 'R', "戒指", "ring", 1.0),
      new Category("necklace", 'N', "项链", "necklace", 1.3),
      new Category("earrings", 'E', "耳环", "earrings", 0.9),
      new Category("bracelet", 'B', "手镯", "bracelet", 1.4),
      new Category("pendant", 'P', "吊坠", "pendant", 0.8));

  static final List<Material> MATERIALS = List.of(
      new Material("18k_gold", "18K金", "18K gold", "yellow", 2400,
          new Color(214, 172, 62), new Color(255, 240, 170), new Color(120, 86, 20)),
      new Material("rose_gold", "18K玫瑰金", "18K rose gold", "rose", 2400,
          new Color(219, 150, 134), new Color(255, 222, 210), new Color(128, 70, 62)),
      new Material("white_gold", "18K白金", "18K white gold", "white", 2700,
          new Color(214, 214, 206), new Color(255, 255, 250), new Color(112, 112, 106)),
      new Material("platinum", "铂金", "platinum", "white", 3900,
          new Color(190, 196, 206), new Color(246, 250, 255), new Color(88, 94, 108)),
      new Material("925_silver", "925银", "925 sterling silver", "silver", 320,
          new Color(170, 172, 176), new Color(236, 238, 242), new Color(70, 72, 78)),
      new Material("24k_gold", "足金", "24K pure gold", "yellow", 3600,
          new Color(236, 168, 20), new Color(255, 226, 120), new Color(140, 80, 0)));

  static final List<Gemstone> GEMSTONES = List.of(
      new Gemstone("diamond", "钻石", "diamond", 3.0,
          new Color(236, 244, 252), new Color(255, 255, 255), new Color(150, 170, 190)),
      new Gemstone("pearl", "珍珠", "pearl", 1.3,
          new Color(240, 232, 220), new Color(255, 255, 252), new Color(176, 164, 160)),
      new Gemstone("jade", "翡翠", "jade", 1.9,
          new Color(110, 185, 135), new Color(215, 245, 220), new Color(40, 115, 75)),
      new Gemstone("ruby", "红宝石", "ruby", 2.3,
          new Color(200, 16, 46), new Color(255, 120, 140), new Color(100, 0, 20)),
      new Gemstone("sapphire", "蓝宝石", "sapphire", 2.3,
          new Color(22, 60, 180), new Color(120, 160, 255), new Color(6, 20, 90)),
      new Gemstone("emerald", "祖母绿", "emerald", 2.6,
          new Color(0, 140, 70), new Color(70, 225, 130), new Color(0, 60, 30)),
      new Gemstone("none", "", "", 1.0, null, null, null));

  static final List<Style> STYLES = List.of(
      new Style("minimal", "简约", "minimal", 0.85),
      new Style("vintage", "复古", "vintage", 1.1),
      new Style("luxury", "奢华", "luxury", 1.7),
      new Style("cute", "可爱", "cute", 0.8),
      new Style("classic", "经典", "classic", 1.0),
      new Style("chinese", "国风", "Chinese-style", 1.05));

  static final int MERCHANTS = 12;

  static String merchant(int index) {
    return String.format(java.util.Locale.ROOT, "m-%02d", index + 1);
  }
}
