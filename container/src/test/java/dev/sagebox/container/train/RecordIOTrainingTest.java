package dev.sagebox.container.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagebox.container.SampleTrees;
import dev.sagebox.engine.data.recordio.RecordIOWriter;
import dev.sagebox.engine.data.recordio.proto.RecordProtos;
import dev.sagebox.engine.linear.LinearLearnerAlgorithm;
import dev.sagebox.engine.model.AlgorithmRegistry;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.xgboost.XGBoostAlgorithm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RecordIO-protobuf training channels (the SDK's record_set() format) for XGBoost and the linear learner. */
class RecordIOTrainingTest {
  @TempDir
  Path tmp;

  private static int train(Path base) {
    AlgorithmRegistry registry = new AlgorithmRegistry(List.of(new XGBoostAlgorithm("test", w -> { }),
        new LinearLearnerAlgorithm("test")));
    return new TrainCommand(SampleTrees.settings(base), registry, new PrintStream(OutputStream.nullOutputStream()),
        () -> false).run();
  }

  /** Rewrites every channel's CSV as dense Float32 records with a scalar label, as the SDK's serializer does. */
  static void toRecordIO(Path base, String contentType, boolean declare) throws IOException {
    for (String channel : List.of("train", "validation")) {
      Path dir = base.resolve("input/data").resolve(channel);
      Path csv = dir.resolve("breast_cancer.csv");
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      RecordIOWriter writer = new RecordIOWriter(bytes);
      for (String line : Files.readAllLines(csv)) {
        String[] f = line.split(",");
        RecordProtos.Float32Tensor.Builder values = RecordProtos.Float32Tensor.newBuilder();
        for (int i = 1; i < f.length; i++) {
          values.addValues(Float.parseFloat(f[i]));
        }
        RecordProtos.Record r = RecordProtos.Record.newBuilder()
            .putFeatures("values", RecordProtos.Value.newBuilder().setFloat32Tensor(values).build())
            .putLabel("values", RecordProtos.Value.newBuilder().setFloat32Tensor(
                RecordProtos.Float32Tensor.newBuilder().addValues(Float.parseFloat(f[0]))).build())
            .build();
        writer.write(r.toByteArray());
      }
      Files.delete(csv);
      Files.write(dir.resolve("part-0.pbr"), bytes.toByteArray());
    }
    String type = declare ? "\"ContentType\": \"" + contentType + "\", " : "";
    Files.writeString(base.resolve("input/config/inputdataconfig.json"), "{\"train\": {" + type
        + "\"TrainingInputMode\": \"File\"}, \"validation\": {" + type + "\"TrainingInputMode\": \"File\"}}");
  }

  @Test
  void xgboostTrainsTheSameModelFromRecordIOAsFromCsv() throws Exception {
    Path csv = SampleTrees.copy("xgboost", tmp.resolve("csv"));
    assertThat(train(csv)).isZero();
    Path rec = SampleTrees.copy("xgboost", tmp.resolve("rec"));
    toRecordIO(rec, "application/x-recordio-protobuf", true);
    assertThat(train(rec)).as(failure(rec)).isZero();
    assertThat(Files.mismatch(csv.resolve("model/xgboost-model"), rec.resolve("model/xgboost-model"))).isEqualTo(-1);
  }

  @Test
  void recordIOIsDetectedWithoutAContentTypeAndTheShortNameIsAccepted() throws Exception {
    Path rec = SampleTrees.copy("xgboost", tmp.resolve("sniffed"));
    toRecordIO(rec, "recordio-protobuf", false);
    assertThat(train(rec)).as(failure(rec)).isZero();
    Path named = SampleTrees.copy("xgboost", tmp.resolve("named"));
    toRecordIO(named, "recordio-protobuf", true);
    assertThat(train(named)).as(failure(named)).isZero();
    assertThat(ModelManifest.readIfPresent(named.resolve("model")).featureCount()).isEqualTo(30);
  }

  @Test
  void linearLearnerTrainsFromRecordIO() throws Exception {
    Path rec = SampleTrees.copy("linear-learner", tmp.resolve("ll"));
    toRecordIO(rec, "application/x-recordio-protobuf", true);
    assertThat(train(rec)).as(failure(rec)).isZero();
    ModelManifest m = ModelManifest.readIfPresent(rec.resolve("model"));
    assertThat(m.algorithm()).isEqualTo("linear-learner");
    assertThat(m.featureCount()).isEqualTo(30);
  }

  private static String failure(Path base) {
    try {
      Path f = base.resolve("output/failure");
      return Files.exists(f) ? Files.readString(f) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }
}
