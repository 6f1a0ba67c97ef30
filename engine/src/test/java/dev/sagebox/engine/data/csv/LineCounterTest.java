package dev.sagebox.engine.data.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LineCounterTest {
  /** Byte by byte, as the parser sees it: newlines, and lines holding anything but spaces, tabs and CRs. */
  private static long[] reference(byte[] b, int start, int end) {
    long newlines = 0;
    long rows = 0;
    boolean content = false;
    for (int i = start; i < end; i++) {
      if (b[i] == '\n') {
        newlines++;
        rows += content ? 1 : 0;
        content = false;
      } else if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
        content = true;
      }
    }
    return new long[] {newlines, rows + (content ? 1 : 0)};
  }

  @Test
  void agreesWithAByteByByteCountOnRandomInput() {
    Random r = new Random(5);
    // Blank-line bytes and other control bytes, digits, delimiters and bytes with the high bit set.
    byte[] alphabet = {'\n', '\n', '\n', '\r', ' ', '\t', 0, 0x1F, '!', '1', '2', ',', '.', (byte) 0xC3, (byte) 0x80};
    int fast = 0;
    for (int i = 0; i < 100_000; i++) {
      byte[] b = new byte[r.nextInt(80)];
      // Mostly well-formed lines (the counter's fast path), sometimes anything.
      boolean wellFormed = r.nextBoolean();
      for (int j = 0; j < b.length; j++) {
        b[j] = wellFormed ? (r.nextInt(6) == 0 ? (byte) '\n' : (byte) ('0' + r.nextInt(10)))
            : alphabet[r.nextInt(alphabet.length)];
      }
      int start = b.length == 0 ? 0 : r.nextInt(b.length);
      int end = start + r.nextInt(b.length - start + 1);
      LineCounter.Count c = LineCounter.count(b, start, end);
      long[] expected = reference(b, start, end);
      assertThat(new long[] {c.newlines(), c.rows()}).as("case %d", i).containsExactly(expected);
      fast += wellFormed ? 1 : 0;
    }
    assertThat(fast).isGreaterThan(10_000);
  }

  @Test
  void blankLinesAtEveryPositionOfAWord() {
    // A blank or indented line starting at each of the eight bytes of a word, and at the block's first byte.
    for (int at = 0; at < 24; at++) {
      for (String blank : new String[] {"\n", " \n", "\t\n", "\r\n", "  1\n"}) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < at) {
          sb.append(sb.length() == at - 1 ? '\n' : '5');
        }
        sb.append(blank).append("1,2,3\n4,5,6");
        byte[] b = sb.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        LineCounter.Count c = LineCounter.count(b, 0, b.length);
        long[] expected = reference(b, 0, b.length);
        assertThat(new long[] {c.newlines(), c.rows()}).as("%s at %d", blank, at).containsExactly(expected);
      }
    }
  }
}
