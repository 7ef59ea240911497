package dev.facet.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facet.catalog.sample.SampleCatalogGenerator;
import dev.facet.core.FacetException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhotoFolderReshootTest {
  /** A photo-like test image: a coloured background and a few shapes placed by {@code seed}. */
  static byte[] picture(int w, int h, long seed) {
    java.util.Random r = new java.util.Random(seed);
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
    g.fillRect(0, 0, w, h);
    for (int i = 0; i < 6; i++) {
      g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
      g.fillOval(r.nextInt(w), r.nextInt(h), w / 3, h / 3);
    }
    g.dispose();
    return SampleCatalogGenerator.jpeg(image);
  }

  @Test
  void reshootIsSeededSmallerAndDifferent() throws Exception {
    byte[] photo = picture(900, 600, 1L);
    PhotoReshoot reshoot = new PhotoReshoot(7L);
    byte[] a = reshoot.reshoot(photo, "a.jpg");
    assertThat(reshoot.reshoot(photo, "a.jpg")).isEqualTo(a);
    assertThat(new PhotoReshoot(8L).reshoot(photo, "a.jpg")).isNotEqualTo(a);
    BufferedImage shot = ImageIO.read(new ByteArrayInputStream(a));
    assertThat(Math.max(shot.getWidth(), shot.getHeight())).isEqualTo(PhotoReshoot.LONGER_SIDE);
    // A crop of 78-90% of each side keeps the aspect ratio.
    assertThat((double) shot.getWidth() / shot.getHeight()).isCloseTo(1.5, org.assertj.core.data.Offset.offset(0.01));
    assertThatThrownBy(() -> reshoot.reshoot(new byte[] {1, 2, 3}, "junk.jpg")).hasMessageContaining("junk.jpg");
  }

  @Test
  void folderBenchReportsEveryEncoderAndSkipsUnusablePhotos(@TempDir Path dir) throws Exception {
    for (int i = 0; i < 8; i++) {
      Files.write(dir.resolve("p" + i + ".jpg"), picture(320 + 16 * i, 240, 100 + i));
    }
    Files.write(dir.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    Files.writeString(dir.resolve("notes.txt"), "not a photo");
    Map<String, Object> out = PhotoFolderReshoot.run(dir, 3L, 5, List.of("probe", "missing"), name -> {
      if (name.equals("missing")) {
        throw new FacetException("no such model");
      }
      return new FusedImageEncoderTest.Probe(32);
    });
    assertThat(out.get("photos")).isEqualTo(8);
    assertThat(((Map<?, ?>) out.get("skipped_photos")).keySet().toString()).isEqualTo("[broken.png]");
    Map<?, ?> encoders = (Map<?, ?>) out.get("encoders");
    assertThat(((Map<?, ?>) encoders.get("missing")).get("skipped")).isEqualTo("no such model");
    Map<?, ?> probe = (Map<?, ?>) encoders.get("probe");
    assertThat(out.get("hit_rate_top_1")).isEqualTo(probe.get("hit_rate_top_1"));
    assertThat((double) out.get("hit_rate_top_k")).isBetween(0.0, 1.0).isGreaterThanOrEqualTo((double) out.get("hit_rate_top_1"));
  }

  @Test
  void retrievalCountsRanksWithTiesForTheTarget() {
    List<float[]> base = List.of(new float[] {1, 0}, new float[] {0, 1}, new float[] {0.6f, 0.8f});
    assertThat(ReshootRetrieval.rankOf(new float[] {1, 0}, base, 0)).isZero();
    assertThat(ReshootRetrieval.rankOf(new float[] {0, 1}, base, 2)).isEqualTo(1);
    assertThat(ReshootRetrieval.rankOf(new float[] {1, 0}, base, 1)).isEqualTo(2);
  }

  @Test
  void identicalPhotosAreAlwaysFoundFirst() {
    List<byte[]> photos = List.of(picture(200, 200, 1), picture(200, 200, 2), picture(200, 200, 3));
    ReshootRetrieval.Result r = ReshootRetrieval.measure(new FusedImageEncoderTest.Probe(40), photos, photos,
        List.of("a", "b", "c"), 1);
    assertThat(r.top1()).isEqualTo(1.0);
    assertThat(r.count()).isEqualTo(3);
    assertThat(r.originals()).hasSize(3);
  }

  @Test
  void aNetworkSharedByAFusedEncoderAndMeasuredAloneRunsOnce() {
    FusedImageEncoderTest.Probe a = new FusedImageEncoderTest.Probe(40);
    FusedImageEncoderTest.Probe b = new FusedImageEncoderTest.Probe(20);
    FusedImageEncoder fused = new FusedImageEncoder("f", List.of(new FusedImageEncoder.Part("a", a, 0.5),
        new FusedImageEncoder.Part("b", b, 0.5)), 40);
    List<byte[]> photos = List.of(picture(200, 200, 1), picture(200, 200, 2), picture(200, 200, 3));
    List<String> names = List.of("a", "b", "c");
    EncodedImages cache = new EncodedImages();
    ReshootRetrieval.Result viaCache = ReshootRetrieval.measure("f", fused, photos, photos, names, 1, cache);
    int encoded = a.seenLengths.size();
    assertThat(encoded).isEqualTo(6);
    ReshootRetrieval.measure("a", a, photos, photos, names, 1, cache);
    assertThat(a.seenLengths).hasSize(encoded);
    // The cached fused vectors are those the fused encoder itself returns.
    ReshootRetrieval.Result direct = ReshootRetrieval.measure(fused, photos, photos, names, 1);
    for (int i = 0; i < 3; i++) {
      assertThat(viaCache.originals().get(i)).containsExactly(direct.originals().get(i));
    }
  }

  @Test
  void aProjectedPartMeasuredAloneGivesItsOwnVectors() {
    FusedImageEncoderTest.Probe a = new FusedImageEncoderTest.Probe(40);
    FusedImageEncoder fused = new FusedImageEncoder("f", List.of(new FusedImageEncoder.Part("a", a, 1.0, new RandomProjection(4, 2, 3L))), 40);
    List<byte[]> photos = List.of(picture(200, 200, 1), picture(200, 200, 2), picture(200, 200, 3));
    List<String> names = List.of("a", "b", "c");
    EncodedImages cache = new EncodedImages();
    assertThat(ReshootRetrieval.measure("f", fused, photos, photos, names, 1, cache).originals().getFirst()).hasSize(2);
    assertThat(ReshootRetrieval.measure("a", a, photos, photos, names, 1, cache).originals().getFirst()).hasSize(4);
  }
}
