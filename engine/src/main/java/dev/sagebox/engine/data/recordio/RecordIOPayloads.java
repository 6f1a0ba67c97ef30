package dev.sagebox.engine.data.recordio;

import java.io.InputStream;

/**
 * The payloads of a RecordIO stream, one after the other, as one stream: SageMaker's {@code RecordWrapperType:
 * RecordIO} delivers each S3 object of a Pipe-mode channel wrapped in a record. When the payloads are text (CSV,
 * libsvm: the first one does not itself start with the RecordIO magic word), a newline is put after each one that
 * does not end with one, so the last line of one object never runs into the first line of the next. Framing errors
 * name the source, record and byte offset ({@link RecordIOReader}).
 */
public final class RecordIOPayloads extends InputStream {
  private final RecordIOReader reader;
  private Boolean text;
  private int at;
  private int end;
  private boolean newlinePending;
  private boolean done;

  public RecordIOPayloads(InputStream in, String source) {
    this.reader = new RecordIOReader(in, source);
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    while (at == end) {
      if (newlinePending) {
        newlinePending = false;
        b[off] = '\n';
        return 1;
      }
      if (done || !reader.next()) {
        done = true;
        return -1;
      }
      at = 0;
      end = reader.length();
      if (text == null && end > 0) {
        // Decided on the first object that holds something: an empty one (a zero-byte S3 key) says nothing.
        text = !(end >= 4 && RecordIOReader.littleEndian(reader.payload(), 0) == RecordIOReader.MAGIC);
      }
      newlinePending = Boolean.TRUE.equals(text) && end > 0 && reader.payload()[end - 1] != '\n';
    }
    int n = Math.min(len, end - at);
    System.arraycopy(reader.payload(), at, b, off, n);
    at += n;
    return n;
  }
}
