package dev.sagebox.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.FiniteValues;
import dev.sagebox.engine.data.LibsvmIndexing;
import dev.sagebox.engine.data.MediaType;
import dev.sagebox.engine.data.csv.CsvReader;
import dev.sagebox.engine.data.libsvm.LibsvmReader;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.Predictor;
import dev.sagebox.engine.model.PredictorOptions;
import dev.sagebox.engine.xgboost.XGBoostAlgorithm;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A seeded mutation fuzzer over every request decoder and both training readers, starting from the committed
 * corpus (resources/fuzz-corpus/&lt;codec&gt;/). Property: each input either decodes (and then predicts with a real
 * XGBoost model) or fails with a {@link UserError} (a 4xx), never another exception, and within a time bound.
 * Runs {@code sagebox.fuzz.seconds} per codec (default 2, CI's short mode); e.g. {@code -Dsagebox.fuzz.seconds=300}
 * for a long run, and {@code -Dsagebox.fuzz.seed=N} to replay one.
 */
class DecoderFuzzTest {
  private static final byte[][] TOKENS = bytes("inf", "-inf", "1e400", "3.5e38", "nan", "NaN", "-", ":", "::", ",",
      ",,", "\n", "\r\n", "[", "]", "{", "}", "\"", "\\", "null", "true", "9999999999999", "-0", "0x1p3", "1:", "e5",
      "{\"instances\":", "\"features\":", "\u0000", "\u00ff", "#", " ", "\t", "qid:1", "1.5:2");
  private static final long MAX_MS_PER_INPUT = 2_000;
  @TempDir
  static Path tmp;

  private static byte[][] bytes(String... s) {
    byte[][] out = new byte[s.length][];
    for (int i = 0; i < s.length; i++) {
      out[i] = s[i].getBytes(StandardCharsets.UTF_8);
    }
    return out;
  }

  static List<byte[]> corpus(String codec) throws IOException, URISyntaxException {
    Path dir = Path.of(DecoderFuzzTest.class.getResource("/fuzz-corpus/" + codec).toURI());
    List<byte[]> seeds = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        seeds.add(Files.readAllBytes(f));
      }
    }
    return seeds;
  }

  static byte[] mutate(byte[] in, Random r) {
    byte[] b = in;
    int steps = 1 + r.nextInt(4);
    for (int s = 0; s < steps; s++) {
      int at = b.length == 0 ? 0 : r.nextInt(b.length + 1);
      switch (r.nextInt(7)) {
        case 0 -> {
          if (b.length > 0) {
            b = b.clone();
            b[Math.min(at, b.length - 1)] ^= (byte) (1 << r.nextInt(8));
          }
        }
        case 1 -> b = splice(b, at, at, new byte[] {(byte) r.nextInt(256)});
        case 2 -> b = splice(b, at, Math.min(b.length, at + 1 + r.nextInt(8)), new byte[0]);
        case 3 -> b = splice(b, at, at, TOKENS[r.nextInt(TOKENS.length)]);
        case 4 -> b = java.util.Arrays.copyOf(b, at);
        case 5 -> {
          int from = b.length == 0 ? 0 : r.nextInt(b.length);
          int to = Math.min(b.length, from + r.nextInt(64));
          byte[] piece = java.util.Arrays.copyOfRange(b, from, to);
          for (int k = r.nextInt(3); k > 0; k--) {
            b = splice(b, at, at, piece);
          }
        }
        default -> b = splice(b, at, Math.min(b.length, at + 1), TOKENS[r.nextInt(TOKENS.length)]);
      }
    }
    return b;
  }

  private static byte[] splice(byte[] b, int from, int to, byte[] insert) {
    byte[] out = new byte[b.length - (to - from) + insert.length];
    System.arraycopy(b, 0, out, 0, from);
    System.arraycopy(insert, 0, out, from, insert.length);
    System.arraycopy(b, to, out, from + insert.length, b.length - to);
    return out;
  }

  private static Predictor model() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("model"));
    Path fixture = Path.of(DecoderFuzzTest.class.getResource("/xgboost-models/binary_logistic.json").toURI());
    Files.copy(fixture, dir.resolve("xgboost-model"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return new XGBoostAlgorithm("fuzz", w -> { }).load(dir, null, PredictorOptions.defaults());
  }

  @ParameterizedTest
  @ValueSource(strings = {"csv", "libsvm", "json", "jsonlines", "recordio", "png", "jpeg"})
  void everyMutatedRequestIsDecodedOrAUserError(String codec) throws Exception {
    String type = switch (codec) {
      case "csv" -> "text/csv";
      case "libsvm" -> "text/libsvm";
      case "json" -> "application/json";
      case "jsonlines" -> "application/jsonlines";
      case "recordio" -> "application/x-recordio-protobuf";
      case "png" -> "image/png";
      default -> "image/jpeg";
    };
    RequestDecoder decoder = Codecs.standard().decoderFor(type);
    boolean image = codec.equals("png") || codec.equals("jpeg");
    boolean recordio = codec.equals("recordio");
    InputShape shape = new InputShape(image ? 784 : recordio ? 3 : 5, false, LibsvmIndexing.PER_REQUEST, "hint");
    try (Predictor predictor = image || recordio ? null : model()) {
      run(codec, input -> {
        Batch b = decoder.decode(input, MediaType.parse(type), shape);
        if (predictor != null && b.rows() > 0) {
          FiniteValues.require(b, "request body");
          predictor.predict(b);
        }
      });
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"csv", "libsvm", "recordio"})
  void everyMutatedTrainingFileIsReadOrAUserError(String codec) throws Exception {
    run(codec, input -> {
      var d = switch (codec) {
        case "csv" -> new CsvReader(CsvReader.sniffDelimiter(input), 2).readLabeled(new ByteArrayInputStream(input),
            input.length, "train/f.csv", new CsvReader.Layout(true, false));
        case "libsvm" -> new LibsvmReader(2).readLabeled(input, "train/f.libsvm");
        default -> dev.sagebox.engine.data.recordio.RecordIOProtobufReader.readLabeled(
            new ByteArrayInputStream(input), "train/f.rec");
      };
      if (d.rows() > 0) {
        FiniteValues.require(d);
      }
    });
  }

  interface Target {
    void accept(byte[] input) throws Exception;
  }

  private static void run(String codec, Target target) throws Exception {
    double seconds = Double.parseDouble(System.getProperty("sagebox.fuzz.seconds", "2"));
    long seed = Long.getLong("sagebox.fuzz.seed", 20261130L);
    Random r = new Random(seed ^ codec.hashCode());
    List<byte[]> seeds = corpus(codec);
    long end = System.nanoTime() + (long) (seconds * 1e9);
    int runs = 0;
    int accepted = 0;
    while (System.nanoTime() < end || runs < seeds.size()) {
      byte[] input = runs < seeds.size() ? seeds.get(runs) : mutate(seeds.get(r.nextInt(seeds.size())), r);
      long t0 = System.nanoTime();
      try {
        target.accept(input);
        accepted++;
      } catch (UserError expected) {
        assertThat(expected.getMessage()).isNotBlank();
      } catch (Throwable t) {
        throw new AssertionError(codec + ": input " + runs + " (base64 " + java.util.Base64.getEncoder()
            .encodeToString(input) + ") threw " + t, t);
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(ms).as("%s input %d took %d ms", codec, runs, ms).isLessThan(MAX_MS_PER_INPUT);
      runs++;
    }
    assertThat(accepted).as("the corpus itself decodes").isGreaterThanOrEqualTo(1);
    System.out.printf("fuzz %s: %d inputs in %.1f s, %d accepted%n", codec, runs, seconds, accepted);
  }
}
