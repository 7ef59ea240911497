package dev.facet.catalog.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/** Images built to hurt the decoder: lying headers, special files, and many decodes at once. */
class HostileImageTest {
  private static final long SEED = 0xB0B;
  private final ImagePipeline pipeline = new ImagePipeline(ImagePipeline.DEFAULT_SIZE, ImageLimits.defaults());

  @TempDir Path dir;

  /**
   * What lib_hostile_catalog.py writes: the first SOF is rewritten to {@code w × h} (what libjpeg
   * decodes) and the original SOF is appended before EOI (what a parser keeping the last one sees).
   */
  static byte[] twoSof(byte[] jpeg, int w, int h) {
    int sof = sofOffset(jpeg);
    int length = ((jpeg[sof + 2] & 0xFF) << 8) | (jpeg[sof + 3] & 0xFF);
    byte[] segment = Arrays.copyOfRange(jpeg, sof, sof + 2 + length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] head = Arrays.copyOf(jpeg, jpeg.length - 2);
    head[sof + 5] = (byte) (h >> 8);
    head[sof + 6] = (byte) h;
    head[sof + 7] = (byte) (w >> 8);
    head[sof + 8] = (byte) w;
    out.writeBytes(head);
    out.writeBytes(segment);
    out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD9});
    return out.toByteArray();
  }

  private static int sofOffset(byte[] jpeg) {
    int i = 2;
    while (true) {
      int marker = jpeg[i + 1] & 0xFF;
      int length = ((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF);
      if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
        return i;
      }
      i += 2 + length;
    }
  }

  @Test
  void aJpegWhoseFirstFrameHeaderIsHugeIsRejectedBeforeDecodingWhateverTheLastSays() throws Exception {
    byte[] jpeg = TestImages.encode(TestImages.random(256, 256, SEED), "jpg");
    byte[] bomb = twoSof(jpeg, 30000, 30000);
    Path file = dir.resolve("twosof.jpg");
    Files.write(file, bomb);
    String reason = "image too large (declared 30000x30000 by one of 2 frame headers";
    assertRejected(() -> pipeline.inspect(file), reason);
    assertRejected(() -> pipeline.verify(file), reason);
    assertRejected(() -> pipeline.loadChw(file), reason);
    assertRejected(() -> pipeline.decodeChw(bomb, "upload"), reason);
    // The same trick with a frame only over the side limit: cheap to decode, so the test stays
    // safe if the header check regresses, and the header check alone must catch it.
    byte[] wide = twoSof(jpeg, 8001, 40);
    Files.write(file, wide);
    assertRejected(() -> pipeline.inspect(file), "declared 8001x40 by one of 2 frame headers");
    // And the other way round: every frame header counts, not only the first.
    byte[] lastWide = twoSof(jpeg, 256, 256);
    int last = lastWide.length - 2 - (((jpeg[sofOffset(jpeg) + 2] & 0xFF) << 8 | (jpeg[sofOffset(jpeg) + 3] & 0xFF)) + 2);
    lastWide[last + 5] = 0;
    lastWide[last + 6] = 40;
    lastWide[last + 7] = (byte) (8001 >> 8);
    lastWide[last + 8] = (byte) 8001;
    Files.write(file, lastWide);
    assertRejected(() -> pipeline.inspect(file), "declared 8001x40 by one of 2 frame headers");
  }

  @Test
  void thePixelCapIsConfigurableAndAppliesToHeadersAndBytesAlike() {
    byte[] png = TestImages.encode(TestImages.random(1200, 1000, SEED), "png");
    ImagePipeline strict = new ImagePipeline(224, new ImageLimits(1_000_000, 8000, ImageLimits.DEFAULT_MAX_FILE_BYTES));
    assertRejected(() -> strict.decodeChw(png, "upload"), "image too large (declared 1200x1000, limits 8000 px per side and 1000000 pixels)");
    assertThat(pipeline.decodeChw(png, "upload")).hasSize(3 * 224 * 224);
    assertThatThrownBy(() -> new ImageLimits(10, 8000, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void limitsComeFromSystemPropertiesByDefault() {
    assertThat(ImageLimits.fromSystemProperties()).isEqualTo(ImageLimits.defaults());
    assertThat(ImageLimits.defaults().maxPixels()).isEqualTo(40_000_000L);
    System.setProperty(ImageLimits.MAX_PIXELS_PROPERTY, "2_000_000");
    try {
      assertThat(new ImagePipeline(224).limits().maxPixels()).isEqualTo(2_000_000L);
      System.setProperty(ImageLimits.MAX_PIXELS_PROPERTY, "lots");
      assertThatThrownBy(ImageLimits::fromSystemProperties).hasMessageContaining(ImageLimits.MAX_PIXELS_PROPERTY);
    } finally {
      System.clearProperty(ImageLimits.MAX_PIXELS_PROPERTY);
    }
  }

  @Test
  void aFifoOrADeviceIsRefusedWithoutOpeningIt() throws Exception {
    Path fifo = dir.resolve("fifo.jpg");
    Process mkfifo;
    try {
      mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    } catch (java.io.IOException e) {
      Assumptions.abort("mkfifo is not available: " + e.getMessage());
      return;
    }
    Assumptions.assumeTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo failed");
    // Opening a FIFO blocks until a writer comes; reading /dev/zero never ends.
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      assertRejected(() -> pipeline.loadChw(fifo), "not a regular file");
      assertRejected(() -> pipeline.verify(fifo), "not a regular file");
      assertRejected(() -> ImageFiles.read(fifo, 1 << 20), "not a regular file");
      if (Files.exists(Path.of("/dev/zero"))) {
        assertRejected(() -> pipeline.loadChw(Path.of("/dev/zero")), "not a regular file");
      }
    });
    assertRejected(() -> pipeline.loadChw(dir), "not a file (directory)");
  }

  @Test
  void aReadStopsAtTheCapWhateverTheFileSizeSaid() throws Exception {
    Path file = dir.resolve("big.jpg");
    Files.write(file, new byte[4096]);
    assertRejected(() -> ImageFiles.read(file, 4095), "file too large (4096 bytes > 4095)");
    assertThat(ImageFiles.read(file, 4096)).hasSize(4096);
  }

  @Test
  void decodesWaitForAPermitOfTheSharedGate() throws Exception {
    assertThat(new ImagePipeline(224).gate()).isSameAs(new ImagePipeline(112).gate()).isSameAs(DecodeGate.SHARED);
    assertThat(DecodeGate.SHARED.size()).isEqualTo(Runtime.getRuntime().availableProcessors());
    DecodeGate gate = new DecodeGate(1);
    ImagePipeline gated = new ImagePipeline(224, ImageLimits.defaults(), gate);
    byte[] jpeg = TestImages.encode(TestImages.random(300, 300, SEED), "jpg");
    gate.hold(1);
    CompletableFuture<float[]> decode = CompletableFuture.supplyAsync(() -> gated.decodeChw(jpeg, "upload"));
    try {
      assertThatThrownBy(() -> decode.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
    } finally {
      gate.release(1);
    }
    assertThat(decode.get(10, TimeUnit.SECONDS)).hasSize(3 * 224 * 224);
  }

  @Test
  void anExifRotatedJpegIsNotMistakenForOneLargerThanItsHeader() {
    byte[] jpeg = withExifOrientation(TestImages.encode(TestImages.random(400, 100, SEED), "jpg"), 6);
    Mat decoded = org.opencv.imgcodecs.Imgcodecs.imdecode(new org.opencv.core.MatOfByte(jpeg), org.opencv.imgcodecs.Imgcodecs.IMREAD_COLOR);
    assertThat(decoded.cols()).as("OpenCV applies the EXIF rotation").isEqualTo(100);
    decoded.release();
    assertThat(pipeline.decodeChw(jpeg, "rotated.jpg")).hasSize(3 * 224 * 224);
    assertThat(new ImagePipeline(48, ImageLimits.defaults()).decodeChw(jpeg, "rotated.jpg")).hasSize(3 * 48 * 48);
  }

  @Test
  void bandWiseFlatteningMatchesThePerPixelFormula() {
    int w = 700;
    int h = 1100; // several bands of 374 rows, the last one partial
    byte[] bgra = new byte[w * h * 4];
    new Random(SEED).nextBytes(bgra);
    Mat in = new Mat(h, w, CvType.CV_8UC4);
    in.put(0, 0, bgra);
    Mat out = new Mat();
    ImagePipeline.flattenOnWhite(in, out);
    byte[] got = new byte[w * h * 3];
    out.get(0, 0, got);
    in.release();
    out.release();
    for (int p = 0; p < w * h; p += 997) {
      int a = bgra[4 * p + 3] & 0xFF;
      for (int c = 0; c < 3; c++) {
        int expected = ((bgra[4 * p + c] & 0xFF) * a + 255 * (255 - a) + 127) / 255;
        assertThat(got[3 * p + c] & 0xFF).isEqualTo(expected);
      }
    }
    assertThat(got[got.length - 1] & 0xFF).isEqualTo(((bgra[bgra.length - 2] & 0xFF) * (bgra[bgra.length - 1] & 0xFF)
        + 255 * (255 - (bgra[bgra.length - 1] & 0xFF)) + 127) / 255);
  }

  @Test
  void aLargeOpaquePngDecodesStraightToEightBit() {
    java.awt.image.BufferedImage deep = new java.awt.image.BufferedImage(64, 48, java.awt.image.BufferedImage.TYPE_USHORT_GRAY);
    short[] data = ((java.awt.image.DataBufferUShort) deep.getRaster().getDataBuffer()).getData();
    Arrays.fill(data, (short) (200 * 257));
    byte[] png = TestImages.encode(deep, "png");
    assertThat(ImageHeader.parse(png, "deep.png").mayHaveAlpha).isFalse();
    java.awt.image.BufferedImage argb = new java.awt.image.BufferedImage(64, 48, java.awt.image.BufferedImage.TYPE_INT_ARGB);
    assertThat(ImageHeader.parse(TestImages.encode(argb, "png"), "argb.png").mayHaveAlpha).isTrue();
    assertThat(pipeline.verify(write("deep.png", png))).containsExactly(64, 48);
    assertThat(pipeline.decodeChw(TestImages.encode(TestImages.solid(64, 48, Color.GREEN), "png"), "g.png")).hasSize(3 * 224 * 224);
  }

  private Path write(String name, byte[] bytes) {
    try {
      return Files.write(dir.resolve(name), bytes);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Inserts an APP1 Exif segment holding only the orientation tag after SOI. */
  static byte[] withExifOrientation(byte[] jpeg, int orientation) {
    byte[] tiff = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0, 0, 0, 0, 0};
    byte[] exif = {'E', 'x', 'i', 'f', 0, 0};
    int length = 2 + exif.length + tiff.length;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2);
    out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) (length >> 8), (byte) length});
    out.writeBytes(exif);
    out.writeBytes(tiff);
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }

  private static void assertRejected(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String reason) {
    assertThatThrownBy(call)
        .isInstanceOf(ImageRejectedException.class)
        .satisfies(e -> assertThat(((ImageRejectedException) e).reason()).contains(reason));
  }
}
