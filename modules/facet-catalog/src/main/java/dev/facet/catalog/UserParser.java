package dev.facet.catalog;

import dev.facet.core.UserProfile;

/** Validates one raw user profile: {@code user} required, {@code city_tier} an integer 1..5. */
final class UserParser {
  private UserParser() {}

  static String idOf(RecordFields r) {
    try {
      String user = ListingParser.optional(r.id("user"));
      return user == null ? null : Texts.printable(user, ListingParser.MAX_ID_CHARS);
    } catch (FieldException e) {
      return null;
    }
  }

  static UserProfile parse(RecordFields r) throws FieldException {
    String user = ListingParser.id(r, "user");
    Long tier = r.integer("city_tier");
    if (tier != null && (tier < 1 || tier > 5)) {
      throw new FieldException("city_tier", "city_tier out of range: " + tier + " (expected 1..5)");
    }
    return new UserProfile(user, ListingParser.optional(r.text("age_band")), ListingParser.optional(r.text("gender")),
        tier == null ? null : tier.intValue());
  }
}
