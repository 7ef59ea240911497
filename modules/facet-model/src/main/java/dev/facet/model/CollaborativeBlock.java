package dev.facet.model;

import dev.facet.core.VectorMath;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The joint model's collaborative block: graph-propagated user and item embeddings ({@link LightGcn})
 * appended to the towers' vectors, so a served score stays one inner product:
 *
 * <pre>
 * u' = [u ; w·p_u]     v' = [v ; q_i]     u'·v' = u·v + w·(p_u·q_i)
 * </pre>
 *
 * The towers (content, attributes, taste, history, session) rank well what the next event will be, and
 * they place cold items; the collaborative block carries the user's lasting preferences learned from
 * the whole interaction graph, which is what a random hold-out asks for. Which mix a dataset needs is
 * not known in advance, so the weight {@code w} is chosen on the validation split (0 keeps the towers
 * alone). Users unknown at training time and items without training interactions get a zero part: no
 * evidence, no collaborative score.
 */
final class CollaborativeBlock {
  private final int dim;
  private final float[][] users;
  private final float[][] items;
  private float weight;

  CollaborativeBlock(float[][] users, float[][] items, float weight) {
    if (users.length == 0 && items.length == 0) {
      throw new IllegalArgumentException("collaborative block without users or items");
    }
    this.dim = (items.length > 0 ? items[0] : users[0]).length;
    for (float[][] table : new float[][][] {users, items}) {
      for (float[] row : table) {
        if (row.length != dim) {
          throw new IllegalArgumentException("collaborative rows must all have " + dim + " dims, got " + row.length);
        }
      }
    }
    checkWeight(weight);
    this.users = users;
    this.items = items;
    this.weight = weight;
  }

  /** The block of a trained LightGCN (weight 1 until {@link #weight(float)} sets it). */
  static CollaborativeBlock of(TrainingData data, LightGcn gcn) {
    float[][] users = new float[data.schema.numUsers()][];
    float[][] items = new float[data.schema.numItems()][];
    for (int u = 0; u < users.length; u++) {
      users[u] = gcn.userVector(u);
    }
    for (int i = 0; i < items.length; i++) {
      items[i] = gcn.itemVector(i);
    }
    return new CollaborativeBlock(users, items, 1f);
  }

  /** The same tables (shared, never modified) with a weight of its own. */
  CollaborativeBlock copy() {
    return new CollaborativeBlock(users, items, weight);
  }

  /** A block whose row for {@code user} is all zero (erasure); the other rows are shared. */
  CollaborativeBlock withoutUser(int user) {
    float[][] kept = users.clone();
    kept[user] = new float[dim];
    return new CollaborativeBlock(kept, items, weight);
  }

  int dim() {
    return dim;
  }

  float weight() {
    return weight;
  }

  void weight(float value) {
    checkWeight(value);
    weight = value;
  }

  /** {@code w·p_u} for a known user, zeros otherwise. */
  float[] userPart(int user) {
    float[] out = new float[dim];
    if (user >= 0 && user < users.length) {
      for (int f = 0; f < dim; f++) {
        out[f] = weight * users[user][f];
      }
    }
    return out;
  }

  /** {@code q_i} (zeros for an index outside the trained table). */
  float[] itemPart(int item) {
    return item >= 0 && item < items.length ? items[item].clone() : new float[dim];
  }

  /** {@code p_u·q_i} without the weight, for choosing the weight. */
  float rawScore(int user, int item) {
    if (user < 0 || user >= users.length) {
      return 0f;
    }
    return (float) VectorMath.dot(users[user], items[item]);
  }

  /** {@code [a ; b]}: a served vector from a tower vector and a collaborative part. */
  static float[] concat(float[] a, float[] b) {
    float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  void writeTo(DataOutputStream out) throws IOException {
    out.writeInt(dim);
    out.writeFloat(weight);
    writeTable(out, users);
    writeTable(out, items);
  }

  static CollaborativeBlock readFrom(DataInputStream in, int numUsers, int numItems) throws IOException {
    int dim = in.readInt();
    float weight = in.readFloat();
    float[][] users = readTable(in, numUsers, dim, "users");
    float[][] items = readTable(in, numItems, dim, "items");
    return new CollaborativeBlock(users, items, weight);
  }

  private static void writeTable(DataOutputStream out, float[][] table) throws IOException {
    out.writeInt(table.length);
    for (float[] row : table) {
      for (float x : row) {
        out.writeFloat(x);
      }
    }
  }

  private static float[][] readTable(DataInputStream in, int expectedRows, int dim, String what) throws IOException {
    int rows = in.readInt();
    if (rows != expectedRows) {
      throw new IOException("collaborative " + what + " table has " + rows + " rows, the schema has " + expectedRows);
    }
    float[][] table = new float[rows][dim];
    for (float[] row : table) {
      for (int f = 0; f < dim; f++) {
        row[f] = in.readFloat();
      }
    }
    return table;
  }

  private static void checkWeight(float w) {
    if (!(w >= 0) || !Float.isFinite(w)) {
      throw new IllegalArgumentException("collaborative weight must be finite and >= 0, got " + w);
    }
  }
}
