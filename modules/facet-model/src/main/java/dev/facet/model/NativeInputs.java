package dev.facet.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * NDArrays made from Java arrays whose memory libtorch owns. DJL's {@code create} wraps a JVM direct
 * buffer: the tensor aliases memory that the JVM frees once the wrapping NDArray is closed and
 * collected, so any libtorch reference that outlives it (a view, an input saved for backward) would
 * touch freed memory. A libtorch-owned copy is reference-counted by libtorch instead. The copy costs
 * one memcpy per input, which is small next to a training step.
 */
final class NativeInputs {
  private NativeInputs() {}

  /** A float array of the given shape in {@code m}, in libtorch-owned memory. */
  static NDArray of(NDManager m, float[] data, Shape shape) {
    try (NDArray wrapped = m.create(data, shape)) {
      return wrapped.duplicate();
    }
  }

  /** A 1-d int array in {@code m}, in libtorch-owned memory. */
  static NDArray of(NDManager m, int[] data) {
    try (NDArray wrapped = m.create(data)) {
      return wrapped.duplicate();
    }
  }

  /**
   * A float scalar in {@code m}, in libtorch-owned memory. Use it instead of DJL's {@code x.mul(2f)} /
   * {@code x.div(t)} in anything that is differentiated: DJL wraps such a number in a JVM direct buffer
   * and drops it as soon as the call returns, but autograd keeps the operand for the backward pass, so
   * a garbage collection in between made backward read (and the allocator reuse) freed memory.
   */
  static NDArray scalar(NDManager m, float value) {
    return m.full(new Shape(), value);
  }

  /** A 1-d float array in {@code m}, in libtorch-owned memory. */
  static NDArray of(NDManager m, float[] data) {
    return of(m, data, new Shape(data.length));
  }
}
