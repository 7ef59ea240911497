package dev.facet.catalog.image;

import dev.facet.core.FacetException;
import java.util.Objects;

/**
 * An image that the pipeline refuses to decode or normalize. The {@link #reason()} is a short,
 * stable phrase (for example {@code "truncated JPEG (no end-of-image marker)"}) meant for
 * {@code rejects.jsonl}; the message additionally names the source.
 */
public final class ImageRejectedException extends FacetException {
  private static final long serialVersionUID = 1L;
  private final String source;
  private final String reason;

  public ImageRejectedException(String source, String reason) {
    super("image " + source + " rejected: " + reason);
    this.source = source;
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public ImageRejectedException(String source, String reason, Throwable cause) {
    super("image " + source + " rejected: " + reason, cause);
    this.source = source;
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** Why the image was rejected, without the source name. */
  public String reason() {
    return reason;
  }

  /** The file path or name the bytes came from. */
  public String source() {
    return source;
  }
}
