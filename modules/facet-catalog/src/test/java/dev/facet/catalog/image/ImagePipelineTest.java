package dev.facet.catalog.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.core.CvType;
import org.opencv.imgcodecs.Imgcodecs;

class ImagePipelineTest {
  private static final long SEED = 0x5EEDL;
  private final ImagePipeline pipeline = new ImagePipeline(ImagePipeline.DEFAULT_SIZE);

  @TempDir Path dir;

  @Test
  void decodesJpegAndPngToChwOfTheRightLength() throws Exception {
    Random rnd = new Random(SEED);
    for (int i = 0; i < 6; i++) {
      int w = 40 + rnd.nextInt(600);
      int h = 40 + rnd.nextInt(600);
      for (String fmt : new String[] {"jpg", "png"}) {
        Path file = dir.resolve("img" + i + "." + fmt);
        Files.write(file, TestImages.encode(TestImages.random(w, h, rnd.nextLong()), fmt));
        float[] chw = pipeline.loadChw(file);
        assertThat(chw).hasSize(3 * 224 * 224);
        for (float v : chw) {
          assertThat(v).isBetween(-2.2f, 2.7f);
        }
      }
    }
  }

  @Test
  void solidColourNormalizesToImageNetValues() {
    // PNG is lossless, so the exact value per channel is known.
    Color c = new Color(200, 100, 30);
    float[] chw = pipeline.decodeChw(TestImages.encode(TestImages.solid(300, 250, c), "png"), "solid.png");
    int plane = 224 * 224;
    float r = (200 / 255f - 0.485f) / 0.229f;
    float g = (100 / 255f - 0.456f) / 0.224f;
    float b = (30 / 255f - 0.406f) / 0.225f;
    for (int p = 0; p < plane; p += 997) {
      assertThat(chw[p]).isCloseTo(r, within(1e-4f));
      assertThat(chw[plane + p]).isCloseTo(g, within(1e-4f));
      assertThat(chw[2 * plane + p]).isCloseTo(b, within(1e-4f));
    }
  }

  @Test
  void resizesShorterSideAndCropsCenter() {
    // Left third red, middle third green, right third blue; 672x224 → crop keeps the green middle.
    java.awt.image.BufferedImage img = TestImages.solid(672, 224, Color.RED);
    java.awt.Graphics2D gr = img.createGraphics();
    gr.setColor(Color.GREEN);
    gr.fillRect(224, 0, 224, 224);
    gr.setColor(Color.BLUE);
    gr.fillRect(448, 0, 224, 224);
    gr.dispose();
    float[] chw = pipeline.decodeChw(TestImages.encode(img, "png"), "bands.png");
    int plane = 224 * 224;
    float greenHigh = (1f - 0.456f) / 0.224f;
    float redLow = (0f - 0.485f) / 0.229f;
    for (int p = 0; p < plane; p += 101) {
      assertThat(chw[plane + p]).isCloseTo(greenHigh, within(1e-4f));
      assertThat(chw[p]).isCloseTo(redLow, within(1e-4f));
    }
  }

  @Test
  void portraitImageIsUpscaledAndCropped() {
    ImagePipeline small = new ImagePipeline(64);
    float[] chw = small.decodeChw(TestImages.encode(TestImages.solid(40, 90, Color.WHITE), "png"), "tall.png");
    assertThat(chw).hasSize(3 * 64 * 64);
    assertThat(chw[0]).isCloseTo((1f - 0.485f) / 0.229f, within(1e-4f));
  }

