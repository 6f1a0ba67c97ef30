package dev.sagebox.engine.data.recordio;

import java.io.ByteArrayOutputStream;

/**
 * Frames payloads as RecordIO records, the way SageMaker's writers do: magic word, length word with flag 0 (a whole
 * record: payloads are never split), the payload, zero padding to a multiple of 4 bytes. Each record is framed on
 * its own; nothing of an earlier record is repeated.
 */
public final class RecordIOWriter {
  private static final byte[] ZEROS = new byte[3];
  private final ByteArrayOutputStream out;

  public RecordIOWriter(ByteArrayOutputStream out) {
    this.out = out;
  }

  /** Appends one record holding {@code payload}. */
  public void write(byte[] payload) {
    if (payload.length > RecordIOReader.MAX_PART_LENGTH) {
      throw new IllegalArgumentException("a RecordIO payload holds at most " + RecordIOReader.MAX_PART_LENGTH
          + " bytes, got " + payload.length);
    }
    writeInt(RecordIOReader.MAGIC);
    writeInt(payload.length);
    out.writeBytes(payload);
    out.write(ZEROS, 0, -payload.length & 3);
  }

  private void writeInt(int v) {
    out.write(v);
    out.write(v >>> 8);
    out.write(v >>> 16);
    out.write(v >>> 24);
  }
}
