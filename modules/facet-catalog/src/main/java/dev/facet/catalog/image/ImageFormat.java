package dev.facet.catalog.image;

/** Container formats the pipeline accepts; recognised by magic bytes, never by file name. */
enum ImageFormat {
  JPEG,
  PNG,
  WEBP,
  BMP;

  /** Returns the format of {@code b}, or null when the bytes start like none of them. */
  static ImageFormat sniff(byte[] b) {
    if (b.length >= 3 && u8(b, 0) == 0xFF && u8(b, 1) == 0xD8 && u8(b, 2) == 0xFF) {
      return JPEG;
    }
    if (b.length >= 8 && u8(b, 0) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
        && b[4] == '\r' && b[5] == '\n' && u8(b, 6) == 0x1A && b[7] == '\n') {
      return PNG;
    }
    if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F'
        && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
      return WEBP;
    }
    if (b.length >= 2 && b[0] == 'B' && b[1] == 'M') {
      return BMP;
    }
    return null;
  }

  static int u8(byte[] b, int i) {
    return b[i] & 0xFF;
  }
}
