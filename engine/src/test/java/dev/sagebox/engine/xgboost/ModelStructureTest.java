package dev.sagebox.engine.xgboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.error.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Crafted or damaged XGBoost model files are refused before XGBoost's native loader sees them (they crashed the
 * process: SIGSEGV in WalkTreeMixIn::MaxDepth, ProcessArrayTree, or at the first prediction), and every model
 * XGBoost wrote passes.
 */
class ModelStructureTest {
  private static final Path MODELS = Path.of("src/test/resources");

  private static List<Path> fixtures() throws IOException {
    try (Stream<Path> s = Files.walk(MODELS)) {
      return s.filter(p -> {
        String n = p.getFileName().toString();
        return n.endsWith(".ubj") || (n.endsWith(".json") && !n.equals("expected.json") && p.toString()
            .contains("xgboost"));
      }).sorted().toList();
    }
  }

  @Test
  void everyModelXgboostWrotePasses() throws IOException {
    List<Path> all = fixtures();
    assertThat(all).hasSizeGreaterThan(10);
    for (Path p : all) {
      ModelStructure.check(Files.readAllBytes(p), p.toString());
    }
  }

  private static byte[] json() throws IOException {
    return Files.readAllBytes(MODELS.resolve("xgboost-models/binary_logistic.json"));
  }

  private static byte[] ubj() throws IOException {
    return Files.readAllBytes(MODELS.resolve("xgboost-models/reg_squarederror.ubj"));
  }

  /** The JSON model with the first value of {@code array} (of the first tree) replaced by {@code value}. */
  private static byte[] jsonWith(String array, String value) throws IOException {
    String s = new String(json(), StandardCharsets.UTF_8);
    return s.replaceFirst("(\"" + array + "\"\\s*:\\s*\\[)\\s*-?\\d+", "$1" + value).getBytes(StandardCharsets.UTF_8);
  }

  /** The UBJSON model with the first int32 of the typed array {@code array} set to {@code value}. */
  private static byte[] ubjWith(String array, int value) throws IOException {
    byte[] b = ubj().clone();
    byte[] key = array.getBytes(StandardCharsets.US_ASCII);
    int at = indexOf(b, key) + key.length;
    assertThat(b[at]).isEqualTo((byte) '[');
    assertThat(b[at + 1]).isEqualTo((byte) '$');
    assertThat(b[at + 2]).isEqualTo((byte) 'l');
    int countWidth = switch (b[at + 4]) {
      case 'i', 'U' -> 1;
      case 'I' -> 2;
      case 'l' -> 4;
      default -> 8;
    };
    java.nio.ByteBuffer.wrap(b, at + 5 + countWidth, 4).putInt(value);
    return b;
  }

  private static int indexOf(byte[] b, byte[] key) {
    outer:
    for (int i = 0; i + key.length <= b.length; i++) {
      for (int k = 0; k < key.length; k++) {
        if (b[i + k] != key[k]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("no " + new String(key, StandardCharsets.US_ASCII));
  }

  @Test
  void childrenOutOfRangeLoopsAndUnknownFeaturesAreRefused() throws IOException {
    assertThatThrownBy(() -> ModelStructure.check(jsonWith("left_children", "-5"), "xgboost-model"))
        .isInstanceOf(UserError.class).hasMessageContaining("tree 0: node 0 has children -5");
    assertThatThrownBy(() -> ModelStructure.check(jsonWith("left_children", "0"), "xgboost-model"))
        .hasMessageContaining("points back");
    assertThatThrownBy(() -> ModelStructure.check(jsonWith("left_children", "100000"), "xgboost-model"))
        .hasMessageContaining("children 100000");
    assertThatThrownBy(() -> ModelStructure.check(jsonWith("split_indices", "1000000"), "xgboost-model"))
        .hasMessageContaining("splits on feature 1000000");
    assertThatThrownBy(() -> ModelStructure.check(ubjWith("left_children", -5), "xgboost-model"))
        .hasMessageContaining("has children -5");
    assertThatThrownBy(() -> ModelStructure.check(ubjWith("split_indices", 1_000_000), "xgboost-model"))
        .hasMessageContaining("splits on feature 1000000");
  }

  @Test
  void deepNestingAndTruncationAreRefused() throws IOException {
    String deep = "{\"learner\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
    assertThatThrownBy(() -> ModelStructure.check(deep.getBytes(StandardCharsets.US_ASCII), "xgboost-model"))
        .isInstanceOf(UserError.class).hasMessageContaining("nested more than 64");
    byte[] cut = java.util.Arrays.copyOf(ubj(), ubj().length / 2);
    assertThatThrownBy(() -> ModelStructure.check(cut, "xgboost-model")).isInstanceOf(UserError.class)
        .hasMessageContaining("not a readable XGBoost model");
  }
}
