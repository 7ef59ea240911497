package dev.facet.model;

import dev.facet.core.FacetException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a 2-D NumPy {@code .npy} matrix of float32 or float64 (C order) into rows of floats. */
final class NpyReader {
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=]?)(f4|f8)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,?\\s*\\)");

  private NpyReader() {}

  static float[][] read(Path file) {
    try {
      return parse(Files.readAllBytes(file), file.toString());
    } catch (IOException e) {
      throw new FacetException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  static float[][] parse(byte[] bytes, String name) {
    if (bytes.length < 10 || (bytes[0] & 0xff) != 0x93 || bytes[1] != 'N' || bytes[2] != 'U') {
      throw new FacetException(name + ": not a .npy file");
    }
    int major = bytes[6];
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int headerLen;
    int offset;
    if (major == 1) {
      headerLen = buf.getShort(8) & 0xffff;
      offset = 10;
    } else {
      headerLen = buf.getInt(8);
      offset = 12;
    }
    String header = new String(bytes, offset, headerLen, StandardCharsets.ISO_8859_1);
    Matcher d = DESCR.matcher(header);
    Matcher f = FORTRAN.matcher(header);
    Matcher s = SHAPE.matcher(header);
    if (!d.find() || !f.find() || !s.find()) {
      throw new FacetException(name + ": unsupported .npy header (need a 2-D f4/f8 matrix): " + header.trim());
    }
    if (f.group(1).equals("True")) {
      throw new FacetException(name + ": Fortran-order .npy is not supported");
    }
    ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    boolean f8 = d.group(2).equals("f8");
    int rows = Integer.parseInt(s.group(1));
    int cols = Integer.parseInt(s.group(2));
    int data = offset + headerLen;
    long need = (long) rows * cols * (f8 ? 8 : 4);
    if (bytes.length - data < need) {
      throw new FacetException(name + ": truncated, expected " + need + " data bytes");
    }
    ByteBuffer body = ByteBuffer.wrap(bytes, data, bytes.length - data).slice().order(order);
    float[][] out = new float[rows][cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        out[r][c] = f8 ? (float) body.getDouble() : body.getFloat();
      }
    }
    return out;
  }
}
