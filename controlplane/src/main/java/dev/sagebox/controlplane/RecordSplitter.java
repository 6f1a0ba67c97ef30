package dev.sagebox.controlplane;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A transform job's input object cut into requests, as SageMaker's batch transform cuts it: SplitType None (the whole
 * object), Line (each line a record) or RecordIO (MXNet RecordIO records); MultiRecord packs as many records as fit
 * in MaxPayloadInMB into one request, SingleRecord sends one record per request.
 */
public final class RecordSplitter {
  private static final int RECORDIO_MAGIC = 0xced7230a;

  private RecordSplitter() {}

  public static List<byte[]> requests(byte[] object, String splitType, boolean multiRecord, long maxPayloadBytes)
      throws IOException {
    List<byte[]> records = switch (splitType) {
      case "None" -> List.of(object);
      case "Line" -> lines(object);
      case "RecordIO" -> recordIo(object);
      default -> throw new IOException("SplitType '" + splitType + "' is not supported here; accepted: None, Line, "
          + "RecordIO");
    };
    if (!multiRecord || splitType.equals("None")) {
      for (byte[] r : records) {
        tooLarge(r.length, maxPayloadBytes);
      }
      return records;
    }
    List<byte[]> out = new ArrayList<>();
    ByteArrayOutputStream batch = new ByteArrayOutputStream();
    for (byte[] r : records) {
      tooLarge(r.length, maxPayloadBytes);
      if (batch.size() > 0 && batch.size() + r.length > maxPayloadBytes) {
        out.add(batch.toByteArray());
        batch.reset();
      }
      batch.write(r);
    }
    if (batch.size() > 0) {
      out.add(batch.toByteArray());
    }
    return out;
  }

  private static void tooLarge(int size, long max) throws IOException {
    if (size > max) {
      throw new IOException("a record of " + size + " bytes is larger than MaxPayloadInMB (" + (max >> 20)
          + " MB); raise MaxPayloadInMB or split the data");
    }
  }

  /** Each non-empty line, with its newline. */
  static List<byte[]> lines(byte[] data) {
    List<byte[]> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= data.length; i++) {
      if (i == data.length || data[i] == '\n') {
        int end = i == data.length ? i : i + 1;
        boolean blank = true;
        for (int j = start; j < end; j++) {
          if (data[j] != '\n' && data[j] != '\r') {
            blank = false;
            break;
          }
        }
        if (!blank) {
          byte[] line = java.util.Arrays.copyOfRange(data, start, end);
          out.add(line[line.length - 1] == '\n' ? line : append(line, (byte) '\n'));
        }
        start = i + 1;
      }
    }
    return out;
  }

  private static byte[] append(byte[] a, byte b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + 1);
    out[a.length] = b;
    return out;
  }

  /** Each RecordIO record whole (header, payload, padding), so a request is itself valid RecordIO. */
  static List<byte[]> recordIo(byte[] data) throws IOException {
    List<byte[]> out = new ArrayList<>();
    ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    while (b.remaining() > 0) {
      int at = b.position();
      if (b.remaining() < 8 || b.getInt() != RECORDIO_MAGIC) {
        throw new IOException("not RecordIO at byte " + at + ": expected the magic number 0xced7230a");
      }
      int length = b.getInt() & ((1 << 29) - 1);
      int padded = (length + 3) & ~3;
      if (b.remaining() < padded) {
        throw new IOException("RecordIO record at byte " + at + " is cut short: " + length + " bytes announced, "
            + b.remaining() + " left");
      }
      b.position(b.position() + padded);
      out.add(java.util.Arrays.copyOfRange(data, at, b.position()));
    }
    return out;
  }
}
