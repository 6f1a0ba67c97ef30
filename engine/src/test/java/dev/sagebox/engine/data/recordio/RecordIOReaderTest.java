package dev.sagebox.engine.data.recordio;

import static dev.sagebox.engine.data.recordio.RecordBytes.concat;
import static dev.sagebox.engine.data.recordio.RecordBytes.framedPayloads;
import static dev.sagebox.engine.data.recordio.RecordBytes.header;
import static dev.sagebox.engine.data.recordio.RecordBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.data.recordio.proto.RecordProtos.Record;
import dev.sagebox.engine.error.DataFormatError;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The RecordIO framing: golden bytes, padding, split records, and every way a stream can be broken. */
class RecordIOReaderTest {
  static final Path FIXTURES = Path.of("src/test/resources/fixtures/recordio");

  private static List<byte[]> payloads(byte[] stream) {
    RecordIOReader r = new RecordIOReader(new ByteArrayInputStream(stream), "train/data.rec");
    List<byte[]> out = new ArrayList<>();
    while (r.next()) {
      out.add(Arrays.copyOf(r.payload(), r.length()));
    }
    return out;
  }

  @Test
  void goldenBytesOfContractF4() throws Exception {
    Record golden = RecordBytes.record(RecordBytes.f32(1f, 2f), null);
    assertThat(hex(golden.toByteArray())).isEqualTo("0a160a0676616c756573120c120a0a080000803f00000040");
    byte[] framed = RecordBytes.framed(golden);
    assertThat(framed).hasSize(32);
    assertThat(hex(framed)).isEqualTo("0a23d7ce18000000" + "0a160a0676616c756573120c120a0a080000803f00000040");
    // Byte for byte what the independent Python writer (SDK logic) produced.
    assertThat(framed).isEqualTo(Files.readAllBytes(FIXTURES.resolve("golden_f4.rec")));
    assertThat(payloads(framed)).singleElement().satisfies(p -> assertThat(Record.parseFrom(p)).isEqualTo(golden));
  }

  @Test
  void everyPaddingLengthIsSkippedAndOffsetsAreTracked() {
    byte[][] in = new byte[8][];
    for (int n = 0; n < in.length; n++) {
      in[n] = new byte[n];
      Arrays.fill(in[n], (byte) (n + 1));
    }
    byte[] stream = framedPayloads(in);
    assertThat(stream).hasSize(8 * 8 + 0 + 4 + 4 + 4 + 4 + 8 + 8 + 8);
    assertThat(payloads(stream)).containsExactly(in);

    RecordIOReader r = new RecordIOReader(new ByteArrayInputStream(stream), "s");
    long[] offsets = new long[8];
    for (int n = 0; n < 8; n++) {
      assertThat(r.next()).isTrue();
      offsets[n] = r.recordOffset();
      assertThat(r.recordNumber()).isEqualTo(n + 1);
      assertThat(r.recordBytes()).isEqualTo(8 + ((n + 3) & ~3));
    }
    assertThat(r.next()).isFalse();
    assertThat(offsets).containsExactly(0, 8, 20, 32, 44, 56, 72, 88);
  }

  @Test
  void emptyStreamHasNoRecordsAndMissingFinalPaddingLosesNothing() {
    assertThat(payloads(new byte[0])).isEmpty();
    byte[] stream = framedPayloads(new byte[] {1, 2, 3, 4}, new byte[] {5});
    byte[] unpadded = Arrays.copyOf(stream, stream.length - 3);
    assertThat(payloads(unpadded)).containsExactly(new byte[] {1, 2, 3, 4}, new byte[] {5});
  }

