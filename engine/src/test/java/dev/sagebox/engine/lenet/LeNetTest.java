package dev.sagebox.engine.lenet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.codec.Codecs;
import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.ChannelFiles;
import dev.sagebox.engine.data.MediaType;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.ChannelInput;
import dev.sagebox.engine.model.Column;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.model.Predictions;
import dev.sagebox.engine.model.Predictor;
import dev.sagebox.engine.model.PredictorOptions;
import dev.sagebox.engine.model.TrainingInterrupted;
import dev.sagebox.engine.model.RecordingListener;
import dev.sagebox.engine.model.TrainingRequest;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LeNet on the shipped MNIST sample (opt-ml-sample/lenet): readers, training, checkpoints, prediction. */
class LeNetTest {
  static final Path SAMPLE = Path.of("").toAbsolutePath().getParent().resolve("opt-ml-sample/lenet");

  @TempDir
  Path tmp;

  private final RecordingListener listener = new RecordingListener();
  private final List<String> metrics = listener.metricLines;

  private static ChannelInput channel(String name) {
    return new ChannelInput(name, ChannelFiles.list(SAMPLE.resolve("input/data").resolve(name)), null);
  }

  @Test
  void readsGzippedIdxPairs() {
    Images train = ImageReader.read("train", channel("train").files());
    assertThat(train.count()).isEqualTo(1000);
    // MNIST's first training labels.
    assertThat(java.util.Arrays.copyOf(train.labels(), 5)).containsExactly(5, 0, 4, 1, 9);
    Images valid = ImageReader.read("validation", channel("validation").files());
    assertThat(java.util.Arrays.copyOf(valid.labels(), 5)).containsExactly(7, 2, 1, 0, 4);
    float max = 0;
    for (float v : train.pixels()) {
      max = Math.max(max, v);
    }
    assertThat(max).isEqualTo(255f);
  }

