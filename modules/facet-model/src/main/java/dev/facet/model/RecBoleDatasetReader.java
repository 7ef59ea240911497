package dev.facet.model;

import dev.facet.core.EventType;
import dev.facet.core.FacetException;
import dev.facet.core.Interaction;
import dev.facet.core.UserProfile;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads RecBole atomic files ({@code NAME.inter}, optional {@code NAME.item}, {@code NAME.user}) and
 * MMRec datasets as published: a {@code .inter} with an untyped header ({@code userID itemID rating
 * timestamp x_label}), the split in its {@code x_label} column (0 train, 1 valid, 2 test) and optional
 * {@code image_feat.npy} / {@code text_feat.npy} float matrices beside it whose row {@code k} belongs
 * to item id {@code k}.
 *
 * <p>Files are tab-separated with a header line. A header column is typed ({@code user_id:token},
 * {@code class:token_seq}...) or not (then it is a token). The user and item columns are RecBole's
 * {@code user_id} / {@code item_id} or MMRec's {@code userID} / {@code itemID}. Mapping to Facet's
 * records, documented because it changes what the model learns:
 * <ul>
 *   <li>Ratings become implicit events by strength: 5 → PURCHASE, 4 → CART, 3 → CLICK, below 3 (or no
 *       rating) → VIEW. Every rating is kept as a positive interaction.
 *   <li>Timestamps are epoch seconds; without a timestamp column the row number is used.
 *   <li>With a feature {@code .npy} beside the {@code .inter}, every item id must be a row number of
 *       it (MMRec numbers items 0..n-1); items that have a row but no interaction are not ranked.
 *   <li>Item {@code token_seq} columns whose name contains "title", "name" or "desc" become the text
 *       vector when no {@code text_feat.npy} exists: an L2-normalized hashed bag of lower-cased words
 *       ({@value #TEXT_HASH_DIM} dims). Other {@code token_seq} columns (genres) become multi-valued
 *       attributes ({@code |}-joined); {@code token} columns become attributes, years bucketed to decades.
 *   <li>User {@code age} becomes an age band, {@code gender} is lower-cased; other user columns are
 *       not part of {@link UserProfile} and are ignored.
 * </ul>
 */
public final class RecBoleDatasetReader {
  static final int TEXT_HASH_DIM = 64;
  /** Names of the user column: RecBole's, then MMRec's. */
  private static final List<String> USER = List.of("user_id", "userID");
  /** Names of the item column: RecBole's, then MMRec's. */
  private static final List<String> ITEM = List.of("item_id", "itemID");
  /** MMRec's split column. */
  private static final String X_LABEL = "x_label";

  private RecBoleDatasetReader() {}

  /**
   * Reads the dataset of a directory (holding exactly one {@code .inter} file) or of a {@code .inter}
   * file; its name decides the names of the {@code .item} and {@code .user} files beside it.
   */
  public static RecDataset read(Path dirOrInter) {
    Path inter = interFile(dirOrInter);
    Table it = Table.read(inter);
    Path dir = inter.toAbsolutePath().getParent();
    String base = inter.getFileName().toString().replaceAll("\\.inter$", "");
    FeatureRows image = FeatureRows.beside(dir, "image_feat.npy");
    FeatureRows text = FeatureRows.beside(dir, "text_feat.npy");
    Map<String, ItemFeatures> items = new LinkedHashMap<>();
    Path itemFile = dir.resolve(base + ".item");
    if (Files.exists(itemFile)) {
      readItems(Table.read(itemFile), image, text, items);
    }
    int item = it.column(ITEM);
    for (int n = 0; n < it.rows.size(); n++) {
      String id = it.id(n, item);
      if (!items.containsKey(id)) {
        items.put(id, new ItemFeatures(id, image.of(id, it, n, item), text.of(id, it, n, item), Map.of()));
      }
    }
    return new RecDataset(new ArrayList<>(items.values()), users(dir.resolve(base + ".user")), interactions(it),
        Map.of());
  }

  /**
   * The split stored in an MMRec {@code x_label} column (0 train, 1 valid, 2 test) of the dataset
   * {@link #read} read from {@code dirOrInter}, or empty when the {@code .inter} file has no such column.
   */
  public static Optional<DataSplit> presetSplit(Path dirOrInter, RecDataset dataset) {
    Table it = Table.read(interFile(dirOrInter));
    return it.optColumn(X_LABEL) < 0 ? Optional.empty() : Optional.of(presetSplit(it, dataset));
  }

  /**
   * The split to evaluate {@code dataset} (read from {@code dirOrInter}) on: {@code preset} (its
   * {@code x_label} column), {@code temporal} or {@code random} (with {@code seed}); null picks preset
   * when the file has an {@code x_label} column and temporal otherwise, so a published split is used
   * unless the caller asks for another.
   */
  public static DataSplit split(Path dirOrInter, RecDataset dataset, String kind, long seed) {
    if (kind != null && !kind.equals(DataSplit.PRESET)) {
      if (!kind.equals("temporal") && !kind.equals("random")) {
        throw new FacetException("split must be preset, temporal or random, got " + kind);
      }
      return DataSplit.of(kind, dataset.interactions(), seed);
    }
    Table it = Table.read(interFile(dirOrInter));
    if (it.optColumn(X_LABEL) >= 0) {
      return presetSplit(it, dataset);
    }
    if (kind != null) {
      throw new FacetException(it.file + ": the preset split needs an " + X_LABEL + " column (0 train, 1 valid, "
          + "2 test) and the header has only " + Arrays.toString(it.names) + "; use the temporal or random split");
    }
    return DataSplit.temporalLeaveLastOut(dataset.interactions());
  }

  private static DataSplit presetSplit(Table it, RecDataset dataset) {
    int x = it.column(X_LABEL);
    List<Interaction> all = dataset.interactions();
    // The split is by row: rows only line up with the dataset's interactions if it was read from this file.
    if (!interactions(it).equals(all)) {
      throw new FacetException(it.file + ": the dataset was not read from this file, its " + X_LABEL
          + " split does not apply to it");
    }
    List<List<Interaction>> parts = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (int n = 0; n < all.size(); n++) {
      double label = it.number(n, x);
      if (label != 0 && label != 1 && label != 2) {
        throw new FacetException(it.where(n, x) + ": must be 0 (train), 1 (valid) or 2 (test), got "
            + it.rows.get(n)[x].trim());
      }
      parts.get((int) label).add(all.get(n));
    }
    return new DataSplit(DataSplit.PRESET, parts.get(0), parts.get(1), parts.get(2));
  }

  private static List<Interaction> interactions(Table it) {
    int u = it.column(USER);
    int i = it.column(ITEM);
    int r = it.optColumn("rating");
    int t = it.optColumn("timestamp");
    List<Interaction> out = new ArrayList<>(it.rows.size());
    for (int n = 0; n < it.rows.size(); n++) {
      EventType ev = r < 0 ? EventType.VIEW : eventForRating(it.number(n, r));
      Instant ts = Instant.ofEpochSecond(t < 0 ? n : (long) it.number(n, t));
      out.add(new Interaction(it.id(n, u), it.id(n, i), ev, ts));
    }
    return out;
  }

  /** Items of a {@code .item} file into {@code into}, in file order. */
  private static void readItems(Table tb, FeatureRows image, FeatureRows text, Map<String, ItemFeatures> into) {
    int id = tb.column(ITEM);
    for (int n = 0; n < tb.rows.size(); n++) {
      String[] row = tb.rows.get(n);
      Map<String, String> attrs = new LinkedHashMap<>();
      StringBuilder words = new StringBuilder();
      for (int c = 0; c < tb.names.length; c++) {
        if (c == id || row[c].isBlank()) {
          continue;
        }
        String name = tb.names[c];
        boolean seq = tb.types[c].equals("token_seq");
        if (seq && (name.contains("title") || name.contains("name") || name.contains("desc"))) {
          words.append(row[c]).append(' ');
        } else if (seq) {
          attrs.put(name, String.join("|", row[c].trim().split("\\s+")));
        } else if (tb.types[c].equals("token")) {
          attrs.put(name, name.contains("year") ? decade(row[c]) : row[c]);
        }
      }
      String itemId = tb.id(n, id);
      float[] txt = text.present() ? text.of(itemId, tb, n, id) : words.isEmpty() ? null : hashText(words.toString());
      if (into.put(itemId, new ItemFeatures(itemId, image.of(itemId, tb, n, id), txt, attrs)) != null) {
        throw new FacetException(tb.where(n, id) + ": duplicate item id " + itemId);
      }
    }
  }

  private static Map<String, UserProfile> users(Path userFile) {
    Map<String, UserProfile> users = new LinkedHashMap<>();
    if (!Files.exists(userFile)) {
      return users;
    }
    Table ut = Table.read(userFile);
    int id = ut.column(USER);
    int age = ut.optColumn("age");
    int gender = ut.optColumn("gender");
    for (int n = 0; n < ut.rows.size(); n++) {
      String[] row = ut.rows.get(n);
      String userId = ut.id(n, id);
      users.put(userId, new UserProfile(userId, age < 0 ? null : ageBand(row[age]),
          gender < 0 || row[gender].isBlank() ? null : row[gender].toLowerCase(Locale.ROOT), null));
    }
    return users;
  }

  /** Event strength for a 1–5 rating (see the class comment). */
  static EventType eventForRating(double rating) {
    if (rating >= 5) {
      return EventType.PURCHASE;
    }
    if (rating >= 4) {
      return EventType.CART;
    }
    return rating >= 3 ? EventType.CLICK : EventType.VIEW;
  }

  static String ageBand(String age) {
    try {
      int a = (int) Double.parseDouble(age.trim());
      if (a < 18) {
        return "<18";
      }
      if (a < 25) {
        return "18-24";
      }
      if (a < 35) {
        return "25-34";
      }
      if (a < 45) {
        return "35-44";
      }
      return a < 55 ? "45-54" : "55+";
    } catch (NumberFormatException e) {
      return age.trim();
    }
  }

  static String decade(String year) {
    try {
      int y = Integer.parseInt(year.trim());
      return (y / 10 * 10) + "s";
    } catch (NumberFormatException e) {
      return year.trim();
    }
  }

  /** L2-normalized hashed bag of words; deterministic across JVMs (String.hashCode is specified). */
  static float[] hashText(String text) {
    float[] v = new float[TEXT_HASH_DIM];
    for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (!w.isEmpty()) {
        int h = w.hashCode();
        v[Math.floorMod(h, TEXT_HASH_DIM)] += (h >>> 31) == 0 ? 1f : -1f;
      }
    }
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    if (norm == 0) {
      return null;
    }
    float inv = (float) (1 / Math.sqrt(norm));
    for (int k = 0; k < v.length; k++) {
      v[k] *= inv;
    }
    return v;
  }

  private static Path interFile(Path dirOrInter) {
    if (Files.isRegularFile(dirOrInter)) {
      if (!dirOrInter.toString().endsWith(".inter")) {
        throw new FacetException(dirOrInter + ": not a .inter file (give a dataset directory or its .inter file)");
      }
      return dirOrInter;
    }
    if (!Files.isDirectory(dirOrInter)) {
      throw new FacetException(dirOrInter + ": no such dataset directory or .inter file");
    }
    try (Stream<Path> s = Files.list(dirOrInter)) {
      List<Path> inters = s.filter(p -> p.toString().endsWith(".inter")).sorted().toList();
      if (inters.size() != 1) {
        throw new FacetException(dirOrInter + ": expected exactly one .inter file, found " + inters.size());
      }
      return inters.get(0);
    } catch (IOException e) {
      throw new FacetException("cannot list " + dirOrInter + ": " + e.getMessage(), e);
    }
  }

  /**
   * A feature matrix beside the {@code .inter} ({@code image_feat.npy}, {@code text_feat.npy}): MMRec
   * numbers items 0..n-1 and stores item {@code k}'s vector in row {@code k}.
   */
  private static final class FeatureRows {
    private final Path file;
    private final float[][] rows;

    private FeatureRows(Path file, float[][] rows) {
      this.file = file;
      this.rows = rows;
    }

    /** The matrix {@code dir/name}; without that file every vector is absent. */
    static FeatureRows beside(Path dir, String name) {
      Path file = dir.resolve(name);
      return new FeatureRows(file, Files.exists(file) ? NpyReader.read(file) : null);
    }

    boolean present() {
      return rows != null;
    }

    /** The vector of {@code itemId}, found in row {@code n}, column {@code c} of {@code table}; null without a matrix. */
    float[] of(String itemId, Table table, int n, int c) {
      if (rows == null) {
        return null;
      }
      int k;
      try {
        k = Integer.parseInt(itemId);
      } catch (NumberFormatException e) {
        k = -1;
      }
      if (k < 0 || k >= rows.length) {
        throw new FacetException(table.where(n, c) + ": item id " + itemId + " is not a row of " + file + " ("
            + rows.length + " rows; with feature files item ids must be the row numbers 0.." + (rows.length - 1) + ")");
      }
      return rows[k];
    }
  }

  /** One atomic file: names and types from the header, then raw rows and their line numbers. */
  private static final class Table {
    final Path file;
    final String[] names;
    final String[] types;
    final List<String[]> rows = new ArrayList<>();
    /** 1-based line of each row in the file (blank lines are skipped, so rows and lines drift apart). */
    private final List<Integer> lines = new ArrayList<>();

    private Table(Path file, String[] names, String[] types) {
      this.file = file;
      this.names = names;
      this.types = types;
    }

    static Table read(Path file) {
      try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        String header = in.readLine();
        if (header == null) {
          throw new FacetException(file + ": empty file");
        }
        String[] cols = header.split("\t");
        String[] names = new String[cols.length];
        String[] types = new String[cols.length];
        for (int c = 0; c < cols.length; c++) {
          int colon = cols[c].lastIndexOf(':');
          names[c] = (colon < 0 ? cols[c] : cols[c].substring(0, colon)).trim();
          types[c] = colon < 0 ? "token" : cols[c].substring(colon + 1).trim();
        }
        Table t = new Table(file, names, types);
        String line;
        int n = 1;
        while ((line = in.readLine()) != null) {
          n++;
          if (line.isBlank()) {
            continue;
          }
          String[] row = line.split("\t", -1);
          if (row.length < cols.length) {
            row = Arrays.copyOf(row, cols.length);
            for (int c = 0; c < row.length; c++) {
              row[c] = row[c] == null ? "" : row[c];
            }
          }
          t.rows.add(row);
          t.lines.add(n);
        }
        return t;
      } catch (IOException e) {
        throw new FacetException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }

    /** "FILE line L field NAME" of row {@code n}, column {@code c}, for error messages. */
    String where(int n, int c) {
      return file + " line " + lines.get(n) + " field " + names[c];
    }

    /** The id in row {@code n}, column {@code c}, trimmed; never blank. */
    String id(int n, int c) {
      String v = rows.get(n)[c].trim();
      if (v.isEmpty()) {
        throw new FacetException(where(n, c) + ": empty id");
      }
      return v;
    }

    double number(int n, int c) {
      String v = rows.get(n)[c];
      try {
        return Double.parseDouble(v.trim());
      } catch (NumberFormatException e) {
        throw new FacetException(where(n, c) + ": not a number '" + v + "'");
      }
    }

    /** The first of {@code candidates} the header names (RecBole's and MMRec's names of one column). */
    int column(List<String> candidates) {
      for (String name : candidates) {
        int c = optColumn(name);
        if (c >= 0) {
          return c;
        }
      }
      throw new FacetException(file + ": missing column " + String.join(" (or ", candidates)
          + ")".repeat(candidates.size() - 1) + "; the header has " + Arrays.toString(names));
    }

    int column(String name) {
      return column(List.of(name));
    }

    int optColumn(String name) {
      for (int c = 0; c < names.length; c++) {
        if (names[c].equals(name)) {
          return c;
        }
      }
      return -1;
    }
  }
}
