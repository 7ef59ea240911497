package dev.facet.catalog.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
 * <p>Inputs are checked before any pixel is decoded: the file must exist, be non-empty and at most
 * {@link #MAX_FILE_BYTES}; the header must declare at least {@link #MIN_SIDE} and at most
 * {@link #MAX_SIDE} pixels per side and at most {@link #MAX_PIXELS} pixels (so a 20000×20000
 * header is refused without allocating its buffer); a JPEG must reach its end-of-image marker and a
 * PNG its IEND chunk (OpenCV would otherwise return a partially grey picture). The minimum of 32
 * pixels is where a shorter side resized up to 224 stops carrying product detail — such files are
 * icons or tracking pixels, not photos.
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
  /** Largest accepted width or height, in pixels. */
  public static final int MAX_SIDE = 8000;
  /** Largest accepted width × height. */
  public static final long MAX_PIXELS = 40_000_000L;
  /** Largest accepted file, in bytes. */
  public static final long MAX_FILE_BYTES = 20L * 1024 * 1024;

  private final int size;

  /**
   * @param size output side in pixels, at least {@link #MIN_SIDE} and at most {@link #MAX_SIDE}
   */
  public ImagePipeline(int size) {
    if (size < MIN_SIDE || size > MAX_SIDE) {
      throw new IllegalArgumentException("size must be in [" + MIN_SIDE + ", " + MAX_SIDE + "], got " + size);
    }
    this.size = size;
    OpenCvNatives.ensureLoaded();
  }

  /** Output side in pixels. */
  public int size() {
    return size;
  }

  /**
   * Reads, decodes and normalizes {@code file}.
   *
   * @return {@code 3 * size * size} floats, channel-first RGB, ImageNet-normalized
   * @throws ImageRejectedException when the file is missing, empty, too large or not a usable image
   */
  public float[] loadChw(Path file) {
    return decodeChw(readChecked(file), file.toString());
  }

  /**
   * Decodes and normalizes an in-memory image.
   *
   * @param sourceName names the bytes in error messages (file name, upload name)
   * @return {@code 3 * size * size} floats, channel-first RGB, ImageNet-normalized
   * @throws ImageRejectedException when the bytes are empty, too large or not a usable image
   */
  public float[] decodeChw(byte[] bytes, String sourceName) {
    Mat bgr = decodeChecked(bytes, sourceName, size);
    try {
      return toChw(bgr);
    } finally {
      bgr.release();
    }
  }

  /**
   * Checks that {@code file} passes every rejection rule and fully decodes, without building the
   * tensor. Used by catalog validation.
   *
   * @return width and height of the decoded image, in that order
   * @throws ImageRejectedException when it would be rejected by {@link #loadChw}
   */
  public int[] verify(Path file) {
    Mat bgr = decodeChecked(readChecked(file), file.toString(), 0);
    try {
      return new int[] {bgr.cols(), bgr.rows()};
    } finally {
      bgr.release();
    }
  }

  private static byte[] readChecked(Path file) {
    String source = file.toString();
    try {
      if (Files.isDirectory(file)) {
        throw new ImageRejectedException(source, "not a file (directory)");
      }
      long length = Files.size(file);
      checkLength(length, source);
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ImageRejectedException(source, "missing file", e);
    } catch (IOException e) {
      throw new ImageRejectedException(source, "unreadable file (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
    }
  }

  private static void checkLength(long length, String source) {
    if (length == 0) {
      throw new ImageRejectedException(source, "empty file");
    }
    if (length > MAX_FILE_BYTES) {
      throw new ImageRejectedException(source, "file too large (" + length + " bytes > " + MAX_FILE_BYTES + ")");
    }
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
   * @param target shorter side the caller will resize to; JPEGs are decoded at the smallest libjpeg
   *     scale that still covers it, 0 for a full-size decode
   */
  private static Mat decodeChecked(byte[] bytes, String source, int target) {
    if (bytes == null) {
      throw new ImageRejectedException(source, "empty file");
    }
    checkLength(bytes.length, source);
    ImageHeader header = ImageHeader.parse(bytes, source);
    checkDimensions(header.width, header.height, source, "declared");
    int reduction = header.format == ImageFormat.JPEG ? jpegReduction(header.width, header.height, target) : 1;
    MatOfByte buffer = new MatOfByte(bytes);
    Mat bgr;
    try {
      // JPEG has no alpha but may carry an EXIF orientation, which IMREAD_COLOR applies. PNG and
      // WebP cut-outs often have a transparent background: read them unchanged and flatten on white,
      // as a shop page shows them, instead of letting the decoder drop alpha onto black.
      // The reduced JPEG modes apply the EXIF orientation like IMREAD_COLOR does.
      bgr = header.format == ImageFormat.JPEG
          ? Imgcodecs.imdecode(buffer, reducedColorFlag(reduction))
          : toBgr8(Imgcodecs.imdecode(buffer, Imgcodecs.IMREAD_UNCHANGED));
    } finally {
      buffer.release();
    }
    if (bgr == null || bgr.empty()) {
      if (bgr != null) {
        bgr.release();
      }
      throw new ImageRejectedException(source, "corrupt " + header.format + " (decoder failed)");
    }
    try {
      if (reduction == 1) {
        checkDimensions(bgr.cols(), bgr.rows(), source, "decoded");
      } else if (Math.min(bgr.cols(), bgr.rows()) < target) {
        // The declared size passed every limit; a reduced decode that does not cover the target
        // means the stream disagrees with its header.
        throw new ImageRejectedException(source, "corrupt " + header.format + " (decoded " + bgr.cols() + "x" + bgr.rows()
            + " at 1/" + reduction + " scale, header declares " + header.width + "x" + header.height + ")");
      }
    } catch (ImageRejectedException e) {
      bgr.release();
      throw e;
    }
    return bgr;
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

  private static void flattenOnWhite(Mat bgra, Mat out) {
    int w = bgra.cols();
    int h = bgra.rows();
    byte[] src = new byte[w * h * 4];
    bgra.get(0, 0, src);
    byte[] dst = new byte[w * h * 3];
    for (int p = 0, i = 0, o = 0; p < w * h; p++, i += 4, o += 3) {
      int a = src[i + 3] & 0xFF;
      int white = 255 * (255 - a);
      dst[o] = (byte) (((src[i] & 0xFF) * a + white + 127) / 255);
      dst[o + 1] = (byte) (((src[i + 1] & 0xFF) * a + white + 127) / 255);
      dst[o + 2] = (byte) (((src[i + 2] & 0xFF) * a + white + 127) / 255);
    }
    out.create(h, w, CvType.CV_8UC3);
    out.put(0, 0, dst);
  }

  private static void checkDimensions(int w, int h, String source, String what) {
    if (w < MIN_SIDE || h < MIN_SIDE) {
      throw new ImageRejectedException(source, "image too small (" + what + " " + w + "x" + h + ", minimum side " + MIN_SIDE + ")");
    }
    if (w > MAX_SIDE || h > MAX_SIDE || (long) w * h > MAX_PIXELS) {
      throw new ImageRejectedException(source, "image too large (" + what + " " + w + "x" + h
          + ", limits " + MAX_SIDE + " px per side and " + MAX_PIXELS + " pixels)");
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
