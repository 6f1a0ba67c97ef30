package dev.sagebox.engine.data.recordio;

import dev.sagebox.engine.error.DataFormatError;
import dev.sagebox.engine.error.PlatformError;
import dev.sagebox.engine.error.UserError;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Streams the payloads of a RecordIO file (MXNet/dmlc framing) one record at a time, never holding more than the
 * current record. Each part on the wire is: the magic word {@code 0xCED7230A} (little-endian), a little-endian
 * word whose low 29 bits are the payload length and whose top 3 bits are the continuation flag, the payload, then
 * zero padding to a multiple of 4 bytes.
 *
 * <p>Multi-part records are reassembled as dmlc does: dmlc's writer cuts a payload wherever the magic word appears
 * at a 4-byte boundary inside it (flags 1 = first, 2 = middle, 3 = last part) and drops that word, so the reader
 * puts the magic word back between parts. SageMaker's writers never split (they always write flag 0), but files
 * written with dmlc/MXNet tools can. Missing padding after the last record of a stream is tolerated (no data is
 * lost); every other irregularity is a {@link DataFormatError} naming the source, the record number (1-based) and
 * the byte offset of the header at fault.
 */
public final class RecordIOReader {
  /** The magic word that opens every part, as a little-endian int. */
  public static final int MAGIC = 0xCED7230A;
  /** The largest payload one part can declare: 29 bits. */
  public static final int MAX_PART_LENGTH = (1 << 29) - 1;
  private static final int MAX_RECORD_LENGTH = Integer.MAX_VALUE - 16;

  private final InputStream in;
  private final String source;
  private final byte[] header = new byte[8];
  private byte[] payload = new byte[4096];
  private int length;
  private long position;
  private long recordNumber;
  private long recordOffset;
  private long recordBytes;

  /**
   * @param in the stream, read from its current position (buffered here when it is not already)
   * @param source the file name (or "request body") that every error names
   */
  public RecordIOReader(InputStream in, String source) {
    this.in = in instanceof BufferedInputStream || in instanceof ByteArrayInputStream ? in
        : new BufferedInputStream(in, 1 << 16);
    this.source = source;
  }

  /**
   * Reads the next record, reassembling multi-part records.
   *
   * @return false at the end of the stream (only ever between records)
   */
  public boolean next() {
    length = 0;
    recordOffset = position;
    int parts = 0;
    while (true) {
      long partOffset = position;
      int got = read(header, 0, 8);
      if (got == 0 && parts == 0) {
        return false;
      }
      if (parts == 0) {
        recordNumber++;
      }
      if (!startsWithMagic(got)) {
        throw errorAt(partOffset, "bad magic word " + (got >= 4 ? "0x" + Integer.toHexString(littleEndian(header, 0))
            .toUpperCase() + " (bytes " + hex(header, 0, 4) + ")" : "(bytes " + hex(header, 0, got) + ")")
            + "; every RecordIO record starts with 0xCED7230A (bytes 0A 23 D7 CE)."
            + (parts == 0 && recordNumber == 1 ? " This is not RecordIO data: check the ContentType"
            : " The file is corrupt, or a record's length is wrong"));
      }
      if (got < 8) {
        throw errorAt(partOffset, parts == 0
            ? "the stream ends inside a record header (" + got + " of 8 bytes); the file is truncated"
            : "the stream ends after part " + parts + " of a multi-part record; the file is truncated");
      }
      int word = littleEndian(header, 4);
      int partLength = word & MAX_PART_LENGTH;
      int flag = word >>> 29;
      checkFlag(flag, parts, partOffset);
      if (parts > 0) {
        append4(MAGIC);
      }
      readPayload(partLength, partOffset);
      skipPadding(partLength);
      parts++;
      if (flag == 0 || flag == 3) {
        recordBytes = position - recordOffset;
        return true;
      }
    }
  }

