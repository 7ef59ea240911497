package dev.facet.core;

/**
 * A rejected input record: where it was, which field was wrong and why. Written one per line to
 * {@code rejects.jsonl} and counted in run reports.
 *
 * @param file source file (as given by the user)
 * @param line 1-based line number in the file, or 0 when not line-oriented
 * @param recordId id of the record when it could be read, else null
 * @param field offending field name, or null when the whole record is unreadable
 * @param reason what is wrong, in words
 */
public record RecordError(String file, long line, String recordId, String field, String reason) {
  @Override
  public String toString() {
    return file + ":" + line + (recordId == null ? "" : " [" + recordId + "]")
        + (field == null ? "" : " field '" + field + "'") + ": " + reason;
  }
}
