package dev.sagebox.engine.lenet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.codec.Codecs;
import dev.sagebox.engine.data.ChannelFiles;
import dev.sagebox.engine.data.MediaType;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.ChannelInput;
import dev.sagebox.engine.model.Column;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.model.Predictions;
import dev.sagebox.engine.model.Predictor;
import dev.sagebox.engine.model.PredictorOptions;
import dev.sagebox.engine.model.RecordingListener;
import dev.sagebox.engine.model.TrainingRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;

/** Models written by releases before SameDiff (DL4J lenet-model.zip): converted, served, trained further. */
class LeNetLegacyTest {
  static final Path FIXTURE = Path.of(LegacyLeNetFixture.RESOURCE);

  @TempDir
  Path tmp;

  @Test
  void aConvertedLegacyModelAnswersAsDl4jDid() throws IOException {
    int n = 100;
    float[] x = LeNetGraphTest.testImages(n);
    MultiLayerNetwork dl4j = ModelSerializer.restoreMultiLayerNetwork(FIXTURE.toFile(), false);
    float[] expected = dl4j.output(Nd4j.createFromArray(x).reshape(n, Images.SIZE), false).dup('c').data()
        .asFloat();
    LeNetWeights w = LegacyLeNetZip.read(FIXTURE);
    assertThat(w.conv1()).isEqualTo(LegacyLeNetFixture.CONV1);
    assertThat(w.conv2()).isEqualTo(LegacyLeNetFixture.CONV2);
    assertThat(w.dense()).isEqualTo(LegacyLeNetFixture.DENSE);
    // Both ours and the reference agree with DL4J: the conversion (OIHW, C-H-W flattening) is right.
    assertThat(LeNetGraphTest.maxDifference(LeNetForward.probabilities(w, x, n), expected)).isLessThanOrEqualTo(1e-5f);
    float[] sameDiff = LeNetNetwork.fromWeights(w).probabilities(x, n);
    assertThat(LeNetGraphTest.maxDifference(sameDiff, expected)).isLessThanOrEqualTo(1e-5f);
    // The fixture was trained a little: its answers are not uniform, so the comparison means something.
    int correct = 0;
    Images valid = LeNetGraphTest.sample("validation");
    for (int i = 0; i < n; i++) {
      int best = 0;
      for (int c = 1; c < Images.CLASSES; c++) {
        best = sameDiff[i * Images.CLASSES + c] > sameDiff[i * Images.CLASSES + best] ? c : best;
      }
      correct += best == valid.labels()[i] ? 1 : 0;
    }
    assertThat(correct).isGreaterThan(30);
  }

  @Test
  void aLegacyModelFolderIsServedAndAModelChannelWithOneTrainsFurther() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("legacy"));
    Files.copy(FIXTURE, dir.resolve(LegacyLeNetZip.NAME));
    new ModelManifest(ModelManifest.CURRENT_FORMAT, LeNetAlgorithm.NAME, LegacyLeNetZip.NAME, Images.SIZE, "softmax",
        Images.CLASSES, "0.1.0", Map.of()).write(dir);
    LeNetAlgorithm algorithm = new LeNetAlgorithm("test");
    float[] expected = LeNetForward.probabilities(LegacyLeNetZip.read(FIXTURE), LeNetGraphTest.testImages(1), 1);
    try (Predictor p = algorithm.load(dir, ModelManifest.readIfPresent(dir), PredictorOptions.defaults())) {
      byte[] body = Files.readAllBytes(LeNetTest.SAMPLE.resolve("request.json"));
      Predictions out = p.predict(Codecs.standard().decoderFor("application/json").decode(body, MediaType.JSON,
          784));
      float[] probs = ((Column.Vectors) out.columns().get("probabilities")).values()[0];
      assertThat(LeNetGraphTest.maxDifference(probs, expected)).isLessThanOrEqualTo(1e-5f);
    }

    Map<String, ChannelInput> ch = new HashMap<>();
    for (String name : new String[] {"train", "validation"}) {
      ch.put(name, new ChannelInput(name, ChannelFiles.list(LeNetTest.SAMPLE.resolve("input/data").resolve(name)),
          null));
    }
    ch.put("model", new ChannelInput("model", ChannelFiles.list(dir), null));
    RecordingListener listener = new RecordingListener();
    algorithm.train(new TrainingRequest(Map.of("epochs", "1"), ch, tmp.resolve("model"), Optional.empty(), 2,
        listener, () -> false));
    LeNetWeights continued = LeNetWeightsFile.read(tmp.resolve("model").resolve(LeNetWeightsFile.NAME));
    assertThat(continued.conv1()).isEqualTo(LegacyLeNetFixture.CONV1);
    assertThat(continued.dense()).isEqualTo(LegacyLeNetFixture.DENSE);
  }

  @Test
  void aDl4jZipThatIsNotLeNetGetsAnErrorSayingToRetrain() throws IOException {
    MultiLayerNetwork mlp = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
        .layer(new DenseLayer.Builder().nIn(784).nOut(4).activation(Activation.RELU).build())
        .layer(new OutputLayer.Builder().nIn(4).nOut(10).activation(Activation.SOFTMAX).build()).build());
    mlp.init();
    Path file = tmp.resolve(LegacyLeNetZip.NAME);
    ModelSerializer.writeModel(mlp, file.toFile(), false);
    assertThatThrownBy(() -> LegacyLeNetZip.read(file)).isInstanceOf(UserError.class)
        .hasMessageContaining("not a Sagebox LeNet").hasMessageContaining("retrain it");
    Files.writeString(file, "not a zip");
    assertThatThrownBy(() -> LegacyLeNetZip.read(file)).isInstanceOf(UserError.class)
        .hasMessageContaining("is not a Sagebox LeNet model");
  }
}
