package dev.facet.embed;

import java.util.Random;

/**
 * A fixed linear map from {@code in} to {@code out < in} dimensions with orthonormal columns,
 * drawn from a seeded Gaussian and orthonormalised (Gram-Schmidt, in double precision), so the same
 * seed gives the same map on every JVM. Such a map keeps cosines close (Johnson-Lindenstrauss)
 * while fitting a part of a fused vector into the index's dimension budget, and needs no data.
 */
final class RandomProjection {
  private final int in;
  private final int out;
  /** Column-major: {@code columns[c]} has {@code in} values. */
  private final float[][] columns;

  RandomProjection(int in, int out, long seed) {
    if (out < 1 || out > in) {
      throw new IllegalArgumentException("projection from " + in + " to " + out + " dimensions");
    }
    this.in = in;
    this.out = out;
    Random random = new Random(seed);
    double[][] q = new double[out][in];
    for (int c = 0; c < out; c++) {
      double[] v = q[c];
      for (int i = 0; i < in; i++) {
        v[i] = random.nextGaussian();
      }
      for (int p = 0; p < c; p++) {
        double dot = 0;
        for (int i = 0; i < in; i++) {
          dot += v[i] * q[p][i];
        }
        for (int i = 0; i < in; i++) {
          v[i] -= dot * q[p][i];
        }
      }
      double norm = 0;
      for (double x : v) {
        norm += x * x;
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < in; i++) {
        v[i] /= norm;
      }
    }
    columns = new float[out][in];
    for (int c = 0; c < out; c++) {
      for (int i = 0; i < in; i++) {
        columns[c][i] = (float) q[c][i];
      }
    }
  }

  /** A copy of the map's columns: {@code columns()[c]} has the input's dimension. */
  float[][] columns() {
    float[][] copy = new float[out][];
    for (int c = 0; c < out; c++) {
      copy[c] = columns[c].clone();
    }
    return copy;
  }

  int outputDim() {
    return out;
  }

  /** The projected vectors, L2-normalised. */
  float[][] apply(float[][] vectors) {
    float[][] result = new float[vectors.length][];
    for (int r = 0; r < vectors.length; r++) {
      float[] v = vectors[r];
      if (v.length != in) {
        throw new IllegalArgumentException("vector of " + v.length + " values, projection expects " + in);
      }
      float[] y = new float[out];
      for (int c = 0; c < out; c++) {
        y[c] = (float) Vectors.dot(v, columns[c]);
      }
      result[r] = Vectors.l2Normalize(y);
    }
    return result;
  }
}
