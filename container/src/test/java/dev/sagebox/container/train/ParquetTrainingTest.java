package dev.sagebox.container.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagebox.container.SampleTrees;
import dev.sagebox.engine.model.AlgorithmRegistry;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.xgboost.XGBoostAlgorithm;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** application/x-parquet training channels (written by DuckDB, see engine/src/test/resources/parquet). */
class ParquetTrainingTest {
  @TempDir
  Path tmp;

  private static final Path FIXTURES = SampleTrees.repoRoot().resolve("engine/src/test/resources/parquet");

  private static int train(Path base) {
    return new TrainCommand(SampleTrees.settings(base), new AlgorithmRegistry(List.of(new XGBoostAlgorithm("t",
        w -> { }))), new PrintStream(OutputStream.nullOutputStream()), () -> false).run();
  }

  private Path tree(String name, String contentType) throws IOException {
    Path base = SampleTrees.copy("xgboost", tmp.resolve(name));
    for (String channel : List.of("train", "validation")) {
      Path dir = base.resolve("input/data").resolve(channel);
      for (Path f : Files.list(dir).toList()) {
        Files.delete(f);
      }
    }
    Files.delete(base.resolve("input/data/validation"));
    String type = contentType == null ? "" : "\"ContentType\": \"" + contentType + "\", ";
    Files.writeString(base.resolve("input/config/inputdataconfig.json"), "{\"train\": {" + type
        + "\"TrainingInputMode\": \"File\"}}");
    Files.writeString(base.resolve("input/config/hyperparameters.json"), "{\"num_round\": \"5\", \"objective\": "
        + "\"binary:logistic\", \"max_depth\": \"2\"}");
    return base;
  }

  @Test
  void parquetTrainsTheSameModelAsTheSameRowsInCsv() throws Exception {
    Path csv = tree("csv", "text/csv");
    Files.copy(FIXTURES.resolve("breast_cancer_20.csv"), csv.resolve("input/data/train/part.csv"));
    assertThat(train(csv)).isZero();

    Path pq = tree("parquet", "application/x-parquet");
    Path train = pq.resolve("input/data/train");
    Files.copy(FIXTURES.resolve("breast_cancer_20.snappy.parquet"), train.resolve("part-00000.snappy.parquet"));
    Files.writeString(train.resolve("_SUCCESS"), "");
    assertThat(train(pq)).isZero();
    assertThat(ModelManifest.readIfPresent(pq.resolve("model")).featureCount()).isEqualTo(30);
    assertThat(Files.mismatch(csv.resolve("model/xgboost-model"), pq.resolve("model/xgboost-model"))).isEqualTo(-1);
  }

  @Test
  void severalFilesInNestedFoldersAndNoContentTypeWork() throws Exception {
    Path pq = tree("nested", null);
    Path train = pq.resolve("input/data/train");
    Files.createDirectories(train.resolve("day=1"));
    Files.createDirectories(train.resolve("day=2"));
    Files.copy(FIXTURES.resolve("breast_cancer_20.zstd.parquet"), train.resolve("day=1/a.parquet"));
    Files.copy(FIXTURES.resolve("breast_cancer_20.gzip.parquet"), train.resolve("day=2/b.parquet"));
    assertThat(train(pq)).isZero();
    assertThat(ModelManifest.readIfPresent(pq.resolve("model")).featureCount()).isEqualTo(30);
  }

  @Test
  void aStringColumnIsAClearUserError() throws Exception {
    Path pq = tree("bad", "parquet");
    Files.copy(FIXTURES.resolve("string_feature.parquet"), pq.resolve("input/data/train/x.parquet"));
    assertThat(train(pq)).isEqualTo(1);
    assertThat(Files.readAllLines(pq.resolve("output/failure")).get(0)).contains("x.parquet").contains("column");
  }
}
