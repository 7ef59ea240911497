package dev.facet.embed;

import ai.djl.MalformedModelException;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import dev.facet.core.Device;
import dev.facet.core.FacetException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * BERT sentence encoder: HuggingFace tokenizer, BERT forward pass, mean pooling over the attention
 * mask, L2 normalization. The default model is bge-small-zh v1.5 (512 dims) run by OnnxRuntime from
 * the weights shipped in a Maven jar; a TorchScript BERT with the same inputs ({@code input_ids},
 * {@code attention_mask}, {@code token_type_ids}) and first output {@code last_hidden_state} runs on
 * the PyTorch engine from the same kind of descriptor.
 *
 * <p>Texts are lowercased before tokenization because bge's tokenizer.json does not lowercase and its
 * vocabulary is lowercase: "18K" would otherwise become [UNK]. Thread-safe: every call uses its own
 * predictor and native memory scope.
 */
public final class BertTextEncoder implements TextEncoder {
  /** Id of the default descriptor, {@code models/bge-small-zh-v1.5.json}. */
  public static final String DEFAULT_ID = "bge-small-zh-v1.5";
  /** Texts per forward pass when {@link #encode} is given more. */
  static final int MAX_BATCH = 32;

  private final ModelDescriptor descriptor;
  private final HuggingFaceTokenizer tokenizer;
  private final ZooModel<List<Tokens>, float[][]> model;
  private final int maxTokens;
  private final boolean lowercase;

  private BertTextEncoder(ModelDescriptor descriptor, HuggingFaceTokenizer tokenizer, ZooModel<List<Tokens>, float[][]> model) {
    this.descriptor = descriptor;
    this.tokenizer = tokenizer;
    this.model = model;
    this.maxTokens = descriptor.input().maxTokens();
    this.lowercase = descriptor.input().lowercase();
  }

  /** Opens the default bge-small-zh model described in {@code modelsDir}, on the CPU. */
  public static BertTextEncoder open(Path modelsDir, Path cacheDir) {
    return open(ModelDescriptorReader.find(modelsDir, DEFAULT_ID), cacheDir, Device.CPU);
  }

  /**
   * Opens the text model of {@code descriptor}.
   *
   * @param cacheDir where classpath weights are unpacked (see {@link ModelFiles})
   * @param device device for PyTorch models; OnnxRuntime models always run on the CPU build bundled
   *     with Facet
   * @throws FacetException when the files are missing or corrupt or the model does not load
   */
  public static BertTextEncoder open(ModelDescriptor descriptor, Path cacheDir, Device device) {
    Objects.requireNonNull(descriptor, "descriptor");
    if (descriptor.kind() != ModelDescriptor.Kind.TEXT) {
      throw new FacetException("model '" + descriptor.id() + "' (" + descriptor.location() + ") is not a text model");
    }
    Path weights = ModelFiles.weights(descriptor, cacheDir);
    Path tokenizerFile = ModelFiles.tokenizer(descriptor, cacheDir);
    HuggingFaceTokenizer tokenizer = null;
    try {
      tokenizer = HuggingFaceTokenizer.builder()
          .optTokenizerPath(tokenizerFile)
          .optAddSpecialTokens(true)
          .optTruncation(true)
          .optMaxLength(descriptor.input().maxTokens())
          .optPadding(false)
          .build();
      boolean onnx = "OnnxRuntime".equals(descriptor.engine());
      Criteria.Builder<List<Tokens>, float[][]> criteria = Criteria.builder()
          .setTypes(listOfTokens(), float[][].class)
          .optModelPath(weights)
          .optEngine(descriptor.engine())
          .optTranslator(new TokensTranslator())
          .optDevice(onnx ? ai.djl.Device.cpu() : Devices.pytorch(device));
      if (!onnx) {
        criteria.optOption("mapLocation", "true");
      }
      ZooModel<List<Tokens>, float[][]> model = criteria.build().loadModel();
      BertTextEncoder encoder = new BertTextEncoder(descriptor, tokenizer, model);
      encoder.checkDimension();
      return encoder;
    } catch (IOException | ModelNotFoundException | MalformedModelException e) {
      if (tokenizer != null) {
        tokenizer.close();
      }
      throw new FacetException("cannot load text model '" + descriptor.id() + "' from " + weights + ": " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Class<List<Tokens>> listOfTokens() {
    return (Class<List<Tokens>>) (Class<?>) List.class;
  }

  private void checkDimension() {
    // Also warms the session up, so the first real batch is not the slow one.
    int got = encodeTokens(List.of(tokenize("dimension check")))[0].length;
    if (got != descriptor.outputDim()) {
      close();
      throw new FacetException("text model '" + descriptor.id() + "' returns " + got + "-dim vectors but "
          + descriptor.location() + " declares " + descriptor.outputDim());
    }
  }

  /** The descriptor this encoder was opened from. */
  public ModelDescriptor descriptor() {
    return descriptor;
  }

  @Override
  public int dimension() {
    return descriptor.outputDim();
  }

  /** Maximum tokens per text, special tokens included; longer texts are truncated. */
  public int maxTokens() {
    return maxTokens;
  }

  @Override
  public float[][] encode(List<String> texts) {
    List<Tokens> tokens = new ArrayList<>(texts.size());
    for (String text : texts) {
      tokens.add(tokenize(text));
    }
    return encodeTokens(tokens);
  }

  /** Lowercases (when the descriptor says so) and tokenizes one text. Thread-safe, CPU only. */
  public Tokens tokenize(String text) {
    Objects.requireNonNull(text, "text");
    String input = lowercase ? text.toLowerCase(Locale.ROOT) : text;
    Encoding e = tokenizer.encode(input);
    return new Tokens(e.getIds(), e.getAttentionMask(), e.getTypeIds());
  }

  /**
   * Runs the forward pass on already tokenized texts, {@link #MAX_BATCH} at a time. Longer inputs
   * are batched in order of length so that short texts are not padded to a long neighbour's length
   * (padding is computed and thrown away); results come back in input order.
   */
  public float[][] encodeTokens(List<Tokens> tokens) {
    int n = tokens.size();
    float[][] out = new float[n][];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (n > MAX_BATCH) {
      java.util.Arrays.sort(order, java.util.Comparator.comparingInt(i -> tokens.get(i).length()));
    }
    try (Predictor<List<Tokens>, float[][]> predictor = model.newPredictor()) {
      for (int from = 0; from < n; from += MAX_BATCH) {
        int to = Math.min(n, from + MAX_BATCH);
        List<Tokens> batch = new ArrayList<>(to - from);
        for (int k = from; k < to; k++) {
          batch.add(tokens.get(order[k]));
        }
        float[][] part = predictor.predict(batch);
        for (int k = from; k < to; k++) {
          out[order[k]] = part[k - from];
        }
      }
    } catch (TranslateException e) {
      throw new FacetException("text model '" + descriptor.id() + "' failed on a batch of " + tokens.size() + ": " + e.getMessage(), e);
    }
    return out;
  }

  @Override
  public void close() {
    model.close();
    tokenizer.close();
  }
}