  @Test
  void largePayloadsAndUnbufferedStreamsReadWhole() {
    byte[] big = new byte[300_000];
    new Random(1).nextBytes(big);
    byte[] stream = framedPayloads(big, new byte[] {9});
    InputStream trickle = new ByteArrayInputStream(stream) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 7));
      }
    };
    RecordIOReader r = new RecordIOReader(new java.io.FilterInputStream(trickle) { }, "s");
    assertThat(r.next()).isTrue();
    assertThat(Arrays.copyOf(r.payload(), r.length())).isEqualTo(big);
    assertThat(r.next()).isTrue();
    assertThat(r.length()).isEqualTo(1);
    assertThat(r.next()).isFalse();
  }

  @Test
  void splitRecordsAreReassembledWithTheMagicWordPutBack() {
    byte[] magic = {0x0A, 0x23, (byte) 0xD7, (byte) 0xCE};
    byte[] payload = concat(new byte[] {1, 2, 3, 4}, magic, new byte[] {5, 6, 7, 8}, magic, magic, new byte[] {9});
    byte[] split = RecordBytes.dmlcFramed(payload);
    // Four parts (flags 1, 2, 2, 3): no magic word left inside any part.
    assertThat(split).hasSize(8 + 4 + 8 + 4 + 8 + 8 + 1 + 3);
    byte[] stream = concat(split, framedPayloads(new byte[] {42}));
    assertThat(payloads(stream)).containsExactly(payload, new byte[] {42});

    RecordIOReader r = new RecordIOReader(new ByteArrayInputStream(stream), "s");
    r.next();
    r.next();
    assertThat(r.recordNumber()).isEqualTo(2);
    assertThat(r.recordOffset()).isEqualTo(split.length);
  }

  private static DataFormatError failure(byte[] stream) {
    try {
      payloads(stream);
    } catch (DataFormatError e) {
      return e;
    }
    throw new AssertionError("no error");
  }

  @Test
  void badMagicOnTheFirstRecordSaysItIsNotRecordIO() {
    byte[] csv = "1,2,3\n4,5,6\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(failure(csv).getMessage())
        .startsWith("train/data.rec: record 1 (byte offset 0): bad magic word 0x2C322C31 (bytes 31 2C 32 2C)")
        .contains("0xCED7230A (bytes 0A 23 D7 CE)")
        .contains("not RecordIO data: check the ContentType");
  }

  @Test
  void badMagicLaterNamesTheRecordAndOffset() {
    byte[] stream = concat(framedPayloads(new byte[] {1, 2, 3, 4, 5}), new byte[] {1, 2, 3, 4, 0, 0, 0, 0});
    assertThat(failure(stream).getMessage())
        .startsWith("train/data.rec: record 2 (byte offset 16): bad magic word 0x4030201")
        .contains("corrupt, or a record's length is wrong");
  }

  @Test
  void truncatedHeaderAndPayload() {
    byte[] one = framedPayloads(new byte[] {1, 2, 3, 4});
    assertThat(failure(concat(one, Arrays.copyOf(header(0, 4), 5))).getMessage())
        .isEqualTo("train/data.rec: record 2 (byte offset 12): the stream ends inside a record header (5 of 8 "
            + "bytes); the file is truncated");
    assertThat(failure(Arrays.copyOf(framedPayloads(new byte[40]), 8 + 17)).getMessage())
        .isEqualTo("train/data.rec: record 1 (byte offset 0): the header declares a payload of 40 bytes but the "
            + "stream ends after 17 of them; the file is truncated or the length is corrupt");
  }

  @Test
  void aLengthBeyondTheEndFailsWithoutAllocatingIt() {
    byte[] stream = concat(framedPayloads(new byte[] {7}), header(0, RecordIOReader.MAX_PART_LENGTH), new byte[10]);
    assertThat(failure(stream).getMessage())
        .isEqualTo("train/data.rec: record 2 (byte offset 12): the header declares a payload of 536870911 bytes "
            + "but the stream ends after 10 of them; the file is truncated or the length is corrupt");
  }

  @Test
  void continuationFlagsMustFollowDmlcRules() {
    assertThat(failure(concat(header(5, 4), new byte[4])).getMessage())
        .contains("record 1 (byte offset 0): invalid continuation flag 5")
        .contains("accepted: 0 (a whole record), 1, 2, 3");
    assertThat(failure(concat(header(3, 4), new byte[4])).getMessage())
        .contains("a last part (flag 3) of a split record with no first part (flag 1) before it");
    assertThat(failure(concat(header(1, 4), new byte[4], header(0, 4), new byte[4])).getMessage())
        .isEqualTo("train/data.rec: record 1 (byte offset 12): the split record that starts at byte offset 0 is "
            + "not finished: found flag 0 where a middle (2) or last (3) part was expected; the file is corrupt");
    assertThat(failure(concat(header(1, 4), new byte[4], header(2, 0))).getMessage())
        .isEqualTo("train/data.rec: record 1 (byte offset 20): the stream ends after part 2 of a multi-part "
            + "record; the file is truncated");
  }
}
