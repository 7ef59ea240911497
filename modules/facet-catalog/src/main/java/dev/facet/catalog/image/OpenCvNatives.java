package dev.facet.catalog.image;

import dev.facet.core.FacetException;

/** Loads the OpenCV natives bundled in the openpnp jar exactly once per JVM. */
final class OpenCvNatives {
  private static volatile boolean loaded;

  private OpenCvNatives() {}

  static void ensureLoaded() {
    if (loaded) {
      return;
    }
    synchronized (OpenCvNatives.class) {
      if (!loaded) {
        try {
          nu.pattern.OpenCV.loadLocally();
        } catch (RuntimeException | LinkageError e) {
          throw new FacetException("cannot load the OpenCV natives from org.openpnp:opencv", e);
        }
        loaded = true;
      }
    }
  }
}
