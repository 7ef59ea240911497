package dev.facet.catalog.image;

/**
 * The limits every image is held to before and after decoding, catalog images and uploaded photos
 * alike. They bound what one decode may allocate: a header may declare any size, and a few
 * kilobytes of compressed data can expand to gigabytes of pixels.
 *
 * <p>Defaults: {@value #DEFAULT_MAX_PIXELS} pixels (a 16-bit RGBA PNG at that size still decodes to
 * 320 MB), {@value #DEFAULT_MAX_SIDE} pixels per side, {@value #DEFAULT_MAX_FILE_BYTES} bytes per
 * file. A JVM overrides them with the system properties {@value #MAX_PIXELS_PROPERTY}, {@value
 * #MAX_SIDE_PROPERTY} and {@value #MAX_FILE_BYTES_PROPERTY} (the CLI sets the first from {@code
 * --max-image-pixels}).
 *
 * @param maxPixels largest width × height of any frame an image declares or decodes to
 * @param maxSide largest width or height
 * @param maxFileBytes largest file or upload, in bytes
 */
public record ImageLimits(long maxPixels, int maxSide, long maxFileBytes) {
  public static final long DEFAULT_MAX_PIXELS = 40_000_000L;
  public static final int DEFAULT_MAX_SIDE = 8000;
  public static final long DEFAULT_MAX_FILE_BYTES = 20L * 1024 * 1024;
  public static final String MAX_PIXELS_PROPERTY = "facet.image.maxPixels";
  public static final String MAX_SIDE_PROPERTY = "facet.image.maxSide";
  public static final String MAX_FILE_BYTES_PROPERTY = "facet.image.maxFileBytes";

  public ImageLimits {
    long smallest = (long) ImagePipeline.MIN_SIDE * ImagePipeline.MIN_SIDE;
    if (maxPixels < smallest || maxSide < ImagePipeline.MIN_SIDE || maxFileBytes < 1) {
      throw new IllegalArgumentException("image limits must allow a " + ImagePipeline.MIN_SIDE + "x" + ImagePipeline.MIN_SIDE
          + " image: got maxPixels " + maxPixels + ", maxSide " + maxSide + ", maxFileBytes " + maxFileBytes);
    }
  }

  /** The documented defaults, whatever the system properties say. */
  public static ImageLimits defaults() {
    return new ImageLimits(DEFAULT_MAX_PIXELS, DEFAULT_MAX_SIDE, DEFAULT_MAX_FILE_BYTES);
  }

  /** The defaults, each overridden by its system property when set. */
  public static ImageLimits fromSystemProperties() {
    return new ImageLimits(property(MAX_PIXELS_PROPERTY, DEFAULT_MAX_PIXELS),
        Math.toIntExact(property(MAX_SIDE_PROPERTY, DEFAULT_MAX_SIDE)), property(MAX_FILE_BYTES_PROPERTY, DEFAULT_MAX_FILE_BYTES));
  }

  private static long property(String name, long fallback) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      long parsed = Long.parseLong(value.trim().replace("_", ""));
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below with the property's name
    }
    throw new IllegalArgumentException("system property " + name + " must be a positive whole number, got '" + value + "'");
  }

  /** True when a frame of {@code width × height} fits. */
  boolean fits(long width, long height) {
    return width <= maxSide && height <= maxSide && width * height <= maxPixels;
  }

  /** The limits as a phrase for reject reasons. */
  String describe() {
    return "limits " + maxSide + " px per side and " + maxPixels + " pixels";
  }
}
