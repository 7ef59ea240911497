package dev.facet.catalog.sample;

import dev.facet.catalog.sample.Vocabulary.Category;
import dev.facet.catalog.sample.Vocabulary.Gemstone;
import dev.facet.catalog.sample.Vocabulary.Material;
import dev.facet.catalog.sample.Vocabulary.Style;
import dev.facet.core.Listing;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Draws jewelry listings: attributes with the correlations a real catalog has (merchants specialise,
 * pearls go on necklaces and earrings, jade on bangles and pendants, 24K gold is "Chinese-style"),
 * a price from a material × stone × category × style base with log-normal spread, bilingual titles,
 * and a description assembled from phrase templates with synonyms so the text carries the attributes
 * in varied words.
 */
final class ListingFactory {
  private static final String[][] ZH_OPENINGS = {
      {"这款", "采用", "精心打造，"}, {"", "材质", "，"}, {"精选", "制作的", "，"}, {"本款", "以", "为主材，"}};
  private static final Map<String, String[]> ZH_STONE = Map.of(
      "diamond", new String[] {"镶嵌一颗璀璨钻石，火彩闪耀", "主石为明亮式切工钻石，光芒四射", "点缀闪亮钻石，熠熠生辉"},
      "pearl", new String[] {"搭配圆润珍珠，光泽温润", "点缀一颗天然珍珠，珠光柔和", "珍珠莹白饱满，优雅大方"},
      "jade", new String[] {"镶嵌翠绿翡翠，通透水润", "翡翠色泽浓郁，温润如玉", "选用冰种翡翠，清新雅致"},
      "ruby", new String[] {"镶嵌鲜艳红宝石，热情似火", "红宝石色泽浓烈，寓意吉祥", "点缀鸽血红宝石，明艳动人"},
      "sapphire", new String[] {"镶嵌深邃蓝宝石，沉静高贵", "蓝宝石色如海洋，典雅迷人", "主石为皇家蓝宝石，气质出众"},
      "emerald", new String[] {"镶嵌祖母绿宝石，方形阶梯切工", "祖母绿色泽鲜亮，生机盎然", "点缀方形祖母绿，浓郁翠绿"},
      "none", new String[] {"素面无镶嵌，光面打磨", "简洁素面设计，不含宝石", "纯金属质感，线条流畅"});
  private static final Map<String, String[]> ZH_STYLE = Map.of(
      "minimal", new String[] {"造型简约大方，适合日常佩戴", "极简线条，百搭通勤", "设计低调简洁，轻盈无负担"},
      "vintage", new String[] {"复古雕花细节，富有年代感", "做旧工艺，复古典雅", "宫廷复古风格，韵味十足"},
      "luxury", new String[] {"群镶碎钻环绕，华丽夺目", "奢华大气，适合宴会场合", "高级定制感，尽显贵气"},
      "cute", new String[] {"心形造型，甜美可爱", "少女感设计，俏皮灵动", "小巧可爱，适合学生党"},
      "classic", new String[] {"经典款式，永不过时", "传统经典设计，百搭耐看", "经典造型，端庄大气"},
      "chinese", new String[] {"国风红绳设计，寓意平安", "东方古典韵味，国潮新宠", "传统中式元素，雅致大方"});
  private static final String[] ZH_EXTRAS = {"送女友送老婆首选礼物。", "附赠精美礼盒。", "支持专柜验货。", "可免费刻字。", "七天无理由退换。", "附带鉴定证书。"};

  private static final String[] EN_OPENINGS = {"A %s %s crafted in %s", "This %s %s is made of %s", "Handmade %s %s in %s", "A %s %s cast in %s"};
  private static final Map<String, String[]> EN_STONE = Map.of(
      "diamond", new String[] {"set with a brilliant-cut diamond", "featuring a sparkling diamond", "topped with a dazzling diamond"},
      "pearl", new String[] {"with a lustrous pearl", "featuring a freshwater pearl", "finished with a creamy white pearl"},
      "jade", new String[] {"with a green jade cabochon", "featuring translucent green jadeite", "set with icy green jade"},
      "ruby", new String[] {"set with a vivid red ruby", "featuring a pigeon-blood ruby", "with a deep red ruby"},
      "sapphire", new String[] {"set with a royal blue sapphire", "featuring a deep blue sapphire", "with an ocean-blue sapphire"},
      "emerald", new String[] {"set with a square step-cut emerald", "featuring a bright green emerald", "with an emerald-cut emerald"},
      "none", new String[] {"in plain polished metal", "with a clean high-polish finish and no stones", "in solid metal without stones"});
  private static final Map<String, String[]> EN_STYLE = Map.of(
      "minimal", new String[] {"Clean lines for everyday wear.", "Understated and easy to pair.", "A minimalist piece for daily outfits."},
      "vintage", new String[] {"Engraved details give it a vintage feel.", "Antique-inspired milgrain edges.", "A retro look with heirloom charm."},
      "luxury", new String[] {"Surrounded by a halo of pave stones.", "A glamorous statement piece for evening events.", "Opulent and eye-catching."},
      "cute", new String[] {"A sweet heart motif.", "Playful and charming.", "Small, cute and light."},
      "classic", new String[] {"A timeless classic.", "A traditional design that never goes out of style.", "An elegant everyday classic."},
      "chinese", new String[] {"A red silk cord in Chinese style, a symbol of good luck.", "Oriental elegance with traditional motifs.", "Guochao design with a lucky red cord."});
  private static final String[] EN_EXTRAS = {"Comes in a gift box.", "Free engraving available.", "A perfect gift for her.", "Hypoallergenic and nickel-free.", "Certificate of authenticity included."};

