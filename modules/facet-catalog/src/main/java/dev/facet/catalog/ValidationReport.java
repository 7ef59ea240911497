package dev.facet.catalog;

import dev.facet.core.RecordError;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Outcome of {@link CatalogReader#validate}: one {@link ReadReport} per file found (null when the
 * file is absent) and the rejects grouped by {@link #reasonKey(RecordError) reason}.
 *
 * @param files the files validated
 * @param listings listings outcome, or null
 * @param interactions interactions outcome, or null
 * @param users user profiles outcome, or null
 * @param rejectsByReason reject counts by reason key; iterates most frequent first (ties by key)
 * @param interactionsWithUnknownItem accepted interactions whose item is not an accepted listing
 *     (0 when there is no listings file); not rejects, since the listing may arrive later
 * @param imagesChecked whether every listing image was decoded
 * @param rejectsFile where the rejects were written, or null
 * @param elapsed wall time of the whole validation
 */
public record ValidationReport(
    CatalogFiles files,
    ReadReport listings,
    ReadReport interactions,
    ReadReport users,
    Map<String, Long> rejectsByReason,
    long interactionsWithUnknownItem,
    boolean imagesChecked,
    Path rejectsFile,
    Duration elapsed) {

  public ValidationReport {
    Map<String, Long> sorted = new LinkedHashMap<>();
    rejectsByReason.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    rejectsByReason = Collections.unmodifiableMap(sorted);
  }

  /** Accepted records over all files. */
  public long accepted() {
    return count(listings, true) + count(interactions, true) + count(users, true);
  }

  /** Rejected records over all files. */
  public long rejected() {
    return count(listings, false) + count(interactions, false) + count(users, false);
  }

  /** False when no file yielded a single accepted record; the CLI then exits non-zero. */
  public boolean usable() {
    return accepted() > 0;
  }

  private static long count(ReadReport r, boolean accepted) {
    return r == null ? 0 : accepted ? r.accepted() : r.rejected();
  }

  /**
   * Groups rejects: the field plus the reason up to its first {@code ':'} or {@code '('}, so
   * {@code "absurd price: 2.0E7 > 10000000"} and {@code "absurd price: 3.0E8 > 10000000"} count
   * together while the details stay in {@code rejects.jsonl}.
   */
  public static String reasonKey(RecordError error) {
    String reason = error.reason() == null ? "" : error.reason();
    int cut = reason.length();
    int colon = reason.indexOf(':');
    int paren = reason.indexOf('(');
    if (colon >= 0) {
      cut = colon;
    }
    if (paren >= 0 && paren < cut) {
      cut = paren;
    }
    String head = reason.substring(0, cut).trim();
    return error.field() == null ? head : error.field() + ": " + head;
  }

  /** A few lines for humans: counts per file, top reject reasons, time. */
  public String summary() {
    StringBuilder sb = new StringBuilder();
    sb.append("catalog ").append(files.dir()).append('\n');
    line(sb, "listings", listings);
    line(sb, "interactions", interactions);
    line(sb, "users", users);
    if (interactionsWithUnknownItem > 0) {
      sb.append(String.format(Locale.ROOT, "  %,d interactions name an item that is not an accepted listing%n", interactionsWithUnknownItem));
    }
    sb.append("  images ").append(imagesChecked ? "decoded and checked" : "not checked (use image checks to decode them)").append('\n');
    if (!rejectsByReason.isEmpty()) {
      sb.append("  rejects by reason:\n");
      rejectsByReason.entrySet()
          .forEach(e -> sb.append(String.format(Locale.ROOT, "    %,8d  %s%n", e.getValue(), e.getKey())));
    }
    if (rejectsFile != null && rejected() > 0) {
      sb.append("  rejects written to ").append(rejectsFile).append('\n');
    }
    sb.append(String.format(Locale.ROOT, "  %,d accepted, %,d rejected in %.1f s%n", accepted(), rejected(), elapsed.toMillis() / 1000.0));
    return sb.toString();
  }

  private static void line(StringBuilder sb, String kind, ReadReport r) {
    if (r != null) {
      sb.append(String.format(Locale.ROOT, "  %-12s %s (%s): %,d accepted, %,d rejected%n", kind,
          r.file().getFileName(), r.format(), r.accepted(), r.rejected()));
    }
  }
}
