package dev.facet.catalog;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Outcome of reading one catalog file.
 *
 * @param file the file read
 * @param format {@code jsonl}, {@code csv} or {@code taobao-csv}
 * @param accepted records handed to the accepting consumer
 * @param rejected records handed to the rejecting consumer
 * @param elapsed wall time of the read
 */
public record ReadReport(Path file, String format, long accepted, long rejected, Duration elapsed) {
  /** Records seen (blank lines are not records). */
  public long records() {
    return accepted + rejected;
  }
}
