package dev.facet.engine;

import dev.facet.core.FacetConfig;
import dev.facet.embed.EmbedSettings;
import dev.facet.embed.ModelDescriptor;
import dev.facet.embed.ModelDescriptorReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which encoders made an index's vectors: descriptor ids with their weight checksums, or a
 * TorchScript file's path, size and modification time. The content hash of a listing says nothing
 * about the encoders, so without this a retrained image model would leave every unchanged listing
 * with vectors from the old one, silently incomparable with new queries of the same size.
 */
final class EncoderFingerprint {
  private EncoderFingerprint() {}

  static String of(FacetConfig config, EmbedSettings embed) {
    String image = embed.imageModelFile() != null
        ? file(embed.imageModelFile())
        : descriptor(config.modelsDir(), embed.imageModelId());
    return "image=" + image + ";text=" + descriptor(config.modelsDir(), embed.textModelId());
  }

  private static String descriptor(Path modelsDir, String id) {
    try {
      ModelDescriptor d = ModelDescriptorReader.find(modelsDir, id);
      return id + "@" + (d.sha256() == null ? "unchecked" : d.sha256());
    } catch (RuntimeException e) {
      return id; // no readable descriptor: the encoder itself reports that when it is opened
    }
  }

  private static String file(Path file) {
    try {
      return file.toAbsolutePath().normalize() + "@" + Files.size(file) + "@" + Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      return file.toAbsolutePath().normalize().toString();
    }
  }
}
