package dev.facet.model;

import dev.facet.core.Interaction;
import java.util.List;

/** Dense per-item and per-user inputs for training and inference, built once per split. */
final class TrainingData {
  final Schema schema;
  final float[][] attrBag;
  final float[][] image;
  final float[][] text;
  final boolean[] trained;
  final long[] counts;
  final List<List<Step>> sequences;
  final float[][] profile;
  final float[][] preference;

  TrainingData(Schema schema, RecDataset ds, List<Interaction> train) {
    this.schema = schema;
    int n = schema.numItems();
    attrBag = new float[n][];
    image = new float[n][];
    text = new float[n][];
    for (ItemFeatures f : ds.items()) {
      int i = schema.item(f.id());
      attrBag[i] = schema.attributeBag(f.attributes());
      image[i] = f.image();
      text[i] = f.text();
    }
    sequences = Step.histories(schema, train);
    trained = new boolean[n];
    counts = new long[n];
    for (List<Step> seq : sequences) {
      for (Step s : seq) {
        trained[s.item()] = true;
        counts[s.item()]++;
      }
    }
    profile = new float[schema.numUsers()][];
    preference = new float[schema.numUsers()][];
    for (int u = 0; u < schema.numUsers(); u++) {
      profile[u] = schema.profileBag(ds.users().get(schema.userIds.get(u)));
      preference[u] = preferenceTarget(schema, attrBag, sequences.get(u));
    }
  }

  /** Event-weighted attribute distribution of a history, normalized per attribute key. */
  static float[] preferenceTarget(Schema schema, float[][] attrBag, List<Step> history) {
    float[] t = new float[schema.numAttrTokens()];
    for (Step s : history) {
      float w = s.event().weight();
      float[] bag = attrBag[s.item()];
      for (int k = 0; k < t.length; k++) {
        t[k] += w * bag[k];
      }
    }
    for (int k = 0; k + 1 < schema.keyStart.length; k++) {
      float sum = 0;
      for (int j = schema.keyStart[k]; j < schema.keyStart[k + 1]; j++) {
        sum += t[j];
      }
      if (sum > 0) {
        for (int j = schema.keyStart[k]; j < schema.keyStart[k + 1]; j++) {
          t[j] /= sum;
        }
      }
    }
    return t;
  }

  int numExamples() {
    int n = 0;
    for (List<Step> s : sequences) {
      n += s.size();
    }
    return n;
  }
}
