package dev.facet.cli.web;

import dev.facet.core.Filter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * Typed, validated access to a request's query string. Every malformed value becomes a 400 naming
 * the parameter, so handlers never see a raw {@link NumberFormatException}.
 */
final class QueryParams {
  /** Largest number of results one request may ask for. */
  static final int MAX_K = 100;
  static final int DEFAULT_K = 12;
  /** Longest accepted single value; ids and queries are far shorter, this only bounds abuse. */
  static final int MAX_VALUE_LENGTH = 512;
  /** Most values in a list parameter (filters, session items). */
  static final int MAX_LIST = 50;

  private final Fields fields;

  private QueryParams(Fields fields) {
    this.fields = fields;
  }

  static QueryParams of(Request request) {
    try {
      return new QueryParams(Request.extractQueryParameters(request));
    } catch (RuntimeException e) {
      // Jetty reports bad percent-encoding or invalid UTF-8 as an unchecked exception.
      throw HttpException.badRequest("malformed query string");
    }
  }

  /** The trimmed value of {@code name}, or null when absent or blank; 400 when given twice or too long. */
  String optional(String name) {
    Fields.Field field = fields.get(name);
    if (field == null) {
      return null;
    }
    if (field.getValues().size() > 1) {
      throw HttpException.badRequest("parameter '" + name + "' is given more than once");
    }
    String value = field.getValue();
    if (value == null || value.isBlank()) {
      return null;
    }
    if (value.length() > MAX_VALUE_LENGTH) {
      throw HttpException.badRequest("parameter '" + name + "' is longer than " + MAX_VALUE_LENGTH + " characters");
    }
    return value.trim();
  }

  String required(String name) {
    String value = optional(name);
    if (value == null) {
      throw HttpException.badRequest("parameter '" + name + "' is required");
    }
    return value;
  }

  /** Comma-separated and/or repeated values, trimmed, blanks dropped, in order. */
  List<String> list(String name) {
    Fields.Field field = fields.get(name);
    if (field == null) {
      return List.of();
    }
    Set<String> out = new LinkedHashSet<>();
    for (String raw : field.getValues()) {
      if (raw.length() > MAX_VALUE_LENGTH) {
        throw HttpException.badRequest("parameter '" + name + "' is longer than " + MAX_VALUE_LENGTH + " characters");
      }
      for (String part : raw.split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
    }
    if (out.size() > MAX_LIST) {
      throw HttpException.badRequest("parameter '" + name + "' has more than " + MAX_LIST + " values");
    }
    return new ArrayList<>(out);
  }

  /** Number of results, {@value #DEFAULT_K} when absent, 400 outside {@code [1, MAX_K]}. */
  int k() {
    String value = optional("k");
    if (value == null) {
      return DEFAULT_K;
    }
    int k;
    try {
      k = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw HttpException.badRequest("parameter 'k' must be an integer in [1, " + MAX_K + "], got '" + value + "'");
    }
    if (k < 1 || k > MAX_K) {
      throw HttpException.badRequest("parameter 'k' must be in [1, " + MAX_K + "], got " + k);
    }
    return k;
  }

  /** The listing filter from category, material, gemstone, merchant, min_price, max_price, in_stock. */
  Filter filter() {
    Double min = price("min_price");
    Double max = price("max_price");
    if (min != null && max != null && min > max) {
      throw HttpException.badRequest("min_price " + min + " is above max_price " + max);
    }
    return new Filter(min, max, Set.copyOf(list("category")), Set.copyOf(list("material")),
        Set.copyOf(list("gemstone")), Set.copyOf(list("merchant")), bool("in_stock"));
  }

  private Double price(String name) {
    String value = optional(name);
    if (value == null) {
      return null;
    }
    double price;
    try {
      price = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw HttpException.badRequest("parameter '" + name + "' must be a number, got '" + value + "'");
    }
    if (!Double.isFinite(price) || price < 0) {
      throw HttpException.badRequest("parameter '" + name + "' must be a finite number >= 0, got '" + value + "'");
    }
    return price;
  }

  boolean bool(String name) {
    String value = optional(name);
    if (value == null) {
      return false;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "1", "on", "yes" -> true;
      case "false", "0", "off", "no" -> false;
      default -> throw HttpException.badRequest("parameter '" + name + "' must be true or false, got '" + value + "'");
    };
  }

  /** An enum constant by case-insensitive name, {@code fallback} when absent. */
  <E extends Enum<E>> E choice(String name, Class<E> type, E fallback) {
    String value = optional(name);
    if (value == null) {
      return fallback;
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(value)) {
        return e;
      }
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(e.name().toLowerCase(Locale.ROOT));
    }
    throw HttpException.badRequest("parameter '" + name + "' must be one of " + names + ", got '" + value + "'");
  }
}
