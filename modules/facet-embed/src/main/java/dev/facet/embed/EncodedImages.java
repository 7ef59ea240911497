package dev.facet.embed;

import dev.facet.catalog.image.ImagePipeline;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Vectors of image sets per encoder, kept for a benchmark run so that encoders sharing a network
 * encode each set once: a {@link FusedImageEncoder} is measured from its parts' vectors, and a
 * part that is also measured alone (same network, same decoded side) is not run twice. Images are
 * decoded with {@link ImagePipeline} at the encoder's input side, as ingest and photo search do.
 */
final class EncodedImages {
  private final Map<String, List<float[]>> byKey = new HashMap<>();

  /**
   * @param encoderName the encoder's descriptor id (or file), naming its vectors
   * @param set names the image set ({@code originals}, {@code reshoots}); one list of images per set
   * @throws dev.facet.catalog.image.ImageRejectedException when an image is not usable
   */
  List<float[]> vectors(String encoderName, ImageEncoder encoder, String set, List<byte[]> images, List<String> names) {
    if (encoder instanceof FusedImageEncoder fused) {
      List<float[][]> perPart = new ArrayList<>();
      for (int i = 0; i < fused.parts().size(); i++) {
        int part = i;
        String key = fused.parts().get(i).id() + "@" + fused.inputSize() + "/" + set;
        // Cached before the part's projection or head: the same network measured alone, or fused another way, reuses them.
        List<float[]> v = byKey.computeIfAbsent(key, x -> encode(fused.inputSize(), chw -> fused.encodeUnprojected(part, chw), images, names));
        perPart.add(v.toArray(float[][]::new));
      }
      return List.of(fused.fuse(perPart));
    }
    String key = encoderName + "@" + encoder.inputSize() + "/" + set;
    return byKey.computeIfAbsent(key, x -> encode(encoder.inputSize(), encoder::encode, images, names));
  }

  private static List<float[]> encode(int side, java.util.function.Function<List<float[]>, float[][]> encoder, List<byte[]> images,
      List<String> names) {
    ImagePipeline pipeline = new ImagePipeline(side);
    List<float[]> out = new ArrayList<>(images.size());
    List<float[]> batch = new ArrayList<>(ResNetImageEncoder.MAX_BATCH);
    for (int i = 0; i < images.size(); i++) {
      batch.add(pipeline.decodeChw(images.get(i), names.get(i)));
      if (batch.size() == ResNetImageEncoder.MAX_BATCH || i == images.size() - 1) {
        out.addAll(List.of(encoder.apply(batch)));
        batch.clear();
      }
    }
    return out;
  }
}