  @Test
  void flattensTransparentPngOnWhite() {
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(100, 100, java.awt.image.BufferedImage.TYPE_INT_ARGB);
    java.awt.Graphics2D g = img.createGraphics();
    g.setColor(new Color(0, 0, 255, 255));
    g.fillRect(40, 40, 20, 20); // opaque blue square in the middle, the rest fully transparent
    g.setColor(new Color(255, 0, 0, 128));
    g.fillRect(0, 0, 10, 100); // a half-transparent red strip on the left edge
    g.dispose();
    ImagePipeline p = new ImagePipeline(100);
    float[] chw = p.decodeChw(TestImages.encode(img, "png"), "cutout.png");
    int plane = 100 * 100;
    // A transparent pixel reads as white, not black.
    int corner = 99 * 100 + 99;
    assertThat(chw[corner]).isCloseTo((1f - 0.485f) / 0.229f, within(1e-4f));
    assertThat(chw[2 * plane + corner]).isCloseTo((1f - 0.406f) / 0.225f, within(1e-4f));
    int centre = 50 * 100 + 50;
    assertThat(chw[centre]).isCloseTo((0f - 0.485f) / 0.229f, within(1e-4f));
    assertThat(chw[2 * plane + centre]).isCloseTo((1f - 0.406f) / 0.225f, within(1e-4f));
    // 50% red over white: R stays 255, G and B about 127.
    int strip = 50 * 100 + 5;
    assertThat(chw[strip]).isCloseTo((1f - 0.485f) / 0.229f, within(1e-4f));
    assertThat(chw[plane + strip]).isCloseTo((127 / 255f - 0.456f) / 0.224f, within(0.02f));
  }

