package dev.sagebox.engine.lenet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagebox.engine.data.ChannelFiles;
import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.model.ChannelInput;
import dev.sagebox.engine.model.Column;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.model.Predictions;
import dev.sagebox.engine.model.Predictor;
import dev.sagebox.engine.model.PredictorOptions;
import dev.sagebox.engine.model.PredictorOptions.ModelRuntime;
import dev.sagebox.engine.model.RecordingListener;
import dev.sagebox.engine.model.TrainingRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trained LeNet folder holds model.onnx beside the native weights: ONNX Runtime serves it by default, the native
 * network with SAGEBOX_RUNTIME=native, and both answer the same on 1,000 MNIST test images (to 1e-5).
 */
class LeNetRuntimesTest {
  private static final Path MNIST = Path.of("").toAbsolutePath().getParent().resolve("../shared/data/mnist")
      .normalize();

  @TempDir
  Path tmp;

  @Test
  void onnxAndNativeAnswerTheSameOnAThousandTestImages() throws Exception {
    Path sample = LeNetTest.SAMPLE.resolve("input/data/train");
    Path model = tmp.resolve("model");
    ModelManifest manifest = new LeNetAlgorithm("test").train(new TrainingRequest(Map.of("epochs", "1"),
        Map.of("train", new ChannelInput("train", ChannelFiles.list(sample), null)), model, Optional.empty(), 2,
        new RecordingListener(), () -> false));
    assertThat(model.resolve("model.onnx")).isRegularFile();

    Path testImages = Files.isDirectory(MNIST) ? MNIST : LeNetTest.SAMPLE.resolve("input/data/validation");
    List<Path> files = ChannelFiles.list(testImages).stream()
        .filter(p -> p.getFileName().toString().startsWith("t10k") || !Files.isDirectory(MNIST)).toList();
    Images test = ImageReader.read("test", files);
    int n = Math.min(1000, test.count());
    DenseBatch batch = new DenseBatch(n, Images.SIZE, java.util.Arrays.copyOf(test.pixels(), n * Images.SIZE));

    PredictorOptions onnx = new PredictorOptions(List.of(), 1);
    PredictorOptions nativeRuntime = onnx.withRuntime(ModelRuntime.NATIVE);
    try (Predictor viaOnnx = new LeNetAlgorithm("test").load(model, manifest, onnx);
        Predictor viaNative = new LeNetAlgorithm("test").load(model, manifest, nativeRuntime)) {
      assertThat(viaOnnx).isInstanceOf(OnnxLeNetPredictor.class);
      assertThat(viaNative).isInstanceOf(LeNetPredictor.class);
      Predictions a = viaOnnx.predict(batch);
      Predictions b = viaNative.predict(batch);
      float[][] pa = ((Column.Vectors) a.columns().get("probabilities")).values();
      float[][] pb = ((Column.Vectors) b.columns().get("probabilities")).values();
      double worst = 0;
      for (int r = 0; r < n; r++) {
        for (int c = 0; c < Images.CLASSES; c++) {
          worst = Math.max(worst, Math.abs(pa[r][c] - pb[r][c]));
        }
      }
      assertThat(n).isEqualTo(Files.isDirectory(MNIST) ? 1000 : n);
      assertThat(worst).as("largest probability difference over %d images", n).isLessThanOrEqualTo(1e-5);
      assertThat(((Column.Integers) a.columns().get("predicted_label")).values())
          .containsExactly(((Column.Integers) b.columns().get("predicted_label")).values());
    }
  }
}
