/**
 * Feature extraction: {@link dev.facet.embed.TextEncoder} (bge-small-zh BERT through DJL HF
 * tokenizers and OnnxRuntime, or a TorchScript BERT) and {@link dev.facet.embed.ImageEncoder}
 * (a DJL ResNetV1 trained on the catalog by {@link dev.facet.embed.ImageEncoderTrainer}, or a
 * pretrained TorchScript ResNet), model descriptors from {@code models/}
 * ({@link dev.facet.embed.ModelDescriptorReader}, {@link dev.facet.embed.ModelFiles}), the batched
 * {@link dev.facet.embed.EmbeddingPipeline} and the Guice {@link dev.facet.embed.EmbedModule} (the
 * encoder benchmark lives in {@code facet-bench}).
 *
 * <p>All vectors are L2-normalized, so dot product is cosine similarity. Encoders are thread-safe;
 * each call runs in its own predictor and NDManager scope, so native memory is released batch by
 * batch.
 */
package dev.facet.embed;
