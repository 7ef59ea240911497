package dev.facet.catalog.image;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Turns an image file into the tensor the image encoders expect: decode (JPEG, PNG, WebP, BMP),
 * resize the shorter side to {@code size}, center-crop to {@code size × size}, BGR to RGB, ImageNet
 * normalization, channel-first layout.
 *
 * <p>A JPEG whose shorter side is at least twice {@code size} is decoded at 1/2, 1/4 or 1/8 scale by
 * libjpeg itself (the largest that still covers {@code size}), so a small encoder input (e.g. 112
 * pixels from a 256-pixel photo) does not pay for a full-size decode; {@link #verify} always
 * decodes at full size.
 *
 * <p>Inputs are checked before any pixel is decoded, against {@link ImageLimits} (by default those
 * of the system properties, see there): the file must be a regular file (never a FIFO or device),
 * non-empty and within the byte limit; every frame the header declares (each SOF marker of a JPEG,
 * not only the one a decoder happens to use) must have at most the side and pixel limits (so a
 * 30000×30000 header is refused without allocating its buffer), and the frame decoded at least
 * {@link #MIN_SIDE} per side; a JPEG must reach its end-of-image marker and a PNG its IEND chunk
 * (OpenCV would otherwise return a partially grey picture). The decoded size is checked again. The
 * minimum of 32 pixels is where a shorter side resized up to 224 stops carrying product detail —
 * such files are icons or tracking pixels, not photos.
 *
 * <p>Decodes run through one JVM-wide {@link DecodeGate}, so however many threads call in (ingest
 * workers, validation, parallel photo uploads), at most as many images as there are cores are
 * being decoded at once, and peak memory is bounded by that number times one capped decode.
 *
 * <p>Instances are immutable and thread-safe; every call works on its own native buffers. The
 * OpenCV natives are loaded once per JVM on first construction.
 */
public final class ImagePipeline {
  /** Input side of the ResNet encoders. */
  public static final int DEFAULT_SIZE = 224;
  /** ImageNet channel means, RGB order. */
  public static final float[] MEAN = {0.485f, 0.456f, 0.406f};
  /** ImageNet channel standard deviations, RGB order. */
  public static final float[] STD = {0.229f, 0.224f, 0.225f};
  /** Smallest accepted width or height, in pixels. */
  public static final int MIN_SIDE = 32;
  /** Default largest width or height, in pixels ({@link ImageLimits#DEFAULT_MAX_SIDE}). */
  public static final int MAX_SIDE = ImageLimits.DEFAULT_MAX_SIDE;
  /** Default largest width × height ({@link ImageLimits#DEFAULT_MAX_PIXELS}). */
  public static final long MAX_PIXELS = ImageLimits.DEFAULT_MAX_PIXELS;
  /** Default largest file, in bytes ({@link ImageLimits#DEFAULT_MAX_FILE_BYTES}). */
  public static final long MAX_FILE_BYTES = ImageLimits.DEFAULT_MAX_FILE_BYTES;

  private final int size;
  private final ImageLimits limits;
  private final DecodeGate gate;

  /**
   * A pipeline with the limits of the system properties ({@link ImageLimits#fromSystemProperties}).
   *
   * @param size output side in pixels, at least {@link #MIN_SIDE} and at most {@link #MAX_SIDE}
   */
  public ImagePipeline(int size) {
    this(size, ImageLimits.fromSystemProperties());
  }

  /**
   * @param size output side in pixels, at least {@link #MIN_SIDE} and at most {@link #MAX_SIDE}
   * @param limits what an image may declare, decode to and weigh
   */
  public ImagePipeline(int size, ImageLimits limits) {
    this(size, limits, DecodeGate.SHARED);
  }

  ImagePipeline(int size, ImageLimits limits, DecodeGate gate) {
    if (size < MIN_SIDE || size > MAX_SIDE) {
      throw new IllegalArgumentException("size must be in [" + MIN_SIDE + ", " + MAX_SIDE + "], got " + size);
    }
    this.size = size;
    this.limits = Objects.requireNonNull(limits, "limits");
    this.gate = Objects.requireNonNull(gate, "gate");
    OpenCvNatives.ensureLoaded();
  }

  /** Output side in pixels. */
  public int size() {
    return size;
  }

  /** The limits this pipeline applies. */
  public ImageLimits limits() {
    return limits;
  }

  DecodeGate gate() {
    return gate;
  }

  /**
   * Reads, decodes and normalizes {@code file}.
   *
   * @return {@code 3 * size * size} floats, channel-first RGB, ImageNet-normalized
   * @throws ImageRejectedException when the file is missing, empty, too large or not a usable image
   */
  public float[] loadChw(Path file) {
    return decodeChw(ImageFiles.read(file, limits.maxFileBytes()), file.toString());
  }

  /**
   * Decodes and normalizes an in-memory image.
   *
   * @param sourceName names the bytes in error messages (file name, upload name)
   * @return {@code 3 * size * size} floats, channel-first RGB, ImageNet-normalized
   * @throws ImageRejectedException when the bytes are empty, too large or not a usable image
   */
  public float[] decodeChw(byte[] bytes, String sourceName) {
    ImageHeader header = checkHeader(bytes, sourceName);
    return gate.run(sourceName, () -> {
      Mat bgr = decodeChecked(bytes, header, sourceName, size);
      try {
        return toChw(bgr);
      } finally {
        bgr.release();
      }
    });
  }

  /**
   * Checks that {@code file} passes every rejection rule and fully decodes, without building the
   * tensor. Used by catalog validation.
   *
   * @return width and height of the decoded image, in that order
   * @throws ImageRejectedException when it would be rejected by {@link #loadChw}
   */
  public int[] verify(Path file) {
    byte[] bytes = ImageFiles.read(file, limits.maxFileBytes());
    String source = file.toString();
    ImageHeader header = checkHeader(bytes, source);
    return gate.run(source, () -> {
      Mat bgr = decodeChecked(bytes, header, source, 0);
      try {
        return new int[] {bgr.cols(), bgr.rows()};
      } finally {
        bgr.release();
      }
    });
  }

  /**
   * Applies every check that needs no decoding: file type and size, format, completeness, and the
   * declared size of every frame. Costs one read of the file; used for the images an ingest does
   * not decode.
   *
   * @return width and height the header declares for the decoded frame
   * @throws ImageRejectedException when {@link #loadChw} would refuse the file before decoding
   */
  public int[] inspect(Path file) {
    ImageHeader header = checkHeader(ImageFiles.read(file, limits.maxFileBytes()), file.toString());
    return new int[] {header.width, header.height};
  }

  private ImageHeader checkHeader(byte[] bytes, String source) {
    if (bytes == null) {
      throw new ImageRejectedException(source, "empty file");
    }
    ImageFiles.checkLength(bytes.length, limits.maxFileBytes(), source);
    ImageHeader header = ImageHeader.parse(bytes, source);
    if (header.widestSide > limits.maxSide() || !limits.fits(header.largestWidth, header.largestHeight)) {
      String which = header.frames > 1 ? " by one of " + header.frames + " frame headers" : "";
      throw new ImageRejectedException(source, "image too large (declared " + header.largestWidth + "x" + header.largestHeight
          + which + ", " + limits.describe() + ")");
    }
    checkMinimum(header.width, header.height, source, "declared");
    return header;
  }

  /**
   * How far a JPEG of {@code width × height} may be scaled down inside the decoder (1, 2, 4 or 8)
   * while its shorter side stays at least {@code target}; 1 when {@code target} is 0 (full decode).
   * libjpeg scales in the DCT domain (it skips most of the inverse transform and the colour
   * conversion of the dropped pixels), which for small encoder inputs is several times cheaper than
   * decoding at full size and resizing. Package-private for tests.
   */
  static int jpegReduction(int width, int height, int target) {
    if (target <= 0) {
      return 1;
    }
    int shorter = Math.min(width, height);
    int factor = 1;
    while (factor < 8 && shorter / (factor * 2) >= target) {
      factor *= 2;
    }
    return factor;
  }

  private static int reducedColorFlag(int factor) {
    return switch (factor) {
      case 2 -> Imgcodecs.IMREAD_REDUCED_COLOR_2;
      case 4 -> Imgcodecs.IMREAD_REDUCED_COLOR_4;
      case 8 -> Imgcodecs.IMREAD_REDUCED_COLOR_8;
      default -> Imgcodecs.IMREAD_COLOR;
    };
  }

  /**
   * Decodes bytes whose header passed {@link #checkHeader}; runs inside the decode gate.
   *
   * @param target shorter side the caller will resize to; JPEGs are decoded at the smallest libjpeg
   *     scale that still covers it, 0 for a full-size decode
   */
  private Mat decodeChecked(byte[] bytes, ImageHeader header, String source, int target) {
    int reduction = header.format == ImageFormat.JPEG ? jpegReduction(header.width, header.height, target) : 1;
    int flag = readFlag(header, reduction);
    MatOfByte buffer = new MatOfByte(bytes);
    Mat bgr;
    try {
      bgr = Imgcodecs.imdecode(buffer, flag);
    } finally {
      buffer.release();
    }
    if (flag == Imgcodecs.IMREAD_UNCHANGED) {
      bgr = toBgr8(bgr);
    }
    if (bgr == null || bgr.empty()) {
      if (bgr != null) {
        bgr.release();
      }
      throw new ImageRejectedException(source, "corrupt " + header.format + " (decoder failed)");
    }
    try {
      checkDecoded(bgr, header, source, reduction, target);
    } catch (ImageRejectedException e) {
      bgr.release();
      throw e;
    }
    return bgr;
  }

  /**
   * JPEG has no alpha but may carry an EXIF orientation, which IMREAD_COLOR (and the reduced modes)
   * apply. PNG and WebP cut-outs often have a transparent background: read them unchanged and
   * flatten on white, as a shop page shows them, instead of letting the decoder drop alpha onto
   * black. A PNG that cannot carry alpha is read straight to 8-bit BGR, which spares the 16-bit
   * buffer and the conversion copies.
   */
  private static int readFlag(ImageHeader header, int reduction) {
    if (header.format == ImageFormat.JPEG) {
      return reducedColorFlag(reduction);
    }
    return header.mayHaveAlpha ? Imgcodecs.IMREAD_UNCHANGED : Imgcodecs.IMREAD_COLOR;
  }

  /** The decoded size against the limits and the header: a decoder never gets past what was checked. */
  private void checkDecoded(Mat bgr, ImageHeader header, String source, int reduction, int target) {
    // Sides compared sorted: an EXIF orientation turns the frame. libjpeg rounds a reduced size up,
    // so a reduced decode may exceed the header by less than the factor.
    long longer = (long) Math.max(bgr.cols(), bgr.rows()) * reduction;
    long shorter = (long) Math.min(bgr.cols(), bgr.rows()) * reduction;
    boolean overHeader = longer >= (long) Math.max(header.largestWidth, header.largestHeight) + reduction
        || shorter >= (long) Math.min(header.largestWidth, header.largestHeight) + reduction;
    if (overHeader || !limits.fits(bgr.cols(), bgr.rows())) {
      throw new ImageRejectedException(source, "image too large (decoded " + bgr.cols() + "x" + bgr.rows()
          + (reduction > 1 ? " at 1/" + reduction + " scale" : "") + ", header declares " + header.width + "x" + header.height
          + ", " + limits.describe() + ")");
    }
    if (reduction == 1) {
      checkMinimum(bgr.cols(), bgr.rows(), source, "decoded");
    } else if (Math.min(bgr.cols(), bgr.rows()) < target) {
      // The declared size passed every limit; a reduced decode that does not cover the target
      // means the stream disagrees with its header.
      throw new ImageRejectedException(source, "corrupt " + header.format + " (decoded " + bgr.cols() + "x" + bgr.rows()
          + " at 1/" + reduction + " scale, header declares " + header.width + "x" + header.height + ")");
    }
  }

  /** Converts any decoded layout (grey, BGR, BGRA; 8 or 16 bit) to 8-bit BGR, releasing the input. */
  private static Mat toBgr8(Mat decoded) {
    if (decoded == null || decoded.empty()) {
      return decoded;
    }
    Mat m = decoded;
    if (m.depth() != CvType.CV_8U) {
      Mat eight = new Mat();
      double scale = m.depth() == CvType.CV_16U ? 1.0 / 257.0 : m.depth() == CvType.CV_32F ? 255.0 : 1.0;
      m.convertTo(eight, CvType.CV_8U, scale);
      m.release();
      m = eight;
    }
    Mat out = new Mat();
    switch (m.channels()) {
      case 1 -> Imgproc.cvtColor(m, out, Imgproc.COLOR_GRAY2BGR);
      case 3 -> m.copyTo(out);
      case 4 -> flattenOnWhite(m, out);
      default -> {
        m.release();
        out.release();
        return new Mat();
      }
    }
    m.release();
    return out;
  }

  /**
   * Composites BGRA on white into {@code out}, a band of rows at a time, so that the Java buffers
   * stay near a megabyte whatever the image size.
   */
  static void flattenOnWhite(Mat bgra, Mat out) {
    int w = bgra.cols();
    int h = bgra.rows();
    out.create(h, w, CvType.CV_8UC3);
    int band = Math.max(1, (1 << 20) / (4 * w));
    byte[] src = new byte[Math.min(h, band) * w * 4];
    byte[] dst = new byte[Math.min(h, band) * w * 3];
    for (int y = 0; y < h; y += band) {
      int rows = Math.min(band, h - y);
      int pixels = rows * w;
      Mat in = bgra.rowRange(y, y + rows);
      try {
        in.get(0, 0, src);
      } finally {
        in.release();
      }
      for (int p = 0, i = 0, o = 0; p < pixels; p++, i += 4, o += 3) {
        int a = src[i + 3] & 0xFF;
        int white = 255 * (255 - a);
        dst[o] = (byte) (((src[i] & 0xFF) * a + white + 127) / 255);
        dst[o + 1] = (byte) (((src[i + 1] & 0xFF) * a + white + 127) / 255);
        dst[o + 2] = (byte) (((src[i + 2] & 0xFF) * a + white + 127) / 255);
      }
      out.put(y, 0, rows == band ? dst : Arrays.copyOf(dst, pixels * 3));
    }
  }

  private static void checkMinimum(int w, int h, String source, String what) {
    if (w < MIN_SIDE || h < MIN_SIDE) {
      throw new ImageRejectedException(source, "image too small (" + what + " " + w + "x" + h + ", minimum side " + MIN_SIDE + ")");
    }
  }

  private float[] toChw(Mat bgr) {
    int w = bgr.cols();
    int h = bgr.rows();
    double scale = (double) size / Math.min(w, h);
    // Round, then never let rounding drop a side under the crop size.
    int rw = Math.max(size, (int) Math.round(w * scale));
    int rh = Math.max(size, (int) Math.round(h * scale));
    Mat resized = new Mat();
    try {
      // Down to half size every output pixel's bilinear footprint still covers its source area, so
      // bilinear is close to area averaging at a quarter of its cost (0.02 vs 0.085 ms for 128→80,
      // a fifth of a photo's preparation). A reduced JPEG decode always leaves a factor under two;
      // larger factors (PNG, WebP, huge JPEGs) keep INTER_AREA, where bilinear would skip pixels.
      int interpolation = scale < 0.5 ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR;
      Imgproc.resize(bgr, resized, new Size(rw, rh), 0, 0, interpolation);
      int x = (rw - size) / 2;
      int y = (rh - size) / 2;
      byte[] pixels = new byte[size * size * 3];
      if (rw == size && rh == size) {
        resized.get(0, 0, pixels);
      } else {
        // Row-wise copy straight out of the crop window: no cloned intermediate Mat.
        Mat crop = resized.submat(new Rect(x, y, size, size));
        try {
          crop.get(0, 0, pixels);
        } finally {
          crop.release();
        }
      }
      return normalize(pixels, size);
    } finally {
      resized.release();
    }
  }

  /** Interleaved BGR bytes to planar, normalized RGB. Package-private for tests. */
  static float[] normalize(byte[] bgr, int size) {
    int plane = size * size;
    float[] out = new float[3 * plane];
    float[] inv = {1f / (255f * STD[0]), 1f / (255f * STD[1]), 1f / (255f * STD[2])};
    float[] off = {MEAN[0] / STD[0], MEAN[1] / STD[1], MEAN[2] / STD[2]};
    for (int p = 0, i = 0; p < plane; p++, i += 3) {
      int b = bgr[i] & 0xFF;
      int g = bgr[i + 1] & 0xFF;
      int r = bgr[i + 2] & 0xFF;
      out[p] = r * inv[0] - off[0];
      out[plane + p] = g * inv[1] - off[1];
      out[2 * plane + p] = b * inv[2] - off[2];
    }
    return out;
  }
}
