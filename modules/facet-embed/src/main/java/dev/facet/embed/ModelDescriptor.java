package dev.facet.embed;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What one model is and where its weights come from; read from {@code models/<id>.json} or
 * {@code models/<id>/descriptor.json} by {@link ModelDescriptorReader}.
 *
 * @param id stable model id, e.g. {@code bge-small-zh-v1.5}
 * @param kind whether the model encodes text or images
 * @param engine DJL engine name: {@code OnnxRuntime} or {@code PyTorch}
 * @param format {@code onnx}, {@code torchscript} (a traced module) or {@code djl-params} (weights of a
 *     block built by Facet's code)
 * @param architecture human-readable network description (for {@code djl-params}, the block factory's
 *     name, which must match)
 * @param source {@code maven:<groupId>:<artifactId>:<version>} (weights are classpath resources of
 *     that jar), {@code file} (supplied by the user) or {@code trained} (made by {@code facet
 *     train-encoder})
 * @param weights classpath resource name for maven sources; otherwise a path, relative to the
 *     descriptor's directory unless absolute
 * @param sha256 lowercase hex SHA-256 of the weights, or null to skip the check (user-supplied files)
 * @param tokenizer tokenizer.json resource or path for text models, else null
 * @param tokenizerSha256 SHA-256 of the tokenizer file, or null
 * @param input input specification
 * @param outputDim length of the vectors the encoder returns
 * @param pooling how token or spatial features become one vector
 * @param normalization {@code l2}: every output has unit length
 * @param licence licence of the weights
 * @param obtain what to run or download when the weights are missing
 * @param location the descriptor file, for messages and relative paths
 */
public record ModelDescriptor(
    String id,
    Kind kind,
    String engine,
    String format,
    String architecture,
    String source,
    String weights,
    String sha256,
    String tokenizer,
    String tokenizerSha256,
    Input input,
    int outputDim,
    String pooling,
    String normalization,
    String licence,
    String obtain,
    Path location) {

  /** What a model encodes. */
  public enum Kind {
    TEXT,
    IMAGE
  }

  /**
   * Input specification; image fields are zero/null for text models and vice versa.
   *
   * @param size side of the square image input in pixels
   * @param internalSize side at which the network actually runs (images are average-pooled down to
   *     it inside the model), equal to {@code size} when there is no such step
   * @param mean per-channel RGB normalization mean
   * @param std per-channel RGB normalization standard deviation
   * @param maxTokens truncation length for text, including special tokens
   * @param lowercase whether text is lowercased before tokenization
   */
  public record Input(int size, int internalSize, List<Float> mean, List<Float> std, int maxTokens, boolean lowercase) {
    public Input {
      mean = mean == null ? List.of() : List.copyOf(mean);
      std = std == null ? List.of() : List.copyOf(std);
    }
  }

  public ModelDescriptor {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(input, "input");
    if (outputDim <= 0) {
      throw new IllegalArgumentException("model " + id + ": output dim must be > 0, got " + outputDim);
    }
  }

  /** True when the weights are a classpath resource of a Maven artifact. */
  public boolean fromMaven() {
    return source.startsWith("maven:");
  }

  /** The Maven coordinates of a {@code maven:} source, else null. */
  public String mavenCoordinates() {
    return fromMaven() ? source.substring("maven:".length()) : null;
  }

  /** The weights path for file and trained sources, resolved against the descriptor's directory. */
  public Path weightsPath() {
    if (fromMaven()) {
      throw new IllegalStateException("model " + id + " has classpath weights (" + source + ")");
    }
    return resolve(weights);
  }

  Path resolve(String file) {
    Path p = Path.of(file);
    if (p.isAbsolute() || location == null) {
      return p;
    }
    Path dir = location.toAbsolutePath().getParent();
    return dir == null ? p : dir.resolve(p);
  }
}