  private void checkFlag(int flag, int parts, long partOffset) {
    if (flag > 3) {
      throw errorAt(partOffset, "invalid continuation flag " + flag + " in the length word; accepted: 0 (a whole "
          + "record), 1, 2, 3 (first, middle, last part of a split record)");
    }
    if (parts == 0 && (flag == 2 || flag == 3)) {
      throw errorAt(partOffset, "a " + (flag == 2 ? "middle" : "last") + " part (flag " + flag + ") of a split "
          + "record with no first part (flag 1) before it; the file is corrupt");
    }
    if (parts > 0 && (flag == 0 || flag == 1)) {
      throw errorAt(partOffset, "the split record that starts at byte offset " + recordOffset + " is not finished:"
          + " found flag " + flag + " where a middle (2) or last (3) part was expected; the file is corrupt");
    }
  }

  private void readPayload(int partLength, long partOffset) {
    if ((long) length + partLength > MAX_RECORD_LENGTH) {
      throw errorAt(partOffset, "the record is larger than 2 GiB; split it");
    }
    int end = length + partLength;
    while (length < end) {
      if (length == payload.length) {
        // Grows with the data actually read, so a corrupt length near the end of a small file fails before it
        // allocates what it claims.
        payload = Arrays.copyOf(payload, (int) Math.min(end, Math.max(payload.length * 2L, 1 << 16)));
      }
      int got = read(payload, length, Math.min(end, payload.length) - length);
      if (got == 0) {
        throw errorAt(partOffset, "the header declares a payload of " + partLength + " bytes but the stream ends "
            + "after " + (partLength - (end - length)) + " of them; the file is truncated or the length is corrupt");
      }
      length += got;
    }
  }

  private void skipPadding(int partLength) {
    int pad = -partLength & 3;
    if (pad > 0) {
      // At the end of the stream a missing pad loses nothing; inside it, the next header check catches a writer
      // that never pads.
      read(header, 0, pad);
    }
  }

  private void append4(int word) {
    if (payload.length - length < 4) {
      payload = Arrays.copyOf(payload, Math.max(payload.length * 2, length + 4));
    }
    for (int i = 0; i < 4; i++) {
      payload[length++] = (byte) (word >>> (8 * i));
    }
  }

  /** Reads up to {@code n} bytes, fewer only at the end of the stream; returns the count. */
  private int read(byte[] b, int off, int n) {
    try {
      int got = in.readNBytes(b, off, n);
      position += got;
      return got;
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      throw new UserError(source + ": corrupt or truncated gzip data near byte " + position + " ("
          + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new PlatformError("cannot read " + source + ": " + e.getMessage(), e);
    }
  }

  /** The current record's payload: bytes {@code [0, length())} of this array, valid until the next call. */
  public byte[] payload() {
    return payload;
  }

  public int length() {
    return length;
  }

  /** The 1-based number of the current record. */
  public long recordNumber() {
    return recordNumber;
  }

  /** Byte offset of the current record's (first) header in the stream. */
  public long recordOffset() {
    return recordOffset;
  }

  /** Bytes the current record took on the wire: headers, payload and padding. */
  public long recordBytes() {
    return recordBytes;
  }

  public String source() {
    return source;
  }

  /** A located error about the current record: "source: record N (byte offset X): problem". */
  public DataFormatError error(String problem) {
    return errorAt(recordOffset, problem);
  }

  private DataFormatError errorAt(long offset, String problem) {
    return new DataFormatError(source, 0, 0, "record " + recordNumber + " (byte offset " + offset + "): " + problem);
  }

  /** Whether the first {@code got} (up to 4) header bytes match the magic word's. */
  private boolean startsWithMagic(int got) {
    for (int i = 0; i < Math.min(got, 4); i++) {
      if (header[i] != (byte) (MAGIC >>> (8 * i))) {
        return false;
      }
    }
    return true;
  }

  static int littleEndian(byte[] b, int at) {
    return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
  }

  private static String hex(byte[] b, int from, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < from + n; i++) {
      sb.append(i > from ? " " : "").append(String.format("%02X", b[i] & 0xFF));
    }
    return sb.toString();
  }
}
