package dev.sagebox.container.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagebox.container.SampleTrees;
import dev.sagebox.engine.data.recordio.RecordIOWriter;
import dev.sagebox.engine.linear.LinearLearnerAlgorithm;
import dev.sagebox.engine.model.AlgorithmRegistry;
import dev.sagebox.engine.xgboost.XGBoostAlgorithm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TrainingInputMode Pipe: a feeder thread plays SageMaker's agent, creating input/data/&lt;channel&gt;_&lt;epoch&gt;
 * as named pipes (mkfifo), one epoch after the other, each written once.
 */
class PipeModeTest {
  @TempDir
  Path tmp;
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

  private int train(Path base) {
    AlgorithmRegistry registry = new AlgorithmRegistry(List.of(new XGBoostAlgorithm("test", w -> { }),
        new LinearLearnerAlgorithm("test")));
    return new TrainCommand(SampleTrees.settings(base), registry,
        new PrintStream(stdout, true, StandardCharsets.UTF_8), () -> false).run();
  }

  /** Moves each channel's CSV out of its folder and feeds it through pipes; returns the count of epochs read. */
  private static AtomicInteger feed(Path base, String channel, int epochs) throws IOException {
    return feed(base, channel, epochs, false);
  }

  /**
   * As above; {@code wrapped}: as SageMaker's RecordWrapperType RecordIO does, each S3 object in a RecordIO record
   * (the CSV cut into two objects, the first without a final newline).
   */
  private static AtomicInteger feed(Path base, String channel, int epochs, boolean wrapped) throws IOException {
    Path folder = base.resolve("input/data").resolve(channel);
    byte[] csv = Files.readAllBytes(folder.resolve("breast_cancer.csv"));
    byte[] data = wrapped ? wrap(csv) : csv;
    Files.delete(folder.resolve("breast_cancer.csv"));
    Files.delete(folder);
    AtomicInteger written = new AtomicInteger();
    Thread t = new Thread(() -> {
      try {
        for (int e = 0; e < epochs; e++) {
          Path fifo = base.resolve("input/data").resolve(channel + "_" + e);
          Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
          if (p.waitFor() != 0) {
            throw new IOException("mkfifo failed");
          }
          try (OutputStream out = Files.newOutputStream(fifo)) { // blocks until the trainer opens it
            // Written in pieces, as a stream arrives.
            for (int i = 0; i < data.length; i += 4096) {
              out.write(data, i, Math.min(4096, data.length - i));
            }
          }
          written.incrementAndGet();
        }
      } catch (IOException | InterruptedException ex) {
        // the test's assertions on 'written' report it
      }
    }, "pipe-feeder-" + channel);
    t.setDaemon(true);
    t.start();
    return written;
  }

  /** Two records: the first half of the CSV without its last newline, then the rest. */
  private static byte[] wrap(byte[] csv) {
    int cut = csv.length / 2;
    while (csv[cut - 1] != '\n') {
      cut++;
    }
    ByteArrayOutputStream framed = new ByteArrayOutputStream();
    RecordIOWriter w = new RecordIOWriter(framed);
    w.write(java.util.Arrays.copyOf(csv, cut - 1));
    w.write(java.util.Arrays.copyOfRange(csv, cut, csv.length));
    return framed.toByteArray();
  }

  private static void pipeConfig(Path base) throws IOException {
    Files.writeString(base.resolve("input/config/inputdataconfig.json"),
        "{\"train\": {\"ContentType\": \"text/csv\", \"TrainingInputMode\": \"Pipe\"},"
            + " \"validation\": {\"ContentType\": \"text/csv\", \"TrainingInputMode\": \"Pipe\"}}");
  }

