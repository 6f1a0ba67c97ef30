package dev.sagebox.engine.data.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlainDecimalTest {
  /** The field, then a terminator, then padding so that the read may look ahead. */
  private static byte[] field(String text, char terminator) {
    byte[] b = Arrays.copyOf((text + terminator).getBytes(StandardCharsets.ISO_8859_1), text.length() + 1 + 32);
    Arrays.fill(b, text.length() + 1, b.length, (byte) '7');
    return b;
  }

  private static long read(String text, char terminator) {
    return PlainDecimal.read(field(text, terminator), 0, (byte) ',');
  }

  private static String digits(Random r, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append((char) ('0' + r.nextInt(10)));
    }
    return sb.toString();
  }

  @Test
  void everyPlainShapeIsReadExactlyAsJavaReadsIt() {
    Random r = new Random(13);
    int read = 0;
    for (int i = 0; i < 300_000; i++) {
      String text = (r.nextBoolean() ? "-" : "") + digits(r, 1 + r.nextInt(7))
          + (r.nextInt(4) == 0 ? "" : "." + digits(r, 1 + r.nextInt(7)));
      char terminator = ",\n\r".charAt(r.nextInt(3));
      long result = read(text, terminator);
      if (result == PlainDecimal.DECLINED) {
        // Only a value whose nearest double lies exactly halfway between two floats is left to the exact path.
        assertThat(Double.doubleToRawLongBits(Double.parseDouble(text)) & 0x1FFFFFFFL).as(text)
            .isEqualTo(0x10000000L);
        continue;
      }
      assertThat(PlainDecimal.end(result)).as(text).isEqualTo(text.length());
      assertThat(Float.floatToRawIntBits(PlainDecimal.value(result))).as(text)
          .isEqualTo(Float.floatToRawIntBits(Float.parseFloat(text)));
      read++;
    }
    assertThat(read).isGreaterThan(299_000);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-0", "-0.00000", "1", "1677721.6", "9999999.9999999", "0.0000001",
      "3.4028235", "1.1754944", "0.30472", "-17.22541", "0000001.5000000"})
  void edgeValuesAreBitExact(String text) {
    long result = read(text, ',');
    assertThat(result).isNotEqualTo(PlainDecimal.DECLINED);
    assertThat(Float.floatToRawIntBits(PlainDecimal.value(result)))
        .isEqualTo(Float.floatToRawIntBits(Float.parseFloat(text)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-", "+1", ".5", "5.", "-.5", "1e5", "1.5E-3", "nan", "inf", " 1", "1 ", "12345678",
      "1.12345678", "\"1\"", "1.2.3", "--1", "0x10", "1f", "1;5", "16777216", "8644513.5"})
  void anythingElseIsLeftToTheGeneralScanner(String text) {
    // The last: its double is exactly halfway between two floats, so the exact path decides the rounding.
    assertThat(read(text, ',')).isEqualTo(PlainDecimal.DECLINED);
  }

  @Test
  void aFieldStopsAtTheGivenDelimiterOnly() {
    byte[] tab = field("2.5", '\t');
    assertThat(PlainDecimal.read(tab, 0, (byte) '\t')).isNotEqualTo(PlainDecimal.DECLINED);
    assertThat(PlainDecimal.read(tab, 0, (byte) ',')).isEqualTo(PlainDecimal.DECLINED);
  }

  @Test
  void looksNoFurtherThanItsLookahead() {
    // The longest plain field with its terminator fills the lookahead exactly; the read works at the array's end.
    byte[] b = "-1234567.1234567,".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(b.length).isEqualTo(PlainDecimal.LOOKAHEAD);
    long result = PlainDecimal.read(b, 0, (byte) ',');
    assertThat(PlainDecimal.value(result)).isEqualTo(Float.parseFloat("-1234567.1234567"));
  }
  /** {@link PlainDecimal#readField} on {@code text} with its end given, padded as in a block. */
  private static long readField(String text, char terminator) {
    return PlainDecimal.readField(field(text, terminator), 0, text.length(), (byte) ',');
  }

  @Test
  void aFieldWithItsEndGivenIsReadAsReadReadsIt() {
    Random r = new Random(29);
    for (int i = 0; i < 300_000; i++) {
      int shape = r.nextInt(6);
      String text = (r.nextBoolean() ? "-" : "") + switch (shape) {
        case 0 -> digits(r, 1 + r.nextInt(8));
        case 1, 2, 3 -> digits(r, 1 + r.nextInt(7)) + "." + digits(r, 1 + r.nextInt(7));
        case 4 -> digits(r, r.nextInt(3)) + ".e-+ ,x\r".charAt(r.nextInt(8)) + digits(r, r.nextInt(6));
        default -> digits(r, 1 + r.nextInt(3)) + "." + digits(r, r.nextInt(3)) + "." + digits(r, r.nextInt(3));
      };
      char terminator = ",\n\r".charAt(r.nextInt(3));
      long whole = read(text, terminator);
      long expected = whole == PlainDecimal.DECLINED || PlainDecimal.end(whole) != text.length()
          ? PlainDecimal.DECLINED : whole & 0xFFFFFFFFL;
      assertThat(readField(text, terminator)).as(text).isEqualTo(expected);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-", ".5", "5.", "-.5", "1.2.3", "12345678", "1e5", "1,5", "0.3047\r", "16777216",
      "8644513.5", "-1234.5x"})
  void aGivenFieldThatIsNotPlainIsDeclined(String text) {
    assertThat(readField(text, ',')).as(text).isEqualTo(PlainDecimal.DECLINED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-0", "7", "0.30472", "-1.03998", "13.78450", "-13.78450", "1234567", "1.234567",
      "123456.7", "-1234567.1234567", "0000001.5000000"})
  void aGivenPlainFieldIsBitExact(String text) {
    long result = readField(text, ',');
    assertThat(result).as(text).isNotEqualTo(PlainDecimal.DECLINED);
    assertThat(Float.floatToRawIntBits(PlainDecimal.value(result)))
        .isEqualTo(Float.floatToRawIntBits(Float.parseFloat(text)));
  }
  @Test
  void everySevenDigitMantissaAtEveryScaleRoundsAsOneDivision() {
    // Exhaustive for mantissas below 2^24 (all of seven digits and more): there the float division is exact-rounded.
    float[] pow10 = {1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f};
    for (int scale = 0; scale < pow10.length; scale++) {
      int mismatches = 0;
      for (int m = 0; m < (1 << 24); m++) {
        int bits = PlainDecimal.floatBits(m, scale);
        mismatches += bits == Float.floatToRawIntBits(m / pow10[scale]) ? 0 : 1;
      }
      assertThat(mismatches).as("scale %d", scale).isZero();
    }
  }

  @Test
  void longMantissasRoundAsJavaReadsThem() {
    Random r = new Random(31);
    for (int i = 0; i < 200_000; i++) {
      long m = (1L << 24) + (long) (r.nextDouble() * (99_999_999_999_999L - (1L << 24)));
      int scale = r.nextInt(8);
      int bits = PlainDecimal.floatBits(m, scale);
      if (bits != PlainDecimal.NOT_SINGLY_ROUNDED) {
        String text = new java.math.BigDecimal(java.math.BigInteger.valueOf(m), scale).toPlainString();
        assertThat(bits).as(text).isEqualTo(Float.floatToRawIntBits(Float.parseFloat(text)));
      }
    }
  }
}
