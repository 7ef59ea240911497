package dev.facet.core;

/** Where models run. {@link #AUTO} picks a GPU when the DL engine sees one, else the CPU. */
public enum Device {
  AUTO,
  CPU,
  GPU;

  /**
   * The device to run on, given how many GPUs the DL engine sees: the one rule every module follows, so
   * that {@code ingest} and {@code train} agree. An explicit GPU request on a machine without one fails
   * here (before minutes of work on the CPU that was not asked for); {@link #AUTO} falls back to the CPU.
   *
   * @return {@link #CPU} or {@link #GPU}
   * @throws FacetException when {@link #GPU} is asked for and the engine sees none
   */
  public Device resolve(int gpus) {
    return switch (this) {
      case CPU -> CPU;
      case AUTO -> gpus > 0 ? GPU : CPU;
      case GPU -> {
        if (gpus <= 0) {
          throw new FacetException("--device GPU asked for a GPU but the DL engine sees none;"
              + " use --device AUTO (a GPU when there is one) or CPU");
        }
        yield GPU;
      }
    };
  }
}
