package dev.facet.model;

import ai.djl.engine.Engine;
import dev.facet.core.Device;

/** Facet's device choice ({@link Device#resolve}) as a device of DJL's default engine. */
final class Devices {
  private Devices() {}

  static ai.djl.Device resolve(Device wanted) {
    if (wanted == Device.CPU) {
      return ai.djl.Device.cpu();
    }
    return wanted.resolve(Engine.getInstance().getGpuCount()) == Device.GPU ? ai.djl.Device.gpu() : ai.djl.Device.cpu();
  }
}