  /** Per merchant: two favourite categories and a material tier (cheap silver, gold, luxury). */
  private final int[][] merchantCategories;
  private final double[][] merchantMaterials;
  private final Random rnd;

  ListingFactory(Random rnd) {
    this.rnd = rnd;
    merchantCategories = new int[Vocabulary.MERCHANTS][2];
    merchantMaterials = new double[Vocabulary.MERCHANTS][];
    for (int m = 0; m < Vocabulary.MERCHANTS; m++) {
      merchantCategories[m][0] = rnd.nextInt(Vocabulary.CATEGORIES.size());
      merchantCategories[m][1] = rnd.nextInt(Vocabulary.CATEGORIES.size());
      // Materials: 18k, rose, white, platinum, silver, 24k.
      merchantMaterials[m] = switch (m % 3) {
        case 0 -> new double[] {1, 1, 0.5, 0.2, 4, 0.3};
        case 1 -> new double[] {3, 2.5, 1, 0.6, 0.5, 2};
        default -> new double[] {1.5, 1, 2.5, 3, 0.2, 0.6};
      };
    }
  }

  SampleItem next(int index) {
    int merchant = rnd.nextInt(Vocabulary.MERCHANTS);
    int category = rnd.nextDouble() < 0.6 ? merchantCategories[merchant][rnd.nextInt(2)] : rnd.nextInt(Vocabulary.CATEGORIES.size());
    int material = pick(merchantMaterials[merchant]);
    int gemstone = pick(gemstoneWeights(category, material));
    int style = pick(styleWeights(material, gemstone));
    Category c = Vocabulary.CATEGORIES.get(category);
    Material m = Vocabulary.MATERIALS.get(material);
    Gemstone g = Vocabulary.GEMSTONES.get(gemstone);
    Style s = Vocabulary.STYLES.get(style);
    double price = m.basePrice() * c.priceFactor() * g.priceFactor() * s.priceFactor() * Math.exp(0.35 * rnd.nextGaussian());
    price = retailPrice(price);
    String id = String.format(Locale.ROOT, "%c-%05d", c.idPrefix(), index + 1);
    boolean inStock = rnd.nextDouble() < 0.9;
    // Quality is hidden: it drives popularity in the shopper simulation, never written to listings.
    double quality = rnd.nextGaussian();
    Listing listing = new Listing(id, titleZh(c, m, g, s), titleEn(c, m, g, s), description(c, m, g, s),
        c.code(), m.code(), g.code(), m.color(), s.code(), price, "CNY", Vocabulary.merchant(merchant),
        List.of("images/" + id + ".jpg"), inStock, Map.of());
    return new SampleItem(listing, category, material, gemstone, style, merchant, quality);
  }

  private static double[] gemstoneWeights(int category, int material) {
    // diamond, pearl, jade, ruby, sapphire, emerald, none
    double[] w = switch (Vocabulary.CATEGORIES.get(category).code()) {
      case "ring" -> new double[] {4, 0.6, 0.8, 1.2, 1.2, 1, 1.5};
      case "necklace" -> new double[] {1.5, 3, 0.6, 0.8, 0.8, 0.6, 1.5};
      case "earrings" -> new double[] {2, 3, 0.5, 1, 1, 0.8, 1.5};
      case "bracelet" -> new double[] {1, 1, 2.5, 0.6, 0.6, 0.5, 3};
      default -> new double[] {1.5, 1, 2.5, 1, 1, 1, 1.5};
    };
    if (Vocabulary.MATERIALS.get(material).code().equals("925_silver")) {
      w[0] *= 0.3; // silver rarely carries real diamonds
    }
    if (Vocabulary.MATERIALS.get(material).code().equals("24k_gold")) {
      w[2] *= 2;
      w[6] *= 2.5;
    }
    return w;
  }

