package dev.facet.model;

import ai.djl.engine.Engine;
import dev.facet.core.Device;
import dev.facet.core.FacetException;

/** Maps Facet's device choice to a DJL device. */
final class Devices {
  private Devices() {}

  /** AUTO: the first GPU when the engine sees one, else the CPU. */
  static ai.djl.Device resolve(Device d) {
    int gpus = Engine.getInstance().getGpuCount();
    return switch (d) {
      case CPU -> ai.djl.Device.cpu();
      case GPU -> {
        if (gpus == 0) {
          throw new FacetException("device GPU requested but the DL engine sees no GPU");
        }
        yield ai.djl.Device.gpu();
      }
      case AUTO -> gpus > 0 ? ai.djl.Device.gpu() : ai.djl.Device.cpu();
    };
  }
}
