package dev.sagebox.engine.data.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NumberScannerTest {

  private static float read(String text) {
    byte[] b = text.getBytes(StandardCharsets.US_ASCII);
    return new NumberScanner(b, 0, b.length).readFloat((byte) ',', (byte) ',', true);
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "0;0", "1;1", "-1;-1", "+2.5;2.5", "0.000123;0.000123", "1e3;1000", "1.5E-3;0.0015", "-0.0;-0.0",
      "123456789012;123456789012", "3.4028235e38;3.4028235e38", "1e-45;1.4e-45", "  7.25  ;7.25",
      "0.1;0.1", "16777217;16777216", "9007199254740993;9007199254740992", "1234567890123456789012;1234567890123456789012"})
  void readsDecimalNumbersExactly(String text, String expected) {
    assertThat(read(text)).isEqualTo(Float.parseFloat(expected));
  }

  @Test
  void agreesWithJavaParserOnRandomDecimals() {
    Random r = new Random(7);
    for (int i = 0; i < 200_000; i++) {
      double magnitude = Math.pow(10, r.nextInt(20) - 10);
      double v = (r.nextDouble() - 0.5) * magnitude;
      String text = switch (i % 3) {
        case 0 -> Double.toString(v);
        case 1 -> String.format(Locale.ROOT, "%.6g", v);
        default -> String.format(Locale.ROOT, "%." + r.nextInt(12) + "f", v);
      };
      assertThat(read(text)).as(text).isEqualTo(Float.parseFloat(text));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"6.639230012893677", "0.08265301957726479", "4.23482871055603", "4.234828710556030"})
  void aDoubleExactlyHalfwayBetweenTwoFloatsIsNotRoundedTwice(String text) {
    // Each is just off a float midpoint, and its nearest double is that midpoint: narrowing it would round wrongly.
    assertThat(Float.floatToRawIntBits(read(text))).isEqualTo(Float.floatToRawIntBits(Float.parseFloat(text)));
  }

  @Test
  void emptyFieldIsMissing() {
    assertThat(read("")).isNaN();
    assertThat(read("   ")).isNaN();
  }

  @ParameterizedTest
  @CsvSource({"nan", "NaN", "NA", "null"})
  void missingSpellingsAreNaN(String text) {
    assertThat(read(text)).isNaN();
  }

  @Test
  void infinityAndQuotedValues() {
    assertThat(read("inf")).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(read("-Infinity")).isEqualTo(Float.NEGATIVE_INFINITY);
    assertThat(read("\"2.5\"")).isEqualTo(2.5f);
  }

  @ParameterizedTest
  @CsvSource({"abc", "1.2.3", "1f", "0x10", "--1", "1e", "12a"})
  void rejectsNonNumbers(String text) {
    assertThatThrownBy(() -> read(text)).isInstanceOf(NumberFormatException.class);
  }

  @Test
  void stopsAtTheDelimiterAndLeavesTheCursorThere() {
    byte[] b = "1.5,2,,x".getBytes(StandardCharsets.US_ASCII);
    NumberScanner s = new NumberScanner(b, 0, b.length);
    assertThat(s.readFloat((byte) ',', (byte) ',', true)).isEqualTo(1.5f);
    assertThat(s.pos).isEqualTo(3);
    s.pos++;
    assertThat(s.readFloat((byte) ',', (byte) ',', true)).isEqualTo(2f);
    s.pos++;
    assertThat(s.readFloat((byte) ',', (byte) ',', true)).isNaN();
  }
}
