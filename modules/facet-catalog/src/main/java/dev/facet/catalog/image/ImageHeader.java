package dev.facet.catalog.image;

/**
 * Width and height read from an image's header without decoding pixels, plus the structural
 * completeness checks that decoders skip. OpenCV happily decodes a truncated JPEG and fills the
 * missing part with grey, and it would allocate whatever a (possibly hostile) header declares, so
 * both checks happen here, on the raw bytes, before any decoding.
 */
final class ImageHeader {
  final ImageFormat format;
  final int width;
  final int height;

  private ImageHeader(ImageFormat format, int width, int height) {
    this.format = format;
    this.width = width;
    this.height = height;
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
    return new ImageHeader(ImageFormat.PNG, clamp(w), clamp(h));
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
    int width = -1;
    int height = -1;
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
        if (!sawScan || width < 0) {
          throw new ImageRejectedException(source, "corrupt JPEG (end-of-image before any scan)");
        }
        return new ImageHeader(ImageFormat.JPEG, width, height);
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
        height = be16(b, i + 3);
        width = be16(b, i + 5);
        if (height == 0) {
          // A zero height means "defined by a later DNL marker"; rare, and not worth supporting.
          throw new ImageRejectedException(source, "unsupported JPEG (height defined by DNL)");
        }
      }
      i += len;
      if (marker == 0xDA) {
        sawScan = true;
        i = skipEntropyCoded(b, i);
      }
    }
    throw new ImageRejectedException(source, "truncated JPEG (no end-of-image marker)");
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
        yield new ImageHeader(ImageFormat.WEBP, le16(b, 26) & 0x3FFF, le16(b, 28) & 0x3FFF);
      }
      case "VP8L" -> {
        if (ImageFormat.u8(b, 20) != 0x2F) {
          throw new ImageRejectedException(source, "corrupt WebP (bad VP8L signature)");
        }
        long bits = le32(b, 21);
        yield new ImageHeader(ImageFormat.WEBP, (int) (bits & 0x3FFF) + 1, (int) ((bits >> 14) & 0x3FFF) + 1);
      }
      case "VP8X" -> new ImageHeader(ImageFormat.WEBP, le24(b, 24) + 1, le24(b, 27) + 1);
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
    return new ImageHeader(ImageFormat.BMP, clamp(w), clamp(h));
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
