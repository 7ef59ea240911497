package dev.facet.catalog.image;

/**
 * Width and height read from an image's header without decoding pixels, plus the structural
 * completeness checks that decoders skip. OpenCV happily decodes a truncated JPEG and fills the
 * missing part with grey, and it would allocate whatever a (possibly hostile) header declares, so
 * both checks happen here, on the raw bytes, before any decoding.
 *
 * <p>A JPEG may hold several frame headers (SOF markers); libjpeg decodes the first while a parser
 * keeping the last would see another size, so {@link #width}/{@link #height} are the first frame's
 * and {@link #largestWidth}/{@link #largestHeight} the largest frame's: limits apply to the latter.
 */
final class ImageHeader {
  final ImageFormat format;
  /** Size of the frame the decoder decodes. */
  final int width;
  final int height;
  /** Size of the frame with the most pixels, over every frame header in the file. */
  final int largestWidth;
  final int largestHeight;
  /** Largest width and height over every frame header, possibly of different frames. */
  final int widestSide;
  /** Frame headers seen (1 except for JPEGs with several SOF markers). */
  final int frames;
  /** False only when the format cannot carry transparency in this file (PNG without alpha or tRNS). */
  final boolean mayHaveAlpha;

  private ImageHeader(ImageFormat format, int width, int height, boolean mayHaveAlpha) {
    this(format, width, height, width, height, Math.max(width, height), 1, mayHaveAlpha);
  }

  private ImageHeader(ImageFormat format, int width, int height, int largestWidth, int largestHeight, int widestSide,
      int frames, boolean mayHaveAlpha) {
    this.format = format;
    this.width = width;
    this.height = height;
    this.largestWidth = largestWidth;
    this.largestHeight = largestHeight;
    this.widestSide = widestSide;
    this.frames = frames;
    this.mayHaveAlpha = mayHaveAlpha;
  }

  /**
   * Parses the header of {@code b}.
   *
   * @throws ImageRejectedException when the bytes are not a supported image, the header is
   *     unreadable, or the data is visibly incomplete
   */
  static ImageHeader parse(byte[] b, String source) {
    ImageFormat format = ImageFormat.sniff(b);
    if (format == null) {
      throw new ImageRejectedException(source, "not an image (unrecognised content, expected JPEG, PNG, WebP or BMP)");
    }
    return switch (format) {
      case JPEG -> jpeg(b, source);
      case PNG -> png(b, source);
      case WEBP -> webp(b, source);
      case BMP -> bmp(b, source);
    };
  }

  private static ImageHeader png(byte[] b, String source) {
    // Signature (8) + IHDR length (4) + "IHDR" (4) + width (4) + height (4).
    if (b.length < 24 || b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
      throw new ImageRejectedException(source, "corrupt PNG (no IHDR header)");
    }
    long w = be32(b, 16);
    long h = be32(b, 20);
    if (!endsWithIend(b)) {
      throw new ImageRejectedException(source, "truncated PNG (no IEND chunk)");
    }
    return new ImageHeader(ImageFormat.PNG, clamp(w), clamp(h), pngMayHaveAlpha(b));
  }

  /** Colour types 4 and 6 carry alpha; any type may add it with a tRNS chunk before the image data. */
  private static boolean pngMayHaveAlpha(byte[] b) {
    int colorType = b.length > 25 ? ImageFormat.u8(b, 25) : 6;
    if (colorType == 4 || colorType == 6) {
      return true;
    }
    int i = 8;
    while (i + 8 <= b.length) {
      long length = be32(b, i);
      String type = new String(b, i + 4, 4, java.nio.charset.StandardCharsets.US_ASCII);
      if (type.equals("tRNS")) {
        return true;
      }
      if (type.equals("IDAT") || type.equals("IEND") || length > b.length) {
        return false;
      }
      i += 12 + (int) length;
    }
    return false;
  }

  private static boolean endsWithIend(byte[] b) {
    // IEND is the last chunk: length 0, type "IEND", 4-byte CRC. Tolerate trailing garbage by
    // searching the tail only.
    int from = Math.max(8, b.length - 1024);
    for (int i = b.length - 8; i >= from; i--) {
      if (b[i] == 'I' && b[i + 1] == 'E' && b[i + 2] == 'N' && b[i + 3] == 'D') {
        return true;
      }
    }
    return false;
  }

