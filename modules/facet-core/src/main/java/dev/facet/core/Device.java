package dev.facet.core;

/** Where models run. {@link #AUTO} picks a GPU when the DL engine sees one, else the CPU. */
public enum Device {
  AUTO,
  CPU,
  GPU
}
