package dev.facet.catalog;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.facet.core.FacetException;
import dev.facet.core.RecordError;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Writes rejected records to {@code rejects.jsonl}, one JSON object per line with the keys {@code
 * file}, {@code line}, {@code id}, {@code field}, {@code reason} (null when unknown). Thread-safe, so
 * parallel ingestion workers can share one writer.
 */
public final class RejectLogWriter implements Consumer<RecordError>, Closeable {
  private static final JsonFactory JSON = new JsonFactory();

  private final Path file;
  private final OutputStream out;
  private final JsonGenerator json;
  private long count;

  private RejectLogWriter(Path file) throws IOException {
    this.file = file;
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    this.out = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
    this.json = JSON.createGenerator(out, JsonEncoding.UTF8);
    this.json.setRootValueSeparator(null);
  }

  /** Creates (or truncates) {@code file}, creating parent directories as needed. */
  public static RejectLogWriter open(Path file) {
    try {
      return new RejectLogWriter(file);
    } catch (IOException e) {
      throw new FacetException("cannot write rejects to " + file + ": " + e.getMessage(), e);
    }
  }

  /** Appends one reject. */
  @Override
  public synchronized void accept(RecordError error) {
    try {
      json.writeStartObject();
      json.writeStringField("file", error.file());
      json.writeNumberField("line", error.line());
      json.writeStringField("id", error.recordId());
      json.writeStringField("field", error.field());
      json.writeStringField("reason", error.reason());
      json.writeEndObject();
      json.writeRaw('\n');
      count++;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to " + file, e);
    }
  }

  /** Rejects written so far. */
  public synchronized long count() {
    return count;
  }

  /** The file written. */
  public Path file() {
    return file;
  }

  @Override
  public synchronized void close() throws IOException {
    json.close();
    out.close();
  }
}