  private static ImageHeader jpeg(byte[] b, String source) {
    JpegFrames frames = new JpegFrames();
    int i = 2;
    boolean sawScan = false;
    while (i < b.length) {
      // Markers may be preceded by any number of 0xFF fill bytes.
      if (ImageFormat.u8(b, i) != 0xFF) {
        throw new ImageRejectedException(source, "corrupt JPEG (bad marker at byte " + i + ")");
      }
      while (i < b.length && ImageFormat.u8(b, i) == 0xFF) {
        i++;
      }
      if (i >= b.length) {
        break;
      }
      int marker = ImageFormat.u8(b, i++);
      if (marker == 0xD9) {
        if (!sawScan || frames.count == 0) {
          throw new ImageRejectedException(source, "corrupt JPEG (end-of-image before any scan)");
        }
        return frames.header();
      }
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        continue; // stand-alone markers without a length
      }
      if (i + 2 > b.length) {
        break;
      }
      int len = be16(b, i);
      if (len < 2) {
        throw new ImageRejectedException(source, "corrupt JPEG (segment length " + len + ")");
      }
      boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
      if (sof) {
        if (i + 7 > b.length) {
          break;
        }
        int height = be16(b, i + 3);
        if (height == 0) {
          // A zero height means "defined by a later DNL marker"; rare, and not worth supporting.
          throw new ImageRejectedException(source, "unsupported JPEG (height defined by DNL)");
        }
        frames.add(be16(b, i + 5), height);
      }
      i += len;
      if (marker == 0xDA) {
        sawScan = true;
        i = skipEntropyCoded(b, i);
      }
    }
    throw new ImageRejectedException(source, "truncated JPEG (no end-of-image marker)");
  }

  /** The frame headers (SOF markers) of one JPEG, in file order. */
  private static final class JpegFrames {
    int count;
    int firstWidth;
    int firstHeight;
    int largestWidth;
    int largestHeight;
    int widestSide;

    void add(int width, int height) {
      if (count++ == 0) {
        firstWidth = width;
        firstHeight = height;
      }
      if ((long) width * height > (long) largestWidth * largestHeight) {
        largestWidth = width;
        largestHeight = height;
      }
      widestSide = Math.max(widestSide, Math.max(width, height));
    }

    ImageHeader header() {
      return new ImageHeader(ImageFormat.JPEG, firstWidth, firstHeight, largestWidth, largestHeight, widestSide, count, false);
    }
  }

  /** Returns the index of the 0xFF that starts the next real marker after entropy-coded data. */
  private static int skipEntropyCoded(byte[] b, int i) {
    while (i + 1 < b.length) {
      if (ImageFormat.u8(b, i) == 0xFF) {
        int next = ImageFormat.u8(b, i + 1);
        // 0xFF00 is a stuffed data byte, 0xFFD0..D7 are restart markers inside the scan, 0xFFFF fill.
        if (next != 0x00 && !(next >= 0xD0 && next <= 0xD7) && next != 0xFF) {
          return i;
        }
        i += (next == 0xFF) ? 1 : 2;
      } else {
        i++;
      }
    }
    return b.length;
  }

  private static ImageHeader webp(byte[] b, String source) {
    if (b.length < 30) {
      throw new ImageRejectedException(source, "truncated WebP (header incomplete)");
    }
    long riffSize = le32(b, 4);
    if (riffSize + 8 > b.length) {
      throw new ImageRejectedException(source, "truncated WebP (RIFF size " + (riffSize + 8) + " > file size " + b.length + ")");
    }
    String chunk = new String(b, 12, 4, java.nio.charset.StandardCharsets.US_ASCII);
    return switch (chunk) {
      case "VP8 " -> {
        // Frame tag (3) + start code 9D 01 2A, then 14-bit width and height.
        if (ImageFormat.u8(b, 23) != 0x9D || ImageFormat.u8(b, 24) != 0x01 || ImageFormat.u8(b, 25) != 0x2A) {
          throw new ImageRejectedException(source, "corrupt WebP (bad VP8 start code)");
        }
        yield new ImageHeader(ImageFormat.WEBP, le16(b, 26) & 0x3FFF, le16(b, 28) & 0x3FFF, true);
      }
      case "VP8L" -> {
        if (ImageFormat.u8(b, 20) != 0x2F) {
          throw new ImageRejectedException(source, "corrupt WebP (bad VP8L signature)");
        }
        long bits = le32(b, 21);
        yield new ImageHeader(ImageFormat.WEBP, (int) (bits & 0x3FFF) + 1, (int) ((bits >> 14) & 0x3FFF) + 1, true);
      }
      case "VP8X" -> new ImageHeader(ImageFormat.WEBP, le24(b, 24) + 1, le24(b, 27) + 1, true);
      default -> throw new ImageRejectedException(source, "corrupt WebP (unknown chunk '" + chunk + "')");
    };
  }

  private static ImageHeader bmp(byte[] b, String source) {
    if (b.length < 26) {
      throw new ImageRejectedException(source, "truncated BMP (header incomplete)");
    }
    long declared = le32(b, 2);
    if (declared > b.length) {
      throw new ImageRejectedException(source, "truncated BMP (declared " + declared + " bytes, file has " + b.length + ")");
    }
    long w = (int) le32(b, 18);
    long h = Math.abs((int) le32(b, 22)); // negative height = top-down rows
    return new ImageHeader(ImageFormat.BMP, clamp(w), clamp(h), true);
  }

  private static int clamp(long v) {
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, v));
  }

  private static int be16(byte[] b, int i) {
    return (ImageFormat.u8(b, i) << 8) | ImageFormat.u8(b, i + 1);
  }

  private static long be32(byte[] b, int i) {
    return ((long) be16(b, i) << 16) | be16(b, i + 2);
  }

  private static int le16(byte[] b, int i) {
    return ImageFormat.u8(b, i) | (ImageFormat.u8(b, i + 1) << 8);
  }

  private static int le24(byte[] b, int i) {
    return le16(b, i) | (ImageFormat.u8(b, i + 2) << 16);
  }

  private static long le32(byte[] b, int i) {
    return le16(b, i) | ((long) le16(b, i + 2) << 16);
  }
}
