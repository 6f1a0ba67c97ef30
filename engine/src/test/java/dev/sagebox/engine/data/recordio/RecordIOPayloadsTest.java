package dev.sagebox.engine.data.recordio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.error.DataFormatError;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** RecordWrapperType RecordIO: the objects of a Pipe-mode channel, unwrapped into one stream. */
class RecordIOPayloadsTest {
  private static byte[] wrap(byte[]... payloads) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RecordIOWriter w = new RecordIOWriter(out);
    for (byte[] p : payloads) {
      w.write(p);
    }
    return out.toByteArray();
  }

  private static byte[] unwrap(byte[] framed) throws IOException {
    try (RecordIOPayloads in = new RecordIOPayloads(new ByteArrayInputStream(framed), "train_0")) {
      return in.readAllBytes();
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void textObjectsAreJoinedWithANewlineWhereOneIsMissing() throws IOException {
    assertThat(new String(unwrap(wrap(new byte[0], ascii("1,2"), ascii("3,4\n"), ascii("5,6"))),
        StandardCharsets.US_ASCII)).isEqualTo("1,2\n3,4\n5,6\n");
  }

  @Test
  void recordIoObjectsAreJoinedAsTheyAreEvenAfterAnEmptyOne() throws IOException {
    byte[] inner1 = wrap(ascii("abc"));
    byte[] inner2 = wrap(ascii("defgh"));
    byte[] out = unwrap(wrap(new byte[0], inner1, inner2));
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes(inner1);
    expected.writeBytes(inner2);
    assertThat(out).isEqualTo(expected.toByteArray());
  }

  @Test
  void aStreamThatIsNotRecordIoIsALocatedError() {
    assertThatThrownBy(() -> unwrap(ascii("1,2,3\n"))).isInstanceOf(DataFormatError.class)
        .hasMessageContaining("train_0").hasMessageContaining("bad magic word");
  }
}
