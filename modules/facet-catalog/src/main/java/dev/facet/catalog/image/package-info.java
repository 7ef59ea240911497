/**
 * Image decoding for the encoders: {@link dev.facet.catalog.image.ImagePipeline} turns JPEG, PNG,
 * WebP or BMP bytes into an ImageNet-normalized CHW tensor and rejects unusable files before
 * decoding them.
 */
package dev.facet.catalog.image;
