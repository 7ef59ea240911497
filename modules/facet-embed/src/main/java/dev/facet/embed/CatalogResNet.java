package dev.facet.embed;

import ai.djl.basicmodelzoo.cv.classification.ResNetV1;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;

/**
 * The network of the catalog-trained image encoder: DJL's {@link ResNetV1} in its 18-layer shape
 * (bottleneck units, 64-128-256-512 filters, so the inner convolutions are a quarter as wide as
 * torchvision's ResNet-18), whose final linear layer is the projection to the output dimension.
 *
 * <p>When {@code internalSize < inputSize} the input is average-pooled down first (how older
 * descriptors with a 224-pixel input and a 56-pixel network load). Models trained now have
 * {@code internalSize == inputSize}: the image pipeline decodes straight to the network's side
 * (libjpeg's reduced-scale decode), which costs far less than decoding 224 pixels to pool them away.
 */
final class CatalogResNet {
  /** Name recorded in descriptors; loading checks it so weights never meet a different network. */
  static final String ARCHITECTURE = "djl-resnetv1-18";

  private CatalogResNet() {}

  static Block encoder(int inputSize, int internalSize, int outputDim) {
    if (internalSize <= 0 || inputSize % internalSize != 0) {
      throw new IllegalArgumentException("input size " + inputSize + " must be a multiple of the internal size " + internalSize);
    }
    SequentialBlock net = new SequentialBlock();
    int factor = inputSize / internalSize;
    if (factor > 1) {
      net.add(Pool.avgPool2dBlock(new Shape(factor, factor), new Shape(factor, factor)));
    }
    Block resnet = ResNetV1.builder()
        .setImageShape(new Shape(3, internalSize, internalSize))
        .setNumLayers(18)
        .setOutSize(outputDim)
        .build();
    net.add(resnet);
    return net;
  }
}
