package dev.sagebox.engine.lenet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.sagebox.engine.onnx.OnnxModelWriter;
import dev.sagebox.engine.onnx.OnnxSessions;
import dev.sagebox.engine.onnx.OnnxTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ONNX export of LeNet, run by ONNX Runtime, against the plain-Java reference {@link LeNetForward}. */
class LeNetOnnxTest {
  static final double TOLERANCE = 1e-5;

  @TempDir
  Path tmp;

  /** Random weights of the given widths, scaled as He initialisation so that the softmax is not saturated. */
  static LeNetWeights randomWeights(int conv1, int conv2, int dense, long seed) {
    Random r = new Random(seed);
    int k = LeNetWeights.KERNEL;
    return new LeNetWeights(conv1, conv2, dense,
        gaussian(r, conv1 * k * k, k * k), gaussian(r, conv1, 10),
        gaussian(r, conv2 * conv1 * k * k, conv1 * k * k), gaussian(r, conv2, 10),
        gaussian(r, conv2 * 16 * dense, conv2 * 16), gaussian(r, dense, 10),
        gaussian(r, dense * Images.CLASSES, dense), gaussian(r, Images.CLASSES, 10));
  }

  private static float[] gaussian(Random r, int n, int fanIn) {
    float[] v = new float[n];
    double sd = Math.sqrt(2.0 / fanIn);
    for (int i = 0; i < n; i++) {
      v[i] = (float) (r.nextGaussian() * sd);
    }
    return v;
  }

  static float[] randomImages(int n, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n * Images.SIZE];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat();
    }
    return x;
  }

  private static float[] run(Path file, float[] images, int n) throws Exception {
    try (OrtSession s = OnnxSessions.open(file, 1, m -> { });
        OnnxTensor t = OnnxTensors.floats(images, n, 1, Images.SIDE, Images.SIDE);
        OrtSession.Result r = OnnxTensors.run(s, Map.of(LeNetOnnx.INPUT, t), Set.of(LeNetOnnx.OUTPUT))) {
      return OnnxTensors.floats(r, LeNetOnnx.OUTPUT);
    }
  }

  private static void assertClose(float[] actual, float[] expected) {
    assertThat(actual).hasSameSizeAs(expected);
    double worst = 0;
    for (int i = 0; i < actual.length; i++) {
      worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    }
    assertThat(worst).as("largest difference from LeNetForward").isLessThanOrEqualTo(TOLERANCE);
  }

  @ParameterizedTest
  @CsvSource({"20,50,500,1", "20,50,500,37", "2,3,4,1", "2,3,4,37", "1,1,1,37", "6,16,120,37"})
  void onnxRuntimeAnswersAsTheReferenceForwardPass(int conv1, int conv2, int dense, int batch) throws Exception {
    LeNetWeights w = randomWeights(conv1, conv2, dense, 31L * conv1 + conv2 + dense);
    Path file = tmp.resolve(OnnxModelWriter.FILE_NAME);
    LeNetOnnx.write(w, file);
    float[] images = randomImages(batch, batch);
    float[] probs = run(file, images, batch);
    assertClose(probs, LeNetForward.probabilities(w, images, batch));
    // A probability distribution per image, not a copy of the input or zeros.
    for (int i = 0; i < batch; i++) {
      double sum = 0;
      for (int c = 0; c < Images.CLASSES; c++) {
        sum += probs[i * Images.CLASSES + c];
      }
      assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    }
  }

  @Test
  void theModelDeclaresADynamicBatchOfScaledImagesAndTenProbabilities() throws Exception {
    Path file = tmp.resolve(OnnxModelWriter.FILE_NAME);
    LeNetOnnx.write(randomWeights(2, 3, 4, 1), file);
    try (OrtSession s = OnnxSessions.open(file, 1, m -> { })) {
      assertThat(s.getInputNames()).containsExactly("images");
      assertThat(s.getOutputNames()).containsExactly("probabilities");
      assertThat(((TensorInfo) s.getInputInfo().get("images").getInfo()).getShape()).containsExactly(-1, 1, 28, 28);
      assertThat(((TensorInfo) s.getOutputInfo().get("probabilities").getInfo()).getShape()).containsExactly(-1, 10);
    }
  }

  /** 1,000 MNIST test images (../shared/data beside the checkout) through default-width random weights. */
  @Test
  void aThousandMnistTestImagesAgreeWithTheReference() throws Exception {
    Path mnist = Path.of("").toAbsolutePath().getParent().resolveSibling("shared").resolve("data/mnist");
    assumeTrue(Files.isDirectory(mnist), "no ../shared/data beside the checkout");
    Images test = ImageReader.read("test", List.of(mnist.resolve("t10k-images-idx3-ubyte.gz"),
        mnist.resolve("t10k-labels-idx1-ubyte.gz")));
    int n = 1000;
    float[] x = new float[n * Images.SIZE];
    for (int i = 0; i < x.length; i++) {
      x[i] = test.pixels()[i] / 255f;
    }
    LeNetWeights w = randomWeights(20, 50, 500, 2026);
    Path file = tmp.resolve(OnnxModelWriter.FILE_NAME);
    LeNetOnnx.write(w, file);
    assertClose(run(file, x, n), LeNetForward.probabilities(w, x, n));
  }
}
