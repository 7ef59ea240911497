package dev.facet.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Prepares the calling thread for a training run. PyTorch's autograd switch is per thread and on in a
 * new thread; DJL turns it off only on the thread that loads the engine, and its gradient collector
 * puts back the thread's previous state when it closes. On any other thread (a serving engine's
 * background training) the optimizer's in-place parameter update then runs with autograd on and
 * PyTorch refuses it ("a leaf Variable that requires grad is being used in an in-place operation").
 * Close it to put the thread's switch back.
 */
final class TrainingThread implements AutoCloseable {
  private final boolean pytorch;
  private final boolean gradMode;

  private TrainingThread() {
    this.pytorch = "PyTorch".equals(Engine.getInstance().getEngineName());
    this.gradMode = pytorch && JniUtils.isGradMode();
    if (gradMode) {
      JniUtils.setGradMode(false);
    }
  }

  /** Turns autograd off on this thread outside the gradient collector, as on the engine's own thread. */
  static TrainingThread prepare() {
    return new TrainingThread();
  }

  @Override
  public void close() {
    if (gradMode) {
      JniUtils.setGradMode(true);
    }
  }
}
