package dev.facet.model;

import dev.facet.core.Interaction;
import dev.facet.core.UserProfile;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the joint model and the evaluation harness learn from: item content, optional user
 * profiles, behaviour events and, for generated data, the oracle ranking of each user.
 *
 * <p>Every interaction must name a listed item; vectors of one modality must all have the same
 * length. The engine fills this from the catalog and encoders; {@link RecBoleDatasetReader} fills it
 * from RecBole atomic files.
 *
 * @param items every item, in a stable order (ids unique)
 * @param users user id to profile (may be empty)
 * @param interactions all events, any order
 * @param oracleRankings user id to items ranked by true utility, or empty when unknown
 */
public record RecDataset(List<ItemFeatures> items, Map<String, UserProfile> users,
    List<Interaction> interactions, Map<String, List<String>> oracleRankings) {
  public RecDataset {
    items = List.copyOf(items);
    users = users == null ? Map.of() : Map.copyOf(users);
    interactions = List.copyOf(interactions);
    oracleRankings = oracleRankings == null ? Map.of() : Map.copyOf(oracleRankings);
    if (items.isEmpty()) {
      throw new IllegalArgumentException("dataset has no items");
    }
    Set<String> ids = new HashSet<>();
    int imageDim = -1;
    int textDim = -1;
    for (ItemFeatures f : items) {
      if (!ids.add(f.id())) {
        throw new IllegalArgumentException("duplicate item id " + f.id());
      }
      imageDim = checkDim(f.id(), "image", f.image(), imageDim);
      textDim = checkDim(f.id(), "text", f.text(), textDim);
    }
    for (Interaction in : interactions) {
      if (!ids.contains(in.item())) {
        throw new IllegalArgumentException("interaction of user " + in.user() + " names unknown item " + in.item());
      }
    }
  }

  private static int checkDim(String id, String what, float[] v, int dim) {
    if (v == null) {
      return dim;
    }
    if (dim >= 0 && v.length != dim) {
      throw new IllegalArgumentException("item " + id + ": " + what + " vector has " + v.length + " dims, others " + dim);
    }
    return v.length;
  }

  /** Convenience constructor without profiles or oracle. */
  public RecDataset(List<ItemFeatures> items, List<Interaction> interactions) {
    this(items, Map.of(), interactions, Map.of());
  }

  /** Length of the image vectors, 0 when no item has one. */
  public int imageDim() {
    return dim(true);
  }

  /** Length of the text vectors, 0 when no item has one. */
  public int textDim() {
    return dim(false);
  }

  private int dim(boolean image) {
    for (ItemFeatures f : items) {
      float[] v = image ? f.image() : f.text();
      if (v != null) {
        return v.length;
      }
    }
    return 0;
  }
}
