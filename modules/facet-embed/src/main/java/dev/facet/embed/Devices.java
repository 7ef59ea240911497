package dev.facet.embed;

import ai.djl.engine.Engine;
import dev.facet.core.Device;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps Facet's device choice to a DJL device of the PyTorch engine. */
final class Devices {
  private static final Logger LOG = LoggerFactory.getLogger(Devices.class);

  private Devices() {}

  /**
   * A GPU only when the configuration allows one and the PyTorch engine sees at least one; a GPU
   * request on a machine without one falls back to the CPU with a warning, so the same config runs
   * on laptops and GPU hosts.
   */
  static ai.djl.Device pytorch(Device wanted) {
    if (wanted == Device.CPU) {
      return ai.djl.Device.cpu();
    }
    int gpus = Engine.getEngine("PyTorch").getGpuCount();
    if (gpus > 0) {
      return ai.djl.Device.gpu();
    }
    if (wanted == Device.GPU) {
      LOG.warn("GPU requested but the PyTorch engine sees none; running on the CPU");
    }
    return ai.djl.Device.cpu();
  }
}
