package dev.facet.core;

/**
 * Optional profile of a user. Every field but {@code user} may be null.
 *
 * @param user user id
 * @param ageBand e.g. {@code 25-34}
 * @param gender e.g. {@code f}, {@code m}
 * @param cityTier 1 (largest cities) to 5, or null
 */
public record UserProfile(String user, String ageBand, String gender, Integer cityTier) {
  public UserProfile {
    if (user == null || user.isBlank()) {
      throw new IllegalArgumentException("user profile field 'user' is required");
    }
    if (cityTier != null && (cityTier < 1 || cityTier > 5)) {
      throw new IllegalArgumentException("user " + user + ": city_tier must be 1..5, got " + cityTier);
    }
  }
}
