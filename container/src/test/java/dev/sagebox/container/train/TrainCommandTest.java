package dev.sagebox.container.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.container.SampleTrees;
import dev.sagebox.container.SageMakerEnv;
import dev.sagebox.engine.linear.LinearLearnerAlgorithm;
import dev.sagebox.engine.model.AlgorithmRegistry;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.xgboost.XGBoostAlgorithm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
  @TempDir
  Path tmp;

  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

  private int train(Path base, String... env) {
    AlgorithmRegistry registry = new AlgorithmRegistry(List.of(new XGBoostAlgorithm("test", w -> { }),
        new LinearLearnerAlgorithm("test")));
    return new TrainCommand(SampleTrees.settings(base, env), registry,
        new PrintStream(stdout, true, StandardCharsets.UTF_8), () -> false).run();
  }

  private Path sample() {
    return SampleTrees.copy("xgboost", tmp.resolve("ml"));
  }

  private static void writeHyperparameters(Path base, String json) throws IOException {
    Files.writeString(base.resolve("input/config/hyperparameters.json"), json);
  }

  private static String failureFirstLine(Path base) throws IOException {
    return Files.readAllLines(base.resolve("output/failure")).get(0);
  }

  @Test
  void trainsTheSampleAndLogsMetricsSageMakerRegexesMatch() throws IOException {
    Path base = sample();
    assertThat(train(base)).isZero();
    assertThat(base.resolve("model/xgboost-model")).isRegularFile();
    assertThat(base.resolve("output/success")).isRegularFile();
    assertThat(base.resolve("output/failure")).doesNotExist();
    ModelManifest m = ModelManifest.readIfPresent(base.resolve("model"));
    assertThat(m.featureCount()).isEqualTo(30);
    assertThat(m.objective()).isEqualTo("binary:logistic");

    String out = stdout.toString(StandardCharsets.UTF_8);
    // SageMaker's built-in regex, on the raw log and on CloudWatch's rendering of TAB as #011.
    Pattern raw = Pattern.compile(".*\\[[0-9]+\\].*\\tvalidation-auc:(\\S+)");
    Pattern cloudWatch = Pattern.compile(".*\\[[0-9]+\\].*#011validation-auc:(\\S+)");
    List<String> lines = out.lines().toList();
    assertThat(lines).isNotEmpty().allMatch(l -> raw.matcher(l).matches());
    assertThat(lines).allMatch(l -> cloudWatch.matcher(l.replace("\t", "#011")).matches());
    assertThat(lines.get(0)).startsWith("[0]\ttrain-error:");
  }

  @Test
  void sageboxExternalMemoryTrainsXGBoostFromPagesOnDisk() throws IOException {
    Path base = sample();
    assertThat(train(base, SageMakerEnv.EXTERNAL_MEMORY, "true")).isZero();
    assertThat(base.resolve("model/xgboost-model")).isRegularFile();
    assertThat(stdout.toString(StandardCharsets.UTF_8).lines()).isNotEmpty()
        .allMatch(l -> l.matches("\\[[0-9]+\\]\\ttrain-error:.*validation-auc:\\S+"));
    // The variable reaches the algorithm as data_matrix=external: k-fold, which needs rows in memory, is refused.
    Path kfold = SampleTrees.copy("xgboost", tmp.resolve("kfold"));
    writeHyperparameters(kfold, "{\"num_round\": \"3\", \"_kfold\": \"3\", \"objective\": \"binary:logistic\"}");
    assertThat(train(kfold, SageMakerEnv.EXTERNAL_MEMORY, "true")).isNotZero();
    assertThat(failureFirstLine(kfold)).contains("cannot be trained from external memory: _kfold is set");
    // A data_matrix hyperparameter wins over the variable.
    writeHyperparameters(kfold, "{\"num_round\": \"3\", \"_kfold\": \"3\", \"objective\": \"binary:logistic\", "
        + "\"data_matrix\": \"float\"}");
    assertThat(train(kfold, SageMakerEnv.EXTERNAL_MEMORY, "true")).isZero();
    assertThatThrownBy(() -> SampleTrees.settings(base, SageMakerEnv.EXTERNAL_MEMORY, "sometimes"))
        .hasMessageContaining("SAGEBOX_EXTERNAL_MEMORY='sometimes' is invalid; accepted: true");
  }

  @Test
  void kFoldWritesFoldModelsAndOutOfFoldPredictionsUnderOutputData() throws IOException {
    Path base = sample();
    writeHyperparameters(base, "{\"num_round\": \"3\", \"objective\": \"binary:logistic\", \"_kfold\": \"3\","
        + " \"eval_metric\": \"f1,auc\"}");
    assertThat(train(base)).isZero();
    assertThat(base.resolve("model/xgboost-model-2")).isRegularFile();
    assertThat(base.resolve("output/data/predictions.csv")).isRegularFile();
    List<String> lines = stdout.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines.get(lines.size() - 1)).matches("\\[3\\]\\ttrain-f1:\\S+\\tvalidation-f1:\\S+"
        + "\\ttrain-auc:\\S+\\tvalidation-auc:\\S+");
  }

  @Test
  void aModelChannelWithSageMakersModelContentTypeContinuesTraining() throws IOException {
    Path base = sample();
    writeHyperparameters(base, "{\"num_round\": \"3\", \"objective\": \"binary:logistic\"}");
    assertThat(train(base)).isZero();
    Path channel = Files.createDirectories(base.resolve("input/data/model"));
    try (var files = Files.list(base.resolve("model"))) {
      for (Path f : files.toList()) {
        Files.move(f, channel.resolve(f.getFileName()));
      }
    }
    Files.writeString(base.resolve("input/config/inputdataconfig.json"), "{\"train\": {\"ContentType\": "
        + "\"text/csv\"}, \"validation\": {\"ContentType\": \"text/csv\"}, \"model\": {\"ContentType\": "
        + "\"application/x-sagemaker-model\", \"TrainingInputMode\": \"File\"}}");
    stdout.reset();
    assertThat(train(base)).isZero();
    List<String> lines = stdout.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).startsWith("[3]\ttrain-logloss:");
    assertThat(ModelManifest.readIfPresent(base.resolve("model")).details()).containsEntry("rounds_trained", "6");
  }

  @Test
  void badHyperparameterWritesAFailureFileNamingItAndExitsOne() throws IOException {
    Path base = sample();
    writeHyperparameters(base, "{\"num_round\": \"zero\", \"objective\": \"binary:logistic\"}");
    assertThat(train(base)).isEqualTo(1);
    assertThat(failureFirstLine(base))
        .isEqualTo("hyperparameter 'num_round': value 'zero' is invalid: expected an integer >= 1");
    assertThat(base.resolve("model/xgboost-model")).doesNotExist();
  }

  @Test
  void unknownHyperparameterAndMissingNumRound() throws IOException {
    Path base = sample();
    writeHyperparameters(base, "{\"num_round\": \"5\", \"max_dept\": \"3\"}");
    assertThat(train(base)).isEqualTo(1);
    assertThat(failureFirstLine(base)).contains("'max_dept'").contains("did you mean max_depth");
    writeHyperparameters(base, "{\"objective\": \"binary:logistic\"}");
    assertThat(train(base)).isEqualTo(1);
    assertThat(failureFirstLine(base)).contains("'num_round': is required");
  }

  @Test
  void csvWithAHeaderNamesFileAndLine() throws IOException {
    Path base = sample();
    Path f = base.resolve("input/data/train/breast_cancer.csv");
    Files.writeString(f, "diagnosis,radius\n" + Files.readString(f));
    assertThat(train(base)).isEqualTo(1);
    assertThat(failureFirstLine(base)).startsWith("train/breast_cancer.csv, line 1, column 1: 'diagnosis' is not"
        + " a number");
  }

  @Test
  void missingTrainChannelAndMissingDeclaredFolder() throws IOException {
    Path base = sample();
    Files.walk(base.resolve("input/data/train")).sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
    assertThat(train(base)).isEqualTo(1);
    assertThat(failureFirstLine(base)).contains("channel 'train' is declared in inputdataconfig.json but its "
        + "folder");
    Files.delete(base.resolve("input/config/inputdataconfig.json"));
    assertThat(train(base)).isEqualTo(1);
    assertThat(failureFirstLine(base)).contains("the 'train' channel is required");
  }

  @Test
  void unsupportedContentTypeAndLabelSize() throws IOException {
    Path base = sample();
    Files.writeString(base.resolve("input/config/inputdataconfig.json"),
        "{\"train\": {\"ContentType\": \"application/x-image\"}}");
    assertThat(train(base)).isEqualTo(1);
    assertThat(failureFirstLine(base)).contains("'application/x-image' is not supported")
        .contains("accepted: text/csv, text/libsvm, application/x-recordio-protobuf, application/x-parquet");
    // CSV declared as RecordIO-protobuf: the reader says what it found where.
    Files.writeString(base.resolve("input/config/inputdataconfig.json"),
        "{\"train\": {\"ContentType\": \"application/x-recordio-protobuf\"}}");
    assertThat(train(base)).isEqualTo(1);
    assertThat(failureFirstLine(base)).contains("breast_cancer.csv");
    Files.writeString(base.resolve("input/config/inputdataconfig.json"),
        "{\"train\": {\"ContentType\": \"text/csv;label_size=0\"}}");
    assertThat(train(base)).isEqualTo(1);
    assertThat(failureFirstLine(base)).contains("label_size=0");
  }

  @Test
  void libsvmWithoutContentTypeIsDetected() throws IOException {
    Path base = sample();
    Files.delete(base.resolve("input/config/inputdataconfig.json"));
    for (String channel : List.of("train", "validation")) {
      Path dir = base.resolve("input/data").resolve(channel);
      Path csv = dir.resolve("breast_cancer.csv");
      StringBuilder sb = new StringBuilder();
      for (String line : Files.readAllLines(csv)) {
        String[] f = line.split(",");
        sb.append(f[0]);
        for (int i = 1; i < f.length; i++) {
          sb.append(' ').append(i).append(':').append(f[i]);
        }
        sb.append('\n');
      }
      Files.delete(csv);
      Files.writeString(dir.resolve("part.libsvm"), sb);
    }
    assertThat(train(base)).isZero();
    // Indices 1..30 are 1-based: shifted to 0-based, as AWS's XGBoost does, so the model has 30 features.
    ModelManifest m = ModelManifest.readIfPresent(base.resolve("model"));
    assertThat(m.featureCount()).isEqualTo(30);
    assertThat(m.details()).containsEntry("libsvm_index_base", "1");
  }

  @Test
  void predictorTypeSelectsTheLinearLearnerAndUnknownAlgorithmsAreClearErrors() throws IOException {
    Path base = sample();
    writeHyperparameters(base, "{\"predictor_type\": \"binary_classifier\", \"mini_batch_size\": \"100\"}");
    assertThat(train(base)).isZero();
    assertThat(ModelManifest.readIfPresent(base.resolve("model")).algorithm()).isEqualTo("linear-learner");
    assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("#quality_metric: host=algo-1, epoch=final, "
        + "validation binary_classification_accuracy <score>=");
    writeHyperparameters(base, "{\"num_round\": \"2\"}");
    assertThat(train(base, SageMakerEnv.ALGORITHM, "lenet")).isEqualTo(1);
    assertThat(failureFirstLine(base)).isEqualTo("unknown algorithm 'lenet'; available: xgboost, linear-learner");
  }

  @Test
  void checkpointConfigUnderOptMlFollowsTheRelocatedTree() throws IOException {
    Path base = sample();
    Files.writeString(base.resolve("input/config/checkpointconfig.json"),
        "{\"LocalPath\": \"/opt/ml/checkpoints\", \"S3Uri\": \"s3://bucket/ckpt\"}");
    assertThat(train(base)).isZero();
    try (var s = Files.list(base.resolve("checkpoints"))) {
      assertThat(s.map(p -> p.getFileName().toString())).isNotEmpty()
          .allMatch(n -> n.startsWith("xgboost-checkpoint."));
    }
  }

  @Test
  void checkpointLocalPathMustStayInsideTheTree() {
    Path root = Path.of("/tmp/ml-root");
    assertThat(TrainCommand.rebase(Path.of("/opt/ml/checkpoints/run1"), root))
        .isEqualTo(Path.of("/tmp/ml-root/checkpoints/run1"));
    for (String bad : List.of("/opt/ml/../../etc", "/etc/cron.d", "checkpoints", "/opt/ml")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> TrainCommand.rebase(Path.of(bad), root))
          .as(bad).isInstanceOf(dev.sagebox.engine.error.UserError.class).hasMessageContaining("LocalPath");
    }
  }
}
