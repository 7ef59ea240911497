package dev.facet.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facet.core.Device;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The committed default image model: the fused InceptionV3 trunk and the catalog ResNet tuned for the fusion. */
class DefaultImageModelTest {
  @Test
  void defaultIsTheFusedTrunkAndResNetAndFindsReshotPictures() {
    assertThat(EmbedSettings.defaults().imageModelId()).isEqualTo(FusedImageEncoder.DEFAULT_ID);
    ModelDescriptor descriptor = ModelDescriptorReader.find(TestModels.modelsDir(), FusedImageEncoder.DEFAULT_ID);
    try (ImageEncoder encoder = ImageEncoders.open(descriptor, Device.CPU)) {
      FusedImageEncoder fused = (FusedImageEncoder) encoder;
      assertThat(fused.parts()).extracting(FusedImageEncoder.Part::id)
          .containsExactly("image-inception-nsfwjs", ComplementTraining.RESNET_ID);
      assertThat(fused.parts().get(1).encoder()).isInstanceOf(ResNetImageEncoder.class);
      assertThat(encoder.dimension()).isEqualTo(512);
      List<byte[]> pictures = new ArrayList<>();
      List<byte[]> reshoots = new ArrayList<>();
      List<String> names = new ArrayList<>();
      PhotoReshoot reshoot = new PhotoReshoot(5L);
      for (int i = 0; i < 6; i++) {
        byte[] p = PhotoFolderReshootTest.picture(400, 300, 40 + i);
        pictures.add(p);
        names.add("p" + i + ".jpg");
        reshoots.add(reshoot.reshoot(p, names.get(i)));
      }
      ReshootRetrieval.Result r = ReshootRetrieval.measure(encoder, pictures, reshoots, names, 2);
      assertThat(r.topK()).isEqualTo(1.0);
      assertThat(r.originals()).allSatisfy(v -> assertThat(Vectors.dot(v, v)).isBetween(0.999, 1.001));
    }
  }
}
