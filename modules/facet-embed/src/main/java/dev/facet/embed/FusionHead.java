package dev.facet.embed;

import dev.facet.core.FacetException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A trained linear map from the concatenated unit vectors of a fused encoder's parts to its output,
 * L2-normalised ({@code y = unit(W x)}). Trained by {@link FusionHeadTrainer} over frozen part
 * features; {@link #initial} is the fixed fusion it starts from (each part's seeded random
 * projection scaled by the square root of its weight), so an untrained head ranks as the fixed
 * fusion does.
 *
 * <p>File format: the magic {@code FHD1}, input and output dimensions (big-endian ints), then the
 * {@code in × out} weights row by row (big-endian floats).
 */
final class FusionHead {
  private static final int MAGIC = 0x46484431;

  private final int in;
  private final int out;
  /** Row-major {@code in × out}: {@code weights[i * out + o]}. */
  private final float[] weights;

  FusionHead(int in, int out, float[] weights) {
    if (in < 1 || out < 1 || weights.length != in * out) {
      throw new IllegalArgumentException("head " + in + " x " + out + " with " + weights.length + " weights");
    }
    this.in = in;
    this.out = out;
    this.weights = weights;
  }

  /**
   * The fixed fusion as a head: part {@code p} (input {@code dims[p]}, weight {@code w_p}) is mapped
   * by {@code RandomProjection(dims[p], outDims[p], seeds[p])} scaled by {@code sqrt(w_p × dims[p] /
   * outDims[p])}, so that its projected share has about the norm {@code sqrt(w_p)} it has in the
   * fixed fusion (a projection to fewer dimensions shrinks a unit vector by about that ratio). A
   * part without a projection ({@code outDims[p] == dims[p]}) keeps its vector, scaled by {@code sqrt(w_p)}.
   */
  static FusionHead initial(int[] dims, int[] outDims, double[] partWeights, long[] seeds) {
    int in = 0;
    int out = 0;
    for (int p = 0; p < dims.length; p++) {
      in += dims[p];
      out += outDims[p];
    }
    float[] w = new float[in * out];
    int row = 0;
    int col = 0;
    for (int p = 0; p < dims.length; p++) {
      float[][] columns = outDims[p] == dims[p] ? identity(dims[p]) : new RandomProjection(dims[p], outDims[p], seeds[p]).columns();
      float scale = (float) Math.sqrt(partWeights[p] * dims[p] / outDims[p]);
      for (int c = 0; c < outDims[p]; c++) {
        for (int i = 0; i < dims[p]; i++) {
          w[(row + i) * out + col + c] = columns[c][i] * scale;
        }
      }
      row += dims[p];
      col += outDims[p];
    }
    return new FusionHead(in, out, w);
  }

  private static float[][] identity(int n) {
    float[][] columns = new float[n][n];
    for (int i = 0; i < n; i++) {
      columns[i][i] = 1;
    }
    return columns;
  }

  int inputDim() {
    return in;
  }

  int outputDim() {
    return out;
  }

  /** A copy of the row-major weights. */
  float[] weights() {
    return weights.clone();
  }

  /** Unit output vectors of the concatenated part vectors. */
  float[][] apply(List<float[][]> perPart) {
    int n = perPart.getFirst().length;
    float[][] result = new float[n][];
    for (int r = 0; r < n; r++) {
      float[] y = new float[out];
      int offset = 0;
      for (float[][] part : perPart) {
        float[] x = part[r];
        for (int i = 0; i < x.length; i++) {
          float xi = x[i];
          int base = (offset + i) * out;
          for (int o = 0; o < out; o++) {
            y[o] += xi * weights[base + o];
          }
        }
        offset += x.length;
      }
      if (offset != in) {
        throw new IllegalArgumentException("parts give " + offset + " values, the head expects " + in);
      }
      result[r] = Vectors.l2Normalize(y);
    }
    return result;
  }

  void save(Path file) throws IOException {
    try (DataOutputStream data = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
      data.writeInt(MAGIC);
      data.writeInt(in);
      data.writeInt(out);
      for (float v : weights) {
        data.writeFloat(v);
      }
    }
  }

  /** @throws FacetException when the file is not a head or its size does not match its header */
  static FusionHead load(Path file) {
    try (DataInputStream data = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      if (data.readInt() != MAGIC) {
        throw new FacetException("fusion head " + file + " is not a Facet fusion head (no FHD1 header)");
      }
      int in = data.readInt();
      int out = data.readInt();
      long expected = 12L + 4L * in * out;
      if (in < 1 || out < 1 || Files.size(file) != expected) {
        throw new FacetException("fusion head " + file + ": header says " + in + " x " + out + " but the file has "
            + Files.size(file) + " bytes (expected " + expected + ")");
      }
      float[] w = new float[in * out];
      for (int i = 0; i < w.length; i++) {
        w[i] = data.readFloat();
      }
      return new FusionHead(in, out, w);
    } catch (IOException e) {
      throw new FacetException("fusion head " + file + " is unreadable: " + e.getMessage(), e);
    }
  }
}