  @Test
  void readsCsvAndImageFoldersAndRejectsBadFiles() throws IOException {
    Path csv = Files.createDirectories(tmp.resolve("csv"));
    StringBuilder sb = new StringBuilder("3");
    for (int i = 0; i < 784; i++) {
      sb.append(',').append(i % 256);
    }
    Files.writeString(csv.resolve("d.csv"), sb + "\n");
    Images fromCsv = ImageReader.read("train", ChannelFiles.list(csv));
    assertThat(fromCsv.labels()).containsExactly(3);

    Path folders = Files.createDirectories(tmp.resolve("img/7"));
    BufferedImage big = new BufferedImage(56, 40, BufferedImage.TYPE_INT_RGB);
    big.setRGB(10, 10, 0xFFFFFF);
    ImageIO.write(big, "png", folders.resolve("a.png").toFile());
    ImageIO.write(big, "jpg", folders.resolve("b.jpg").toFile());
    Images fromImages = ImageReader.read("train", ChannelFiles.list(tmp.resolve("img")));
    assertThat(fromImages.count()).isEqualTo(2);
    assertThat(fromImages.labels()).containsExactly(7, 7);

    Path bad = Files.createDirectories(tmp.resolve("bad/train/cats"));
    ImageIO.write(big, "png", bad.resolve("c.png").toFile());
    assertThatThrownBy(() -> ImageReader.read("train", ChannelFiles.list(tmp.resolve("bad/train"))))
        .isInstanceOf(UserError.class).hasMessageStartingWith("train/cats/c.png: ")
        .hasMessageContaining("folder named by its class 0-9");
    // Messages name the file under the channel's folder, class folder included.
    Path corrupt = Files.createDirectories(tmp.resolve("corrupt/train/1"));
    Files.write(corrupt.resolve("x.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0});
    assertThatThrownBy(() -> ImageReader.read("train", ChannelFiles.list(tmp.resolve("corrupt/train"))))
        .isInstanceOf(UserError.class).hasMessageContaining("train/1/x.png is not a readable PNG or JPEG");
    Path half = Files.createDirectories(tmp.resolve("half"));
    Files.copy(SAMPLE.resolve("input/data/train/train-images-idx3-ubyte.gz"), half.resolve("i.gz"));
    assertThatThrownBy(() -> ImageReader.read("train", ChannelFiles.list(half)))
        .hasMessageContaining("1 IDX image file(s) but 0 IDX label file(s)");
  }

  private TrainingRequest request(Map<String, String> hp, Optional<Path> ckpt, BooleanSupplier stop) {
    Map<String, ChannelInput> ch = new HashMap<>();
    ch.put("train", channel("train"));
    ch.put("validation", channel("validation"));
    return new TrainingRequest(hp, ch, tmp.resolve("model"), ckpt, 2, listener, stop);
  }

  private double lastValidationAccuracy() {
    Pattern p = Pattern.compile("#quality_metric: host=algo-1, epoch=\\d+, validation accuracy <score>=(\\S+)");
    double v = -1;
    for (String l : metrics) {
      Matcher m = p.matcher(l);
      if (m.matches()) {
        v = Double.parseDouble(m.group(1));
      }
    }
    return v;
  }

  @Test
  void trainsOnTheSampleResumesFromCheckpointsAndPredictsJsonCsvAndPng() throws IOException {
    LeNetAlgorithm algorithm = new LeNetAlgorithm("test");
    Path ckpt = tmp.resolve("ckpt");
    AtomicInteger calls = new AtomicInteger();
    // Stop in the middle of epoch 1 (16 batches of 64 per epoch): checkpoint of epoch 1 and a partial model.
    assertThatThrownBy(() -> algorithm.train(request(Map.of("epochs", "3", "learning_rate", "0.001"),
        Optional.of(ckpt), () -> calls.incrementAndGet() > 20)))
        .isInstanceOf(TrainingInterrupted.class);
    assertThat(ckpt.resolve("lenet-checkpoint-1.sd")).isRegularFile();
    assertThat(tmp.resolve("model/lenet-weights.bin")).isRegularFile();
    metrics.clear();
    ModelManifest m = algorithm.train(request(Map.of("epochs", "3", "learning_rate", "0.001"), Optional.of(ckpt),
        () -> false));
    assertThat(metrics.get(0)).startsWith("#quality_metric: host=algo-1, epoch=1, train loss <loss>=");
    assertThat(m.details()).containsEntry("epochs_trained", "3");
    assertThat(lastValidationAccuracy()).isGreaterThanOrEqualTo(0.85);

    Codecs codecs = Codecs.standard();
    try (Predictor p = algorithm.load(tmp.resolve("model"), ModelManifest.readIfPresent(tmp.resolve("model")),
        PredictorOptions.defaults())) {
      for (String type : List.of("image/png", "application/json")) {
        byte[] body = Files.readAllBytes(SAMPLE.resolve(type.equals("image/png") ? "request.png" : "request.json"));
        Batch batch = codecs.decoderFor(type).decode(body, MediaType.parse(type), 784);
        Predictions out = p.predict(batch);
        assertThat(((Column.Integers) out.columns().get("predicted_label")).values()).as(type).containsExactly(7);
        assertThat(((Column.Vectors) out.columns().get("probabilities")).values()[0]).hasSize(10);
      }
      assertThatThrownBy(() -> codecs.decoderFor("application/json").decode("[[1,2,3]]".getBytes(), MediaType.JSON,
          784)).hasMessageContaining("the model expects 784 (a flat list, or 28 rows of 28 for an image)");
    }
  }

  @Test
  void aModelChannelContinuesTrainingFromAnEarlierModel() throws IOException {
    LeNetAlgorithm algorithm = new LeNetAlgorithm("test");
    algorithm.train(request(Map.of("epochs", "2"), Optional.empty(), () -> false));
    double first = lastValidationAccuracy();
    Path earlier = Files.createDirectories(tmp.resolve("earlier"));
    Files.copy(tmp.resolve("model/lenet-weights.bin"), earlier.resolve("lenet-weights.bin"));
    metrics.clear();
    Map<String, ChannelInput> ch = new HashMap<>();
    ch.put("train", channel("train"));
    ch.put("validation", channel("validation"));
    ch.put("model", new ChannelInput("model", ChannelFiles.list(earlier), null));
    algorithm.train(new TrainingRequest(Map.of("epochs", "1"), ch, tmp.resolve("model2"), Optional.empty(), 2,
        listener, () -> false));
    // One more epoch from the earlier weights beats one epoch from scratch (0.71 here) and does not fall back.
    assertThat(lastValidationAccuracy()).isGreaterThanOrEqualTo(Math.min(first, 0.8));
    ch.put("model", new ChannelInput("model", List.of(tmp.resolve("model/sagebox-model.json")), null));
    assertThatThrownBy(() -> algorithm.train(new TrainingRequest(Map.of("epochs", "1"), ch, tmp.resolve("m3"),
        Optional.empty(), 2, listener, () -> false))).hasMessageContaining("channel 'model' has no lenet-weights.bin or lenet-model.zip");
  }

  @Test
  void hyperparametersAreChecked() {
    assertThatThrownBy(() -> LeNetParams.parse(Map.of("optimizer", "rmsprop"), w -> { }))
        .hasMessageContaining("expected one of sgd, nesterov, adam");
    assertThat(LeNetParams.parse(Map.of("batch_size", "32"), w -> { }).batchSize()).isEqualTo(32);
    assertThatThrownBy(() -> LeNetParams.parse(Map.of("epochs", "0"), w -> { })).hasMessageContaining("'epochs'");
  }
}
