package dev.sagebox.engine.xgboost.capi;

import jdk.incubator.foreign.MemorySegment;
import jdk.incubator.foreign.ResourceScope;

/**
 * Reusable off-heap buffers for the batches handed to XGBoost: one per slot (features, labels, ...), grown when a
 * batch needs more and freed together on {@link #close}. A batch's arrays are copied in, then XGBoost reads them by
 * reference until the next batch replaces them.
 */
public final class NativeBuffers implements AutoCloseable {
  private final ResourceScope scope = ResourceScope.newSharedScope();
  private final MemorySegment[] slots;

  public NativeBuffers(int slotCount) {
    slots = new MemorySegment[slotCount];
  }

  /** Copies {@code count} floats of {@code src} from {@code from} into slot {@code slot}; answers their address. */
  public long floats(int slot, float[] src, int from, int count) {
    MemorySegment s = slot(slot, 4L * count);
    s.asSlice(0, 4L * count).copyFrom(MemorySegment.ofArray(src).asSlice(4L * from, 4L * count));
    return s.address().toRawLongValue();
  }

  /** Copies {@code count} ints (as unsigned 32-bit values) into slot {@code slot}; answers their address. */
  public long ints(int slot, int[] src, int from, int count) {
    MemorySegment s = slot(slot, 4L * count);
    s.asSlice(0, 4L * count).copyFrom(MemorySegment.ofArray(src).asSlice(4L * from, 4L * count));
    return s.address().toRawLongValue();
  }

  /** Writes {@code src[from..from+count)} minus {@code src[from]} (rebased row offsets) as 64-bit values. */
  public long rebasedOffsets(int slot, long[] src, int from, int count) {
    MemorySegment s = slot(slot, 8L * count);
    long base = src[from];
    for (int i = 0; i < count; i++) {
      jdk.incubator.foreign.MemoryAccess.setLongAtIndex(s, i, src[from + i] - base);
    }
    return s.address().toRawLongValue();
  }

  private MemorySegment slot(int slot, long bytes) {
    MemorySegment s = slots[slot];
    if (s == null || s.byteSize() < bytes) {
      s = MemorySegment.allocateNative(Math.max(bytes, 64), 64, scope);
      slots[slot] = s; // the old one stays allocated until close: slots grow rarely (a larger first batch)
    }
    return s;
  }

  @Override
  public void close() {
    scope.close();
  }
}
