package dev.facet.embed;

/**
 * One tokenized text: ids, attention mask and token type ids of equal length, special tokens
 * included, truncated to the encoder's maximum.
 */
public record Tokens(long[] ids, long[] mask, long[] types) {
  public Tokens {
    if (ids.length != mask.length || ids.length != types.length || ids.length == 0) {
      throw new IllegalArgumentException("ids, mask and type ids must have the same non-zero length");
    }
  }

  int length() {
    return ids.length;
  }
}