  @Test
  void xgboostReadsEachChannelsEpochZeroPipeAndTrainsTheSameModelAsFromFiles() throws Exception {
    Path files = SampleTrees.copy("xgboost", tmp.resolve("files"));
    assertThat(train(files)).isZero();
    Path base = SampleTrees.copy("xgboost", tmp.resolve("pipe"));
    pipeConfig(base);
    AtomicInteger train = feed(base, "train", 1);
    AtomicInteger validation = feed(base, "validation", 1);
    assertThat(train(base)).as(stdout.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(train.get()).isEqualTo(1);
    assertThat(validation.get()).isEqualTo(1);
    String log = stdout.toString(StandardCharsets.UTF_8);
    assertThat(log).contains("[9]\ttrain-");
    assertThat(Files.mismatch(files.resolve("model/xgboost-model"), base.resolve("model/xgboost-model")))
        .as("same data through a pipe gives the same model").isEqualTo(-1L);
  }

  @Test
  void recordWrappedPipesAreUnwrappedAndTrainTheSameModel() throws Exception {
    Path files = SampleTrees.copy("xgboost", tmp.resolve("files"));
    assertThat(train(files)).isZero();
    Path base = SampleTrees.copy("xgboost", tmp.resolve("wrapped"));
    Files.writeString(base.resolve("input/config/inputdataconfig.json"),
        "{\"train\": {\"ContentType\": \"text/csv\", \"TrainingInputMode\": \"Pipe\", "
            + "\"RecordWrapperType\": \"RecordIO\"}, \"validation\": {\"ContentType\": \"text/csv\", "
            + "\"TrainingInputMode\": \"Pipe\", \"RecordWrapperType\": \"RecordIO\"}}");
    feed(base, "train", 1, true);
    feed(base, "validation", 1, true);
    assertThat(train(base)).as(stdout.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(Files.mismatch(files.resolve("model/xgboost-model"), base.resolve("model/xgboost-model")))
        .as("the unwrapped objects hold the same rows").isEqualTo(-1L);
  }

  @Test
  void aStopRequestEndsTheWaitForAPipeAtOnce() throws Exception {
    Path base = SampleTrees.copy("xgboost", tmp.resolve("stop"));
    pipeConfig(base);
    long t0 = System.nanoTime();
    AlgorithmRegistry registry = new AlgorithmRegistry(List.of(new XGBoostAlgorithm("test", w -> { })));
    int code = new TrainCommand(SampleTrees.settings(base), registry,
        new PrintStream(stdout, true, StandardCharsets.UTF_8), () -> System.nanoTime() - t0 > 500_000_000L).run();
    assertThat(code).isZero();
    assertThat((System.nanoTime() - t0) / 1e9).as("seconds to stop").isLessThan(5);
    assertThat(base.resolve("model/xgboost-model")).doesNotExist();
  }

  @Test
  void linearLearnerReadsOnePipePerEpoch() throws Exception {
    Path base = SampleTrees.copy("linear-learner", tmp.resolve("ll"));
    pipeConfig(base);
    Files.writeString(base.resolve("input/config/hyperparameters.json"), "{\"predictor_type\": \"binary_classifier\","
        + " \"mini_batch_size\": \"100\", \"epochs\": \"4\", \"early_stopping_patience\": \"10\"}");
    AtomicInteger train = feed(base, "train", 4);
    AtomicInteger validation = feed(base, "validation", 1);
    assertThat(train(base)).as(stdout.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(train.get()).as("epochs streamed").isEqualTo(4);
    assertThat(validation.get()).isEqualTo(1);
    String log = stdout.toString(StandardCharsets.UTF_8);
    assertThat(log).contains("epoch=3, validation binary_classification_accuracy");
    assertThat(base.resolve("model/sagebox-model.json")).isRegularFile();
  }

  @Test
  void anUnusedPipeChannelIsNotWaitedFor() throws Exception {
    Path base = SampleTrees.copy("xgboost", tmp.resolve("none"));
    Files.writeString(base.resolve("input/config/inputdataconfig.json"),
        "{\"train\": {\"ContentType\": \"text/csv\", \"TrainingInputMode\": \"File\"},"
            + " \"extra\": {\"ContentType\": \"text/csv\", \"TrainingInputMode\": \"Pipe\"}}");
    // An unused Pipe channel is not waited for: XGBoost reads only train and validation.
    assertThat(train(base)).isZero();
  }
}
