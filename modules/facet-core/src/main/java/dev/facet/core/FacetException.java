package dev.facet.core;

/** Base of Facet's unchecked errors; messages name the file, record or model concerned. */
public class FacetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public FacetException(String message) {
    super(message);
  }

  public FacetException(String message, Throwable cause) {
    super(message, cause);
  }
}