  private static double[] styleWeights(int material, int gemstone) {
    // minimal, vintage, luxury, cute, classic, chinese
    double[] w = {2, 1, 1, 1.2, 1.5, 0.8};
    String m = Vocabulary.MATERIALS.get(material).code();
    String g = Vocabulary.GEMSTONES.get(gemstone).code();
    if (m.equals("24k_gold")) {
      w[5] *= 4;
      w[4] *= 1.5;
    }
    if (m.equals("925_silver")) {
      w[3] *= 2;
      w[2] *= 0.3;
    }
    if (m.equals("platinum") || g.equals("diamond")) {
      w[2] *= 2.5;
    }
    if (g.equals("jade")) {
      w[5] *= 3;
      w[1] *= 1.5;
    }
    if (g.equals("emerald")) {
      w[1] *= 2;
    }
    return w;
  }

  private int pick(double[] weights) {
    return WeightedChoice.pick(rnd, weights);
  }

  /** Shop-style prices: 3,299 rather than 3,276.41. */
  static double retailPrice(double raw) {
    if (raw >= 1000) {
      return Math.round(raw / 100) * 100 - 1;
    }
    if (raw >= 100) {
      return Math.round(raw / 10) * 10 - 1;
    }
    return Math.max(29, Math.round(raw / 10) * 10 - 1);
  }

  private <T> T any(T[] options) {
    return options[rnd.nextInt(options.length)];
  }

  private String titleZh(Category c, Material m, Gemstone g, Style s) {
    String gem = g.zh();
    String noun = c.zh();
    if (g.code().equals("none")) {
      gem = c.code().equals("ring") ? "素圈" : "光面";
    }
    if (c.code().equals("earrings") && !g.code().equals("none") && rnd.nextBoolean()) {
      noun = "耳坠";
    }
    if (c.code().equals("necklace") && !g.code().equals("none") && !g.code().equals("pearl") && rnd.nextBoolean()) {
      noun = "吊坠项链";
    }
    return switch (rnd.nextInt(4)) {
      case 0 -> m.zh() + gem + noun + " " + s.zh() + " 女款";
      case 1 -> m.zh() + " " + gem + noun + " " + s.zh() + "款";
      case 2 -> s.zh() + m.zh() + gem + noun + " 送女友";
      default -> m.zh() + gem + noun + " " + s.zh() + "风 正品";
    };
  }

  private String titleEn(Category c, Material m, Gemstone g, Style s) {
    String gem = g.code().equals("none") ? "plain" : g.en();
    return switch (rnd.nextInt(3)) {
      case 0 -> m.en() + " " + gem + " " + c.en() + ", " + s.en() + " style";
      case 1 -> capitalize(s.en()) + " " + m.en() + " " + gem + " " + c.en();
      default -> m.en() + " " + c.en() + " with " + (g.code().equals("none") ? "no stone" : g.en()) + " (" + s.en() + ")";
    };
  }

  private String description(Category c, Material m, Gemstone g, Style s) {
    StringBuilder zh = new StringBuilder();
    String[] open = any(ZH_OPENINGS);
    switch (java.util.Arrays.asList(ZH_OPENINGS).indexOf(open)) {
      case 0 -> zh.append(open[0]).append(c.zh()).append(open[1]).append(m.zh()).append(open[2]);
      case 1 -> zh.append(m.zh()).append(open[1]).append(c.zh()).append(open[2]);
      case 2 -> zh.append(open[0]).append(m.zh()).append(open[1]).append(s.zh()).append("风").append(c.zh()).append(open[2]);
      default -> zh.append(open[0]).append(c.zh()).append(open[1]).append(m.zh()).append(open[2]);
    }
    List<String> clauses = new ArrayList<>(List.of(any(ZH_STONE.get(g.code())), any(ZH_STYLE.get(s.code()))));
    if (rnd.nextBoolean()) {
      java.util.Collections.swap(clauses, 0, 1);
    }
    zh.append(String.join("，", clauses)).append("。");
    for (String extra : ZH_EXTRAS) {
      if (rnd.nextDouble() < 0.25) {
        zh.append(extra);
      }
    }
    StringBuilder en = new StringBuilder();
    String styleWord = s.en();
    en.append(String.format(Locale.ROOT, any(EN_OPENINGS), styleWord, c.en(), m.en()));
    en.append(' ').append(any(EN_STONE.get(g.code()))).append(". ");
    en.append(any(EN_STYLE.get(s.code())));
    for (String extra : EN_EXTRAS) {
      if (rnd.nextDouble() < 0.2) {
        en.append(' ').append(extra);
      }
    }
    return zh + " " + en;
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
