package dev.facet.core;

import java.util.Locale;

/**
 * Kinds of user behaviour Facet learns from, ordered by strength of intent.
 *
 * <p>The weight is the relative importance of one event of that kind in the interaction loss and in
 * attention pooling over a user's history (purchase &gt; cart &gt; favorite &gt; click &gt; view).
 */
public enum EventType {
  VIEW(1.0f),
  CLICK(1.5f),
  FAVORITE(2.5f),
  CART(3.0f),
  PURCHASE(4.0f);

  private final float weight;

  EventType(float weight) {
    this.weight = weight;
  }

  /** Relative strength of this event in training and attention. */
  public float weight() {
    return weight;
  }

  /**
   * Parses Facet's own names ({@code view}, {@code click}, ...) and the Taobao User Behavior names
   * ({@code pv}, {@code fav}, {@code cart}, {@code buy}), case-insensitively.
   *
   * @throws IllegalArgumentException naming the value when it is none of those
   */
  public static EventType parse(String value) {
    if (value == null) {
      throw new IllegalArgumentException("event is missing");
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "view", "pv" -> VIEW;
      case "click" -> CLICK;
      case "favorite", "fav", "favourite" -> FAVORITE;
      case "cart" -> CART;
      case "purchase", "buy" -> PURCHASE;
      default -> throw new IllegalArgumentException("unknown event type '" + value + "'");
    };
  }

  /** The lower-case name used in JSON and CSV files. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
