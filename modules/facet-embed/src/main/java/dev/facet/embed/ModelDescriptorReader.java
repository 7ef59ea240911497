package dev.facet.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facet.core.FacetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads model descriptors from {@code models/}. Every failure names the file concerned and says how
 * to get a usable one, because a missing model is the most common first-run problem.
 */
public final class ModelDescriptorReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelDescriptorReader() {}

  /**
   * Finds the descriptor of {@code id} in {@code modelsDir}: {@code <id>.json}, else
   * {@code <id>/descriptor.json}.
   *
   * @throws FacetException when neither exists or the file is invalid
   */
  public static ModelDescriptor find(Path modelsDir, String id) {
    Path flat = modelsDir.resolve(id + ".json");
    Path nested = modelsDir.resolve(id).resolve("descriptor.json");
    if (Files.isRegularFile(flat)) {
      return read(flat);
    }
    if (Files.isRegularFile(nested)) {
      return read(nested);
    }
    throw new FacetException("model descriptor for '" + id + "' not found: neither " + flat + " nor " + nested
        + " exists; point --models at the project's models/ directory"
        + (ResNetImageEncoder.DEFAULT_ID.equals(id) || FusedImageEncoder.DEFAULT_ID.equals(id) ? " or run `./facet train-encoder --catalog catalog-samples`" : ""));
  }

  /**
   * Ids of the image model descriptors in {@code modelsDir} ({@code <id>.json} and
   * {@code <id>/descriptor.json}), sorted; unreadable descriptors are left out.
   */
  public static List<String> imageIds(Path modelsDir) {
    List<String> ids = new ArrayList<>();
    try (Stream<Path> files = Files.list(modelsDir)) {
      for (Path p : files.sorted().toList()) {
        Path file = Files.isDirectory(p) ? p.resolve("descriptor.json") : p;
        if (!Files.isRegularFile(file) || !file.getFileName().toString().endsWith(".json")) {
          continue;
        }
        try {
          ModelDescriptor d = read(file);
          if (d.kind() == ModelDescriptor.Kind.IMAGE) {
            ids.add(d.id());
          }
        } catch (FacetException e) {
          // Not a descriptor (or a broken one): opening it by id reports the problem.
        }
      }
    } catch (IOException e) {
      throw new FacetException("cannot list models directory " + modelsDir + ": " + e.getMessage(), e);
    }
    return ids;
  }

  /**
   * Reads and validates one descriptor file (does not touch the weights; see {@link ModelFiles}).
   *
   * @throws FacetException naming the file and the offending field
   */
  public static ModelDescriptor read(Path file) {
    JsonNode root = parse(file);
    try {
      String id = text(root, "id", file, true);
      JsonNode out = root.path("output");
      ModelDescriptor.Kind kind = kind(root, file);
      ModelDescriptor.Input input = input(root.path("input"), kind, file);
      int dim = out.path("dim").asInt(0);
      if (dim <= 0) {
        throw new FacetException("model descriptor " + file + ": field 'output.dim' must be a positive integer");
      }
      String sha = text(root, "sha256", file, false);
      if (sha != null && !sha.matches("[0-9a-f]{64}")) {
        throw new FacetException("model descriptor " + file + ": field 'sha256' must be 64 lowercase hex digits");
      }
      String format = text(root, "format", file, true);
      // A fused model has no weights of its own (its parts' descriptors name theirs) unless a trained head maps its parts.
      boolean fused = FusedImageEncoder.FORMAT.equals(format);
      String weights = text(root, "weights", file, !fused);
      return new ModelDescriptor(
          id,
          kind,
          text(root, "engine", file, true),
          format,
          text(root, "architecture", file, false),
          text(root, "source", file, true),
          weights == null ? "" : weights,
          sha,
          text(root, "tokenizer", file, false),
          text(root, "tokenizerSha256", file, false),
          input,
          dim,
          out.path("pooling").asText(null),
          out.path("normalization").asText("l2"),
          text(root, "licence", file, false),
          text(root, "obtain", file, false),
          file);
    } catch (IllegalArgumentException e) {
      throw new FacetException("model descriptor " + file + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode parse(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new FacetException("model descriptor " + file + " is unreadable or not JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new FacetException("model descriptor " + file + " must be a JSON object");
    }
    return root;
  }

  private static ModelDescriptor.Kind kind(JsonNode root, Path file) {
    String kindText = text(root, "kind", file, true);
    try {
      return ModelDescriptor.Kind.valueOf(kindText.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new FacetException("model descriptor " + file + ": field 'kind' must be 'text' or 'image', got '" + kindText + "'");
    }
  }

  private static ModelDescriptor.Input input(JsonNode in, ModelDescriptor.Kind kind, Path file) {
    int size = in.path("size").asInt(0);
    ModelDescriptor.Input input = new ModelDescriptor.Input(
        size,
        in.path("internalSize").asInt(size),
        floats(in.path("mean")),
        floats(in.path("std")),
        in.path("maxTokens").asInt(0),
        in.path("lowercase").asBoolean(false));
    if (kind == ModelDescriptor.Kind.IMAGE && size <= 0) {
      throw new FacetException("model descriptor " + file + ": image models need input.size > 0");
    }
    if (kind == ModelDescriptor.Kind.TEXT && input.maxTokens() <= 0) {
      throw new FacetException("model descriptor " + file + ": text models need input.maxTokens > 0");
    }
    return input;
  }

  private static String text(JsonNode root, String field, Path file, boolean required) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull() || (n.isTextual() && n.asText().isBlank())) {
      if (required) {
        throw new FacetException("model descriptor " + file + ": required field '" + field + "' is missing");
      }
      return null;
    }
    if (!n.isTextual()) {
      throw new FacetException("model descriptor " + file + ": field '" + field + "' must be a string");
    }
    return n.asText();
  }

  private static List<Float> floats(JsonNode array) {
    List<Float> out = new ArrayList<>();
    if (array.isArray()) {
      array.forEach(v -> out.add((float) v.asDouble()));
    }
    return out;
  }
}
