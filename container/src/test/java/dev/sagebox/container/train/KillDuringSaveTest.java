package dev.sagebox.container.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagebox.container.SampleTrees;
import dev.sagebox.container.serve.ModelLoader;
import dev.sagebox.engine.codec.Codecs;
import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.MediaType;
import dev.sagebox.engine.linear.LinearLearnerAlgorithm;
import dev.sagebox.engine.model.AlgorithmRegistry;
import dev.sagebox.engine.model.Column;
import dev.sagebox.engine.model.Predictor;
import dev.sagebox.engine.model.PredictorOptions;
import dev.sagebox.engine.xgboost.XGBoostAlgorithm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL at random moments while a trainer process saves its model over an older one: afterwards the folder always
 * serves either the old model or the new one, completely (the save is slowed with a test hook so that the kills
 * land inside it). {@code -Dsagebox.kill.rounds=N} changes the number of kills per algorithm.
 */
class KillDuringSaveTest {
  @TempDir
  Path tmp;
  private final AlgorithmRegistry registry = new AlgorithmRegistry(List.of(new XGBoostAlgorithm("test", w -> { }),
      new LinearLearnerAlgorithm("test")));

  private Process trainer(Path base, long pauseMs) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "dev.sagebox.container.Main", "train").redirectErrorStream(true);
    pb.environment().put("SAGEMAKER_BASE_DIR", base.toString());
    pb.environment().put("SAGEBOX_TEST_SAVE_PAUSE_MS", Long.toString(pauseMs));
    pb.environment().put("SAGEBOX_THREADS", "1");
    pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
    return pb.start();
  }

  private float[] scores(Path modelDir, String body) {
    try (Predictor p = new ModelLoader(registry).load(modelDir, PredictorOptions.defaults())) {
      Batch b = Codecs.standard().decoderFor("text/csv").decode(body.getBytes(StandardCharsets.UTF_8),
          MediaType.CSV, p.featureCount());
      Column c = p.predict(b).columns().get("score");
      if (c instanceof Column.Scalars s) {
        return s.values();
      }
      return ((Column.Vectors) c).values()[0];
    }
  }

  private static void replaceModel(Path from, Path to) throws IOException {
    try (Stream<Path> old = Files.walk(to)) {
      for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
        if (!p.equals(to)) {
          Files.delete(p);
        }
      }
    }
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"xgboost, '{\"num_round\": \"3\"}', '{\"num_round\": \"8\"}'",
      "linear-learner, '{\"predictor_type\": \"binary_classifier\", \"epochs\": \"1\", \"mini_batch_size\": \"100\"}', "
          + "'{\"predictor_type\": \"binary_classifier\", \"epochs\": \"3\", \"mini_batch_size\": \"100\"}'"})
  void aKillAtAnyMomentOfTheSaveLeavesTheOldOrTheNewModel(String sample, String oldHp, String newHp)
      throws Exception {
    int rounds = Integer.getInteger("sagebox.kill.rounds", 15);
    Path base = SampleTrees.copy(sample, tmp.resolve(sample));
    // Both samples hold the breast-cancer set (30 features); the XGBoost sample has CSV request rows.
    String body = String.join("\n", Files.readAllLines(SampleTrees.repoRoot().resolve(
        "opt-ml-sample/xgboost/request.csv")).subList(0, 5)) + "\n";
    Path hp = base.resolve("input/config/hyperparameters.json");
    // The old and the new model, each trained to the end once, and what they predict.
    Files.writeString(hp, oldHp);
    assertThat(trainer(base, 0).waitFor()).isZero();
    Path oldModel = Files.createDirectories(tmp.resolve(sample + "-old"));
    replaceModel(base.resolve("model"), oldModel);
    float[] oldScores = scores(oldModel, body);
    Files.writeString(hp, newHp);
    assertThat(trainer(base, 0).waitFor()).isZero();
    float[] newScores = scores(base.resolve("model"), body);
    assertThat(newScores).isNotEqualTo(oldScores);

    Random random = new Random(42);
    int sawOld = 0;
    int sawNew = 0;
    for (int i = 0; i < rounds; i++) {
      replaceModel(oldModel, base.resolve("model"));
      Process p = trainer(base, 30);
      CountDownLatch saving = new CountDownLatch(1);
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
            StandardCharsets.UTF_8))) {
          for (String line = r.readLine(); line != null; line = r.readLine()) {
            if (line.contains("committing the new model")) {
              saving.countDown();
            }
          }
        } catch (IOException e) {
          // the process was killed
        }
      });
      reader.setDaemon(true);
      reader.start();
      assertThat(saving.await(120, TimeUnit.SECONDS)).as("the trainer reached the save").isTrue();
      Thread.sleep(random.nextInt(300));
      p.destroyForcibly();
      p.waitFor();
      float[] now = scores(base.resolve("model"), body);
      if (Arrays.equals(now, oldScores)) {
        sawOld++;
      } else {
        assertThat(now).as("kill %d: the model is neither the old nor the new one", i).containsExactly(newScores);
        sawNew++;
      }
    }
    System.out.printf("%s: %d kills during the save, old model after %d, new model after %d%n", sample, rounds,
        sawOld, sawNew);
    assertThat(sawOld + sawNew).isEqualTo(rounds);
  }
}