  @Test
  void decodesGreyAnd16BitPng() {
    java.awt.image.BufferedImage grey = new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    java.awt.Graphics2D g = grey.createGraphics();
    g.setColor(new Color(100, 100, 100));
    g.fillRect(0, 0, 64, 64);
    g.dispose();
    ImagePipeline p = new ImagePipeline(64);
    float[] a = p.decodeChw(TestImages.encode(grey, "png"), "grey.png");
    int plane = 64 * 64;
    assertThat(a[0]).isCloseTo((100 / 255f - 0.485f) / 0.229f, within(1e-4f));
    assertThat(a[2 * plane]).isCloseTo((100 / 255f - 0.406f) / 0.225f, within(1e-4f));

    java.awt.image.BufferedImage deep = new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_USHORT_GRAY);
    short[] data = ((java.awt.image.DataBufferUShort) deep.getRaster().getDataBuffer()).getData();
    java.util.Arrays.fill(data, (short) (200 * 257));
    float[] b = p.decodeChw(TestImages.encode(deep, "png"), "deep.png");
    assertThat(b[0]).isCloseTo((200 / 255f - 0.485f) / 0.229f, within(1e-3f));
  }

  @Test
  void decodesWebpProducedByOpenCv() {
    Mat m = new Mat(120, 160, CvType.CV_8UC3, new Scalar(30, 100, 200)); // BGR
    MatOfByte buf = new MatOfByte();
    assertThat(Imgcodecs.imencode(".webp", m, buf)).isTrue();
    byte[] webp = buf.toArray();
    assertThat(ImageHeader.parse(webp, "x.webp").width).isEqualTo(160);
    assertThat(ImageHeader.parse(webp, "x.webp").height).isEqualTo(120);
    float[] chw = pipeline.decodeChw(webp, "x.webp");
    assertThat(chw[0]).isCloseTo((200 / 255f - 0.485f) / 0.229f, within(0.05f));
  }

  @Test
  void rejectsMissingFile() {
    assertRejected(() -> pipeline.loadChw(dir.resolve("nope.jpg")), "missing file");
  }

  @Test
  void rejectsEmptyFile() throws Exception {
    Path file = Files.createFile(dir.resolve("empty.jpg"));
    assertRejected(() -> pipeline.loadChw(file), "empty file");
    assertRejected(() -> pipeline.decodeChw(new byte[0], "upload"), "empty file");
  }

  @Test
  void rejectsTextFileNamedJpg() throws Exception {
    Path file = dir.resolve("fake.jpg");
    Files.writeString(file, "this is not a picture, just text\n", StandardCharsets.UTF_8);
    assertRejected(() -> pipeline.loadChw(file), "not an image");
  }

  @Test
  void rejectsTruncatedJpegAtManyCutPoints() throws Exception {
    byte[] jpeg = TestImages.encode(TestImages.random(320, 240, SEED), "jpg");
    Random rnd = new Random(SEED);
    for (int i = 0; i < 20; i++) {
      // Any cut past the first marker, including one that only drops the final FFD9.
      int cut = 4 + rnd.nextInt(jpeg.length - 5);
      byte[] truncated = Arrays.copyOf(jpeg, i == 0 ? jpeg.length - 2 : cut);
      Path file = dir.resolve("cut" + i + ".jpg");
      Files.write(file, truncated);
      assertThatThrownBy(() -> pipeline.loadChw(file))
          .isInstanceOf(ImageRejectedException.class)
          .satisfies(e -> assertThat(((ImageRejectedException) e).reason()).containsAnyOf("truncated", "corrupt"));
    }
    // The intact file passes, so the rule is about truncation and not about this encoder.
    assertThat(pipeline.decodeChw(jpeg, "whole.jpg")).hasSize(3 * 224 * 224);
  }

  @Test
  void handlesProgressiveJpegAndIgnoresMarkersInsideAppSegments() throws Exception {
    byte[] progressive = progressiveJpeg(TestImages.random(160, 120, SEED + 2));
    assertThat(pipeline.decodeChw(progressive, "progressive.jpg")).hasSize(3 * 224 * 224);
    assertRejected(() -> pipeline.decodeChw(Arrays.copyOf(progressive, progressive.length * 3 / 4), "cut.jpg"), "truncated JPEG");

    // An APP1 segment (EXIF thumbnails look like this) that itself contains FF D8 ... FF D9 must be
    // skipped by its length: a truncated main image is still truncated.
    byte[] base = TestImages.encode(TestImages.random(160, 120, SEED + 3), "jpg");
    byte[] app1 = {(byte) 0xFF, (byte) 0xE1, 0x00, 0x0A, 'E', 'x', (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9, 0, 0};
    ByteArrayOutputStream withApp = new ByteArrayOutputStream();
    withApp.write(base, 0, 2);
    withApp.writeBytes(app1);
    withApp.write(base, 2, base.length - 2);
    byte[] full = withApp.toByteArray();
    assertThat(pipeline.decodeChw(full, "exif.jpg")).hasSize(3 * 224 * 224);
    assertRejected(() -> pipeline.decodeChw(Arrays.copyOf(full, full.length - 100), "exif-cut.jpg"), "truncated JPEG");
  }

  private static byte[] progressiveJpeg(java.awt.image.BufferedImage img) throws Exception {
    javax.imageio.ImageWriter writer = javax.imageio.ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (javax.imageio.stream.MemoryCacheImageOutputStream out = new javax.imageio.stream.MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
      param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
      writer.write(null, new javax.imageio.IIOImage(img, null, null), param);
    } finally {
      writer.dispose();
    }
    byte[] b = bytes.toByteArray();
    // Several scans: more than one start-of-scan marker.
    int scans = 0;
    for (int i = 0; i + 1 < b.length; i++) {
      if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xDA) {
        scans++;
      }
    }
    assertThat(scans).isGreaterThan(1);
    return b;
  }

  @Test
  void acceptsJpegWithTrailingBytesAfterEndOfImage() {
    byte[] jpeg = TestImages.encode(TestImages.random(100, 100, SEED + 1), "jpg");
    byte[] padded = Arrays.copyOf(jpeg, jpeg.length + 37);
    assertThat(pipeline.decodeChw(padded, "padded.jpg")).hasSize(3 * 224 * 224);
  }

  @Test
  void rejectsTruncatedPng() {
    byte[] png = TestImages.encode(TestImages.random(200, 200, SEED), "png");
    byte[] truncated = Arrays.copyOf(png, png.length / 2);
    assertRejected(() -> pipeline.decodeChw(truncated, "half.png"), "truncated PNG");
  }

  @Test
  void rejectsTinyImages() {
    assertRejected(() -> pipeline.decodeChw(TestImages.encode(TestImages.solid(1, 1, Color.RED), "png"), "1x1.png"),
        "too small");
    assertRejected(() -> pipeline.decodeChw(TestImages.encode(TestImages.solid(1, 1, Color.RED), "jpg"), "1x1.jpg"),
        "too small");
    assertRejected(() -> pipeline.decodeChw(TestImages.encode(TestImages.solid(400, 31, Color.RED), "png"), "strip.png"),
        "too small");
    assertThat(pipeline.decodeChw(TestImages.encode(TestImages.solid(32, 32, Color.RED), "png"), "ok.png")).isNotEmpty();
  }

  @Test
  void rejectsPngHeaderDeclaring20000SquaredWithoutDecoding() throws Exception {
    byte[] png = craftedPng(20000, 20000);
    Path file = dir.resolve("huge.png");
    Files.write(file, png);
    assertRejected(() -> pipeline.loadChw(file), "image too large (declared 20000x20000");
  }

  @Test
  void rejectsJpegHeaderDeclaring20000SquaredWithoutDecoding() {
    byte[] jpeg = TestImages.encode(TestImages.random(64, 48, SEED), "jpg");
    int sof = findSof(jpeg);
    // SOF payload: length(2) precision(1) height(2) width(2).
    jpeg[sof + 5] = (byte) (20000 >> 8);
    jpeg[sof + 6] = (byte) 20000;
    jpeg[sof + 7] = (byte) (20000 >> 8);
    jpeg[sof + 8] = (byte) 20000;
    assertRejected(() -> pipeline.decodeChw(jpeg, "huge.jpg"), "image too large (declared 20000x20000");
  }

  @Test
  void rejectsTooManyPixelsEvenWhenEachSideIsAllowed() {
    assertRejected(() -> pipeline.decodeChw(craftedPng(7000, 7000), "49mp.png"), "image too large");
  }

  @Test
  void rejectsFilesOverTheByteLimitBeforeReading() throws Exception {
    Path file = dir.resolve("big.jpg");
    try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE_NEW,
        java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.SPARSE)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {1}), ImagePipeline.MAX_FILE_BYTES);
    }
    assertRejected(() -> pipeline.loadChw(file), "file too large");
  }

  @Test
  void isThreadSafe() throws Exception {
    byte[][] inputs = new byte[8][];
    float[][] expected = new float[8][];
    for (int i = 0; i < inputs.length; i++) {
      inputs[i] = TestImages.encode(TestImages.random(150 + 20 * i, 120, SEED + i), i % 2 == 0 ? "jpg" : "png");
      expected[i] = pipeline.decodeChw(inputs[i], "in" + i);
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      Future<?>[] futures = new Future<?>[32];
      for (int t = 0; t < futures.length; t++) {
        int i = t % inputs.length;
        futures[t] = pool.submit(() -> assertThat(pipeline.decodeChw(inputs[i], "in" + i)).isEqualTo(expected[i]));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void verifyReportsDecodedSize() throws Exception {
    Path file = dir.resolve("v.jpg");
    Files.write(file, TestImages.encode(TestImages.random(90, 70, SEED), "jpg"));
    assertThat(pipeline.verify(file)).containsExactly(90, 70);
  }

  @Test
  void jpegReductionIsTheLargestLibjpegScaleThatStillCoversTheTarget() {
    assertThat(ImagePipeline.jpegReduction(256, 256, 224)).isEqualTo(1);
    assertThat(ImagePipeline.jpegReduction(256, 256, 112)).isEqualTo(2);
    assertThat(ImagePipeline.jpegReduction(256, 256, 64)).isEqualTo(4);
    assertThat(ImagePipeline.jpegReduction(256, 256, 56)).isEqualTo(4);
    assertThat(ImagePipeline.jpegReduction(1200, 900, 112)).isEqualTo(8);
    assertThat(ImagePipeline.jpegReduction(1200, 900, 224)).isEqualTo(4);
    assertThat(ImagePipeline.jpegReduction(4000, 3000, 32)).isEqualTo(8); // libjpeg goes no further
    assertThat(ImagePipeline.jpegReduction(255, 600, 128)).isEqualTo(1); // 127 would not cover 128
    assertThat(ImagePipeline.jpegReduction(4000, 3000, 0)).isEqualTo(1); // 0: full decode asked for
  }

  /**
   * The reduced-scale JPEG path must give the same tensor layout and normalization as a full decode
   * followed by an area resize, up to the small difference of scaling in the DCT domain.
   */
  @Test
  void reducedJpegDecodeMatchesFullDecodeThenResize() {
    int size = 112;
    for (int[] wh : new int[][] {{256, 256}, {512, 384}, {300, 900}}) {
      byte[] jpeg = TestImages.encode(smooth(wh[0], wh[1]), "jpg");
      assertThat(ImagePipeline.jpegReduction(wh[0], wh[1], size)).isGreaterThan(1);
      float[] fast = new ImagePipeline(size).decodeChw(jpeg, "smooth.jpg");
      float[] reference = fullDecodeThenResize(jpeg, size);
      assertThat(fast).hasSize(3 * size * size);
      double diff = 0;
      for (int i = 0; i < fast.length; i++) {
        diff += Math.abs(fast[i] - reference[i]);
      }
      // Normalized units: 1.0 is about 57 grey levels; 0.05 is under 3 grey levels on average.
      assertThat(diff / fast.length).as("mean |reduced - full| for %dx%d", wh[0], wh[1]).isLessThan(0.05);
    }
  }

  /**
   * Past a factor of two bilinear sampling skips source pixels. Shrinking black-and-white noise
   * eightfold must average 64 pixels per output pixel (spread about 16 grey levels), not sample a
   * few of them (spread near 90).
   */
  @Test
  void largeDownscaleAveragesInsteadOfSkippingPixels() {
    java.util.Random random = new java.util.Random(31);
    java.awt.image.BufferedImage noise = new java.awt.image.BufferedImage(640, 640, java.awt.image.BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 640; y++) {
      for (int x = 0; x < 640; x++) {
        noise.setRGB(x, y, random.nextBoolean() ? 0x000000 : 0xFFFFFF);
      }
    }
    int size = 80;
    float[] chw = new ImagePipeline(size).decodeChw(TestImages.encode(noise, "png"), "noise.png");
    double sum = 0;
    double squares = 0;
    int plane = size * size;
    for (int p = 0; p < plane; p++) {
      double grey = (chw[p] * ImagePipeline.STD[0] + ImagePipeline.MEAN[0]) * 255;
      sum += grey;
      squares += grey * grey;
    }
    double mean = sum / plane;
    double spread = Math.sqrt(squares / plane - mean * mean);
    assertThat(mean).isCloseTo(127.5, within(4.0));
    assertThat(spread).as("grey-level spread after an 8x downscale").isLessThan(30);
  }

  @Test
  void reducedJpegDecodeKeepsImageNetNormalizationOfASolidColour() {
    Color c = new Color(200, 100, 30);
    float[] chw = new ImagePipeline(56).decodeChw(TestImages.encode(TestImages.solid(256, 256, c), "jpg"), "solid.jpg");
    int plane = 56 * 56;
    assertThat(chw).hasSize(3 * plane);
    // JPEG is lossy: allow 4 grey levels.
    for (int p = 0; p < plane; p += 97) {
      assertThat(chw[p]).isCloseTo((200 / 255f - 0.485f) / 0.229f, within(4 / 255f / 0.229f));
      assertThat(chw[plane + p]).isCloseTo((100 / 255f - 0.456f) / 0.224f, within(4 / 255f / 0.224f));
      assertThat(chw[2 * plane + p]).isCloseTo((30 / 255f - 0.406f) / 0.225f, within(4 / 255f / 0.225f));
    }
  }

  @Test
  void verifyStillDecodesAtFullSizeForSmallPipelines() throws Exception {
    Path file = dir.resolve("big.jpg");
    Files.write(file, TestImages.encode(TestImages.random(640, 480, 7), "jpg"));
    assertThat(new ImagePipeline(56).verify(file)).containsExactly(640, 480);
  }

  /** Gradients and soft blobs: JPEG-friendly, so the comparison measures scaling, not artefacts. */
  private static java.awt.image.BufferedImage smooth(int w, int h) {
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int r = (int) (127 + 120 * Math.sin(x * 6.0 / w));
        int g = (int) (127 + 120 * Math.cos(y * 5.0 / h));
        int b = (int) (127 + 120 * Math.sin((x + y) * 4.0 / (w + h)));
        img.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return img;
  }

  private static float[] fullDecodeThenResize(byte[] jpeg, int size) {
    MatOfByte buf = new MatOfByte(jpeg);
    Mat full = Imgcodecs.imdecode(buf, Imgcodecs.IMREAD_COLOR);
    Mat resized = new Mat();
    try {
      double scale = (double) size / Math.min(full.cols(), full.rows());
      int rw = Math.max(size, (int) Math.round(full.cols() * scale));
      int rh = Math.max(size, (int) Math.round(full.rows() * scale));
      org.opencv.imgproc.Imgproc.resize(full, resized, new org.opencv.core.Size(rw, rh), 0, 0, org.opencv.imgproc.Imgproc.INTER_AREA);
      Mat crop = resized.submat(new org.opencv.core.Rect((rw - size) / 2, (rh - size) / 2, size, size)).clone();
      byte[] px = new byte[size * size * 3];
      crop.get(0, 0, px);
      crop.release();
      return ImagePipeline.normalize(px, size);
    } finally {
      buf.release();
      full.release();
      resized.release();
    }
  }

  @Test
  void rejectsSizeOutsideLimits() {
    assertThatThrownBy(() -> new ImagePipeline(8)).isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertRejected(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String reason) {
    assertThatThrownBy(call)
        .isInstanceOf(ImageRejectedException.class)
        .satisfies(e -> assertThat(((ImageRejectedException) e).reason()).contains(reason));
  }

  private static int findSof(byte[] jpeg) {
    for (int i = 2; i + 1 < jpeg.length; i++) {
      if ((jpeg[i] & 0xFF) == 0xFF && ((jpeg[i + 1] & 0xFF) == 0xC0 || (jpeg[i + 1] & 0xFF) == 0xC2)) {
        return i;
      }
    }
    throw new AssertionError("no SOF marker");
  }

  /** A structurally valid PNG (signature, IHDR, one tiny IDAT, IEND) whose IHDR declares w×h. */
  static byte[] craftedPng(int w, int h) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    byte[] ihdr = new byte[13];
    putInt(ihdr, 0, w);
    putInt(ihdr, 4, h);
    ihdr[8] = 8; // bit depth
    ihdr[9] = 2; // RGB
    chunk(out, "IHDR", ihdr);
    chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] len = new byte[4];
    putInt(len, 0, data.length);
    out.writeBytes(len);
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(t);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    byte[] c = new byte[4];
    putInt(c, 0, (int) crc.getValue());
    out.writeBytes(c);
  }

  private static void putInt(byte[] b, int i, int v) {
    b[i] = (byte) (v >>> 24);
    b[i + 1] = (byte) (v >>> 16);
    b[i + 2] = (byte) (v >>> 8);
    b[i + 3] = (byte) v;
  }
}
