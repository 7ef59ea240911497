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
 * MMRec-style datasets (a {@code .inter} with an {@code x_label} split column and optional
 * {@code image_feat.npy} / {@code text_feat.npy} float matrices whose row {@code k} belongs to item
 * id {@code k}).
 *
 * <p>Files are tab-separated with a typed header ({@code user_id:token}, {@code class:token_seq}...).
 * Mapping to Facet's records, documented because it changes what the model learns:
 * <ul>
 *   <li>Ratings become implicit events by strength: 5 → PURCHASE, 4 → CART, 3 → CLICK, below 3 (or no
 *       rating) → VIEW. Every rating is kept as a positive interaction.
 *   <li>Timestamps are epoch seconds; without a timestamp column the line number is used.
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

  private RecBoleDatasetReader() {}

  /** Reads the dataset in {@code dir} (the {@code .inter} file decides the dataset name). */
  public static RecDataset read(Path dir) {
    Path inter = interFile(dir);
    String base = inter.getFileName().toString().replaceAll("\\.inter$", "");
    Table it = Table.read(inter);
    int u = it.column("user_id");
    int i = it.column("item_id");
    int r = it.optColumn("rating");
    int t = it.optColumn("timestamp");
    List<Interaction> interactions = new ArrayList<>(it.rows.size());
    LinkedHashMap<String, Boolean> seenItems = new LinkedHashMap<>();
    for (int n = 0; n < it.rows.size(); n++) {
      String[] row = it.rows.get(n);
      EventType ev = r < 0 ? EventType.VIEW : eventForRating(parseDouble(row[r], inter, n));
      Instant ts = t < 0 ? Instant.ofEpochSecond(n) : Instant.ofEpochSecond((long) parseDouble(row[t], inter, n));
      interactions.add(new Interaction(row[u], row[i], ev, ts));
      seenItems.putIfAbsent(row[i], Boolean.TRUE);
    }
    Path dirPath = inter.getParent();
    float[][] image = npy(dirPath.resolve("image_feat.npy"));
    float[][] textNpy = npy(dirPath.resolve("text_feat.npy"));
    Map<String, ItemFeatures> items = new LinkedHashMap<>();
    Path itemFile = dirPath.resolve(base + ".item");
    if (Files.exists(itemFile)) {
      Table tb = Table.read(itemFile);
      int id = tb.column("item_id");
      for (String[] row : tb.rows) {
        Map<String, String> attrs = new LinkedHashMap<>();
        StringBuilder text = new StringBuilder();
        for (int c = 0; c < row.length; c++) {
          if (c == id || row[c].isBlank()) {
            continue;
          }
          String name = tb.names[c];
          boolean seq = tb.types[c].equals("token_seq");
          if (seq && (name.contains("title") || name.contains("name") || name.contains("desc"))) {
            text.append(row[c]).append(' ');
          } else if (seq) {
            attrs.put(name, String.join("|", row[c].trim().split("\\s+")));
          } else if (tb.types[c].equals("token")) {
            attrs.put(name, name.contains("year") ? decade(row[c]) : row[c]);
          }
        }
        String itemId = row[id];
        float[] txt = textNpy != null ? rowOf(textNpy, itemId) : text.isEmpty() ? null : hashText(text.toString());
        items.put(itemId, new ItemFeatures(itemId, image == null ? null : rowOf(image, itemId), txt, attrs));
      }
    }
    for (String itemId : seenItems.keySet()) {
      items.computeIfAbsent(itemId, k -> new ItemFeatures(k, image == null ? null : rowOf(image, k),
          textNpy == null ? null : rowOf(textNpy, k), Map.of()));
    }
    Map<String, UserProfile> users = new LinkedHashMap<>();
    Path userFile = dirPath.resolve(base + ".user");
    if (Files.exists(userFile)) {
      Table ut = Table.read(userFile);
      int id = ut.column("user_id");
      int age = ut.optColumn("age");
      int gender = ut.optColumn("gender");
      for (String[] row : ut.rows) {
        users.put(row[id], new UserProfile(row[id], age < 0 ? null : ageBand(row[age]),
            gender < 0 || row[gender].isBlank() ? null : row[gender].toLowerCase(Locale.ROOT), null));
      }
    }
    return new RecDataset(new ArrayList<>(items.values()), users, interactions, Map.of());
  }

  /**
   * The split stored in an MMRec {@code x_label} column (0 train, 1 valid, 2 test), or empty when the
   * {@code .inter} file has no such column.
   */
  public static Optional<DataSplit> presetSplit(Path dir, RecDataset dataset) {
    Path inter = interFile(dir);
    Table it = Table.read(inter);
    int x = it.optColumn("x_label");
    if (x < 0) {
      return Optional.empty();
    }
    List<Interaction> all = dataset.interactions();
    if (all.size() != it.rows.size()) {
      throw new FacetException(inter + ": dataset does not come from this file");
    }
    List<List<Interaction>> parts = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (int n = 0; n < all.size(); n++) {
      int label = (int) parseDouble(it.rows.get(n)[x], inter, n);
      if (label < 0 || label > 2) {
        throw new FacetException(inter + " line " + (n + 2) + ": x_label must be 0, 1 or 2, got " + label);
      }
      parts.get(label).add(all.get(n));
    }
    return Optional.of(new DataSplit("preset", parts.get(0), parts.get(1), parts.get(2)));
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

  private static float[] rowOf(float[][] m, String itemId) {
    try {
      int k = Integer.parseInt(itemId);
      return k >= 0 && k < m.length ? m[k] : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static float[][] npy(Path p) {
    return Files.exists(p) ? NpyReader.read(p) : null;
  }

  private static Path interFile(Path dir) {
    if (Files.isRegularFile(dir) && dir.toString().endsWith(".inter")) {
      return dir;
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> inters = s.filter(p -> p.toString().endsWith(".inter")).sorted().toList();
      if (inters.size() != 1) {
        throw new FacetException(dir + ": expected exactly one .inter file, found " + inters.size());
      }
      return inters.get(0);
    } catch (IOException e) {
      throw new FacetException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static double parseDouble(String s, Path file, int row) {
    try {
      return Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      throw new FacetException(file + " line " + (row + 2) + ": not a number '" + s + "'");
    }
  }

  /** One atomic file: names and types from the header, then raw rows. */
  private static final class Table {
    final String[] names;
    final String[] types;
    final List<String[]> rows = new ArrayList<>();

    private Table(String[] names, String[] types) {
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
        Table t = new Table(names, types);
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
        }
        return t;
      } catch (IOException e) {
        throw new FacetException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }

    int column(String name) {
      int c = optColumn(name);
      if (c < 0) {
        throw new FacetException("missing column " + name + " (have " + Arrays.toString(names) + ")");
      }
      return c;
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
