package dev.facet.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facet.core.Listing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FusionFeaturesCacheTest {
  @TempDir
  Path dir;

  private FusedImageEncoder fused(FusedImageEncoderTest.Probe probe, String sha256) {
    return new FusedImageEncoder("f", List.of(new FusedImageEncoder.Part("resnet", probe, 1.0, null, sha256)), 32);
  }

  private List<byte[]> photos(List<Listing> listings) throws Exception {
    List<byte[]> out = new ArrayList<>();
    for (Listing l : listings) {
      out.add(Files.readAllBytes(dir.resolve(l.primaryImage())));
    }
    return out;
  }

  @Test
  void cacheIsReadOnlyForTheSameWeightsAndPhotos() throws Exception {
    List<Listing> listings = SyntheticCatalog.write(dir, 3, 5L);
    List<byte[]> photos = photos(listings);
    Path cache = dir.resolve("features.bin");
    List<String> log = new ArrayList<>();

    FusedImageEncoderTest.Probe first = new FusedImageEncoderTest.Probe(32);
    FusionFeatures.extract(fused(first, "aaaa"), listings, photos, TrainingViews.none(), 1, 1, cache, log::add);
    assertThat(first.seenLengths).hasSize(6);

    FusedImageEncoderTest.Probe same = new FusedImageEncoderTest.Probe(32);
    FusionFeatures again = FusionFeatures.extract(fused(same, "aaaa"), listings, photos, TrainingViews.none(), 1, 1, cache,
        log::add);
    assertThat(same.seenLengths).as("same part, same weights: read from the cache").isEmpty();
    assertThat(again.size()).isEqualTo(3);
    assertThat(again.views()).isEqualTo(2);

    // The same part id retrained: its cached features are stale and must be computed again.
    FusedImageEncoderTest.Probe retrained = new FusedImageEncoderTest.Probe(32);
    FusionFeatures.extract(fused(retrained, "bbbb"), listings, photos, TrainingViews.none(), 1, 1, cache, log::add);
    assertThat(retrained.seenLengths).hasSize(6);

    // The same listings with one photo replaced (a regenerated catalog): computed again.
    List<byte[]> replaced = new ArrayList<>(photos);
    replaced.set(1, photos.get(2));
    FusedImageEncoderTest.Probe newPhotos = new FusedImageEncoderTest.Probe(32);
    FusionFeatures.extract(fused(newPhotos, "bbbb"), listings, replaced, TrainingViews.none(), 1, 1, cache, log::add);
    assertThat(newPhotos.seenLengths).hasSize(6);
  }
}
