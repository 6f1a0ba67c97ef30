package dev.sagebox.engine.lenet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.data.ChannelFiles;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

/** The SameDiff network against the plain-Java reference forward pass, its weights file, its optimisers. */
class LeNetGraphTest {
  @TempDir
  Path tmp;

  static Images sample(String channel) {
    return ImageReader.read(channel, ChannelFiles.list(LeNetTest.SAMPLE.resolve("input/data").resolve(channel)));
  }

  /** The first {@code n} MNIST test images of the sample, scaled to 0-1. */
  static float[] testImages(int n) {
    return LeNetTrainer.scaled(sample("validation").pixels(), n);
  }

  static float maxDifference(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    float max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  private static final class Lines implements TrainingListener {
    final List<String> info = new ArrayList<>();

    @Override
    public void metricLine(String line) {
      info.add(line);
    }

    @Override
    public void info(String message) {
      info.add(message);
    }

    @Override
    public void warn(String message) {
      info.add(message);
    }
  }

  @Test
  void aTrainedNetworkAnswersAsThePlainJavaForwardPass() {
    Lines lines = new Lines();
    LeNetParams p = LeNetParams.parse(Map.of("epochs", "1", "progress_every", "5"), w -> { });
    LeNetTrainer.Outcome outcome = new LeNetTrainer(p, lines, Optional.empty(), () -> false)
        .train(sample("train"), sample("validation"), null);
    assertThat(lines.info).anyMatch(l -> l.matches(
        "epoch 0, iteration 5: 320/1000 images, loss \\d+\\.\\d{4}, \\d+ images/s"));
    assertThat(lines.info).anyMatch(l -> l.matches("epoch 0 done in \\d+\\.\\d\\d s \\(\\d+ images/s\\)"));
    LeNetWeights w = outcome.network().weights();
    assertThat(w.conv1()).isEqualTo(20);
    assertThat(w.conv2()).isEqualTo(50);
    assertThat(w.dense()).isEqualTo(500);
    int n = 100;
    float[] x = testImages(n);
    float[] sameDiff = outcome.network().probabilities(x, n);
    float[] reference = LeNetForward.probabilities(w, x, n);
    assertThat(maxDifference(sameDiff, reference)).isLessThanOrEqualTo(1e-5f);
    // After one epoch on 1,000 images the network is far from uniform: the check compares real answers.
    assertThat(LeNetTrainer.evaluate(outcome.network(), sample("validation"))[0]).isGreaterThan(0.6);

    LeNetNetwork rebuilt = LeNetNetwork.fromWeights(w);
    assertThat(Arrays.equals(rebuilt.weights().conv2W(), w.conv2W())).isTrue();
    assertThat(Arrays.equals(rebuilt.weights().denseW(), w.denseW())).isTrue();
    assertThat(maxDifference(rebuilt.probabilities(x, n), sameDiff)).isEqualTo(0f);
  }

  @Test
  void theWeightsFileRoundTripsAndRejectsOtherFiles() throws IOException {
    LeNetWeights w = LeNetInit.xavier(LeNetParams.parse(Map.of("conv1_filters", "2", "conv2_filters", "3",
        "dense_units", "4", "seed", "5"), m -> { }));
    Path file = tmp.resolve(LeNetWeightsFile.NAME);
    LeNetWeightsFile.write(w, file);
    LeNetWeights back = LeNetWeightsFile.read(file);
    assertThat(back.conv1()).isEqualTo(2);
    assertThat(back.dense()).isEqualTo(4);
    assertThat(Arrays.equals(back.conv1W(), w.conv1W())).isTrue();
    assertThat(Arrays.equals(back.denseW(), w.denseW())).isTrue();
    assertThat(Arrays.equals(back.outB(), w.outB())).isTrue();

    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 3));
    assertThatThrownBy(() -> LeNetWeightsFile.read(file)).isInstanceOf(UserError.class)
        .hasMessageContaining("is truncated");
    Files.writeString(file, "PK not weights at all");
    assertThatThrownBy(() -> LeNetWeightsFile.read(file)).isInstanceOf(UserError.class)
        .hasMessageContaining("is not a Sagebox LeNet weights file");
  }

  @Test
  void initialWeightsFollowTheSeed() {
    LeNetWeights a = LeNetInit.xavier(LeNetParams.parse(Map.of("seed", "1"), m -> { }));
    LeNetWeights b = LeNetInit.xavier(LeNetParams.parse(Map.of("seed", "1"), m -> { }));
    LeNetWeights c = LeNetInit.xavier(LeNetParams.parse(Map.of("seed", "2"), m -> { }));
    assertThat(Arrays.equals(a.denseW(), b.denseW())).isTrue();
    assertThat(Arrays.equals(a.denseW(), c.denseW())).isFalse();
    // Xavier-normal: dense layer 800 -> 500 has standard deviation sqrt(2 / 1300) = 0.039.
    double sq = 0;
    for (float v : a.denseW()) {
      sq += v * v;
    }
    assertThat(Math.sqrt(sq / a.denseW().length)).isBetween(0.038, 0.040);
    assertThat(a.conv1B()).containsOnly(0f);
  }

  @Test
  void everyOptimiserLowersTheLossAndWeightDecayShrinksTheWeights() {
    Images train = sample("train");
    int n = 64;
    var x = Nd4j.createFromArray(LeNetTrainer.scaled(train.pixels(), n)).reshape(n, Images.SIZE);
    float[] y = new float[n * Images.CLASSES];
    for (int i = 0; i < n; i++) {
      y[i * Images.CLASSES + train.labels()[i]] = 1f;
    }
    var labels = Nd4j.createFromArray(y).reshape(n, Images.CLASSES);
    Map<String, Double> finalNorm = new java.util.HashMap<>();
    for (String[] hp : new String[][] {{"adam", "0.01", "0"}, {"sgd", "0.1", "0"}, {"nesterov", "0.05", "0"},
        {"sgd", "0.1", "0.5"}}) {
      LeNetParams p = LeNetParams.parse(Map.of("optimizer", hp[0], "learning_rate", hp[1], "weight_decay", hp[2],
          "conv1_filters", "4", "conv2_filters", "8", "dense_units", "32"), m -> { });
      LeNetNetwork net = LeNetNetwork.initial(p);
      net.configureTraining(p);
      double first = net.fit(x, labels);
      double last = first;
      for (int i = 0; i < 25; i++) {
        last = net.fit(x, labels);
      }
      if (hp[2].equals("0")) {
        assertThat(last).as(String.join("/", hp)).isLessThan(first * 0.85);
      }
      double sq = 0;
      for (float v : net.weights().denseW()) {
        sq += v * v;
      }
      finalNorm.put(String.join("/", hp), sq);
    }
    assertThat(finalNorm.get("sgd/0.1/0.5")).isLessThan(finalNorm.get("sgd/0.1/0") * 0.9);
  }
}
