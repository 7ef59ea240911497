package dev.facet.model;

import dev.facet.core.AtomicFileWriter;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facet.core.FacetException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The joint model's single-file checkpoint, written atomically (temporary file in the same
 * directory, fsync, rename) so a crash never leaves a half-written checkpoint.
 *
 * <p>Layout: magic {@code FACETJM1}; a JSON header (configuration, vocabularies, epoch, best
 * validation NDCG@10); the towers' item-vector table; the trained-item flags; the DJL block parameters;
 * with a collaborative block, its weight and user and item tables; with the item-to-item option, whether
 * the block was built and then its λ, weight and sparse rows.
 * Optimizer moments are not stored: a resumed run restarts Adam's moment estimates.
 *
 * @param model the loaded model (the caller closes it)
 * @param epoch the last completed epoch (0-based), -1 for a final model
 * @param bestValidationNdcg best validation NDCG@10 seen so far, NaN when unknown
 */
public record JointModelCheckpoint(JointModel model, int epoch, double bestValidationNdcg) {
  private static final byte[] MAGIC = "FACETJM1".getBytes(StandardCharsets.US_ASCII);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Writes {@code model} to {@code file} atomically. */
  public static void write(Path file, JointModel model, int epoch, double best) {
    try {
      AtomicFileWriter.write(file, out -> writeTo(out, model, epoch, best));
    } catch (IOException e) {
      throw new FacetException("cannot write checkpoint " + file + ": " + e.getMessage(), e);
    }
  }

  static void writeTo(DataOutputStream out, JointModel model, int epoch, double best) throws IOException {
    out.write(MAGIC);
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("config", model.config());
    header.put("schema", model.schema().toMap());
    header.put("epoch", epoch);
    header.put("best", Double.isNaN(best) ? null : best);
    byte[] h = JSON.writeValueAsBytes(header);
    out.writeInt(h.length);
    out.write(h);
    float[][] v = model.itemVectorTable();
    out.writeInt(v.length);
    out.writeInt(model.config().dim());
    for (float[] row : v) {
      for (float x : row) {
        out.writeFloat(x);
      }
    }
    for (boolean t : model.trainedItems()) {
      out.writeBoolean(t);
    }
    ByteArrayOutputStream params = new ByteArrayOutputStream();
    try (DataOutputStream p = new DataOutputStream(params)) {
      model.network().saveParameters(p);
    }
    out.writeInt(params.size());
    params.writeTo(out);
    if (model.collaborative() != null) {
      model.collaborative().writeTo(out);
    }
    if (model.config().usesItemToItem()) {
      out.writeBoolean(model.itemToItem() != null);
      if (model.itemToItem() != null) {
        model.itemToItem().writeTo(out);
      }
    }
  }

  /** Whether the file begins with the checkpoint magic (false when unreadable). */
  static boolean hasMagic(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return java.util.Arrays.equals(in.readNBytes(MAGIC.length), MAGIC);
    } catch (IOException e) {
      return false;
    }
  }

  /** Reads a checkpoint onto the configured device. */
  public static JointModelCheckpoint read(Path file) {
    try (InputStream is = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        DataInputStream in = new DataInputStream(is)) {
      byte[] magic = in.readNBytes(MAGIC.length);
      if (!java.util.Arrays.equals(magic, MAGIC)) {
        throw new FacetException(file + ": not a Facet joint-model checkpoint");
      }
      byte[] h = in.readNBytes(in.readInt());
      Map<String, Object> header = JSON.readValue(h, new TypeReference<Map<String, Object>>() {});
      @SuppressWarnings("unchecked")
      Map<String, Object> stored = new java.util.LinkedHashMap<>((Map<String, Object>) header.get("config"));
      // written before the option existed, when the profile always fed the taste block
      stored.putIfAbsent("profileTaste", true);
      // and before the item bias had a step scale
      stored.putIfAbsent("itemBiasStep", 1f);
      // and before the collaborative block
      stored.putIfAbsent("collaborativeDim", 0);
      stored.putIfAbsent("itemToItem", false);
      JointModelConfig cfg = JSON.convertValue(stored, JointModelConfig.class);
      @SuppressWarnings("unchecked")
      Schema schema = Schema.fromMap((Map<String, Object>) header.get("schema"));
      int epoch = ((Number) header.get("epoch")).intValue();
      Object best = header.get("best");
      int n = in.readInt();
      int d = in.readInt();
      if (n != schema.numItems() || d != cfg.dim()) {
        throw new FacetException(file + ": item table " + n + "x" + d + " does not match the header");
      }
      float[][] v = new float[n][d];
      for (float[] row : v) {
        for (int k = 0; k < d; k++) {
          row[k] = in.readFloat();
        }
      }
      boolean[] trained = new boolean[n];
      for (int i = 0; i < n; i++) {
        trained[i] = in.readBoolean();
      }
      byte[] params = in.readNBytes(in.readInt());
      CollaborativeBlock collab = cfg.collaborative()
          ? CollaborativeBlock.readFrom(in, schema.numUsers(), schema.numItems()) : null;
      ItemToItemBlock itemToItem = cfg.usesItemToItem() && in.readBoolean()
          ? ItemToItemBlock.readFrom(in, schema.numItems()) : null;
      NDManager manager = NDManager.newBaseManager(Devices.resolve(cfg.device()));
      try {
        JointNetwork net = new JointNetwork(cfg, schema);
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
        try (DataInputStream p = new DataInputStream(new java.io.ByteArrayInputStream(params))) {
          net.loadParameters(manager, p);
        }
        JointModel model = new JointModel(cfg, schema, manager, net, v, trained, true, collab, itemToItem);
        return new JointModelCheckpoint(model, epoch, best == null ? Double.NaN : ((Number) best).doubleValue());
      } catch (RuntimeException | MalformedModelException e) {
        manager.close();
        throw e instanceof RuntimeException r ? r : new FacetException(file + ": " + e.getMessage(), e);
      }
    } catch (IOException e) {
      throw new FacetException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
    }
  }

  /** Loads the block parameters of a checkpoint into an existing network (training resume). */
  static void loadParametersInto(Path file, JointNetwork net, NDManager manager) {
    JointModelCheckpoint ck = read(file);
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        ck.model().network().saveParameters(out);
      }
      try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
        net.loadParameters(manager, in);
      }
      JointTrainer.attachGradients(net);
    } catch (IOException | MalformedModelException e) {
      throw new FacetException("cannot restore parameters from " + file + ": " + e.getMessage(), e);
    } finally {
      ck.model().close();
    }
  }
}
