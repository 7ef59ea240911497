package dev.facet.embed;

import ai.djl.engine.Engine;
import dev.facet.core.Device;

/** Facet's device choice ({@link Device#resolve}) as a device of DJL's PyTorch engine. */
final class Devices {
  private Devices() {}

  static ai.djl.Device pytorch(Device wanted) {
    // CPU never asks the engine for its GPUs: that query loads CUDA libraries where they exist.
    if (wanted == Device.CPU) {
      return ai.djl.Device.cpu();
    }
    return wanted.resolve(Engine.getEngine("PyTorch").getGpuCount()) == Device.GPU ? ai.djl.Device.gpu() : ai.djl.Device.cpu();
  }
}
