package dev.sagebox.container.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagebox.container.SageMakerEnv;
import dev.sagebox.container.SampleTrees;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.AlgorithmRegistry;
import dev.sagebox.engine.xgboost.XGBoostAlgorithm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tree that is missing or unusable, and an environment that cannot be read: user errors, never internal ones. */
class TreeProblemsTest {
  @TempDir
  Path tmp;

  private int train(Path base, String... env) {
    AlgorithmRegistry registry = new AlgorithmRegistry(List.of(new XGBoostAlgorithm("test", w -> { })));
    return new TrainCommand(SampleTrees.settings(base, env), registry,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), () -> false).run();
  }

  @Test
  void aMissingTreeIsAUserErrorAndNothingIsCreatedThere() {
    Path missing = tmp.resolve("not-there");
    assertThat(train(missing)).isEqualTo(FailureReport.USER_ERROR);
    assertThat(missing).doesNotExist();
  }

  @Test
  void aModelFolderThatIsAFileIsAUserErrorNamingIt() throws IOException {
    Path base = SampleTrees.copy("xgboost", tmp.resolve("ml"));
    Path modelFile = tmp.resolve("model-is-a-file");
    Files.writeString(modelFile, "x");
    assertThat(train(base, SageMakerEnv.MODEL_DIR, modelFile.toString())).isEqualTo(FailureReport.USER_ERROR);
    String failure = Files.readString(base.resolve("output/failure"));
    assertThat(failure.lines().findFirst().orElseThrow()).startsWith("the model folder " + modelFile
        + " cannot be used").contains("must be a writable folder");
    assertThat(failure).doesNotContain("internal error").doesNotContain("\tat ");
  }

  @Test
  void anOutputFolderThatIsAFileIsAUserError() throws IOException {
    Path base = SampleTrees.copy("xgboost", tmp.resolve("ml"));
    if (Files.exists(base.resolve("output"))) {
      try (var walk = Files.walk(base.resolve("output"))) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.writeString(base.resolve("output"), "x");
    assertThat(train(base)).isEqualTo(FailureReport.USER_ERROR);
  }

  @Test
  void anUnreadableEnvironmentWritesTheFailureAndRemovesAnOldSuccess() throws IOException {
    Path base = SampleTrees.copy("xgboost", tmp.resolve("ml"));
    Files.createDirectories(base.resolve("output"));
    Files.writeString(base.resolve("output/success"), "");
    int code = TrainCommand.failBeforeStart(base, new UserError("invalid environment: environment variable "
        + "SAGEBOX_THREADS='abc' is invalid; expected an integer in [1, 4096]"));
    assertThat(code).isEqualTo(FailureReport.USER_ERROR);
    assertThat(base.resolve("output/success")).doesNotExist();
    assertThat(Files.readAllLines(base.resolve("output/failure")).get(0)).contains("SAGEBOX_THREADS='abc'");
  }

  @Test
  void xgboostRefusingTheFirstRoundIsAUserErrorWithoutNativeLocationsOrBacktrace() throws IOException {
    Path base = SampleTrees.copy("xgboost", tmp.resolve("ml"));
    Files.writeString(base.resolve("input/config/hyperparameters.json"),
        "{\"num_round\": \"3\", \"objective\": \"binary:logistic\", \"base_score\": \"2\"}");
    assertThat(train(base)).isEqualTo(FailureReport.USER_ERROR);
    String failure = Files.readString(base.resolve("output/failure"));
    assertThat(failure.lines().findFirst().orElseThrow()).startsWith("XGBoost rejected the training setup in round 0: ")
        .contains("base_score").doesNotContain("/workspace").doesNotContain(".cu:");
    assertThat(failure).doesNotContain("[bt]").contains("ClientError");
  }

  @Test
  void aSecondTrainingOnTheSameTreeIsRefusedAndLeavesTheFirstAlone() throws IOException {
    Path base = SampleTrees.copy("xgboost", tmp.resolve("ml"));
    Files.createDirectories(base.resolve("output"));
    Files.writeString(base.resolve("output/success"), "");
    try (TrainLock first = TrainLock.tryAcquire(base.resolve("output")).orElseThrow()) {
      assertThat(train(base)).isEqualTo(FailureReport.USER_ERROR);
      assertThat(base.resolve("output/success")).exists();
      assertThat(base.resolve("output/failure")).doesNotExist();
    }
    assertThat(train(base)).isZero();
  }
}
