package dev.sagebox.engine.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.sagebox.engine.onnx.OnnxGraph.Attribute;
import dev.sagebox.engine.onnx.OnnxGraph.Dim;
import dev.sagebox.engine.onnx.proto.OnnxProtos.ModelProto;
import dev.sagebox.engine.onnx.proto.OnnxProtos.TensorProto.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxGraphTest {
  @TempDir
  Path tmp;

  /** y = alpha * x W' + b (Gemm, transB=1), then Transpose to [3, N], and z = x + 1 cast to int64. */
  private static OnnxGraph sample(float[] w, float[] b) {
    OnnxGraph g = new OnnxGraph("sample");
    g.input("x", DataType.FLOAT, OnnxGraph.BATCH, Dim.of(2));
    String wt = g.floats("w", w, 3, 2);
    String bias = g.floats("b", b, 3);
    String y = g.node("Gemm", List.of("x", wt, bias), "y", new Attribute.Int("transB", 1),
        new Attribute.Real("alpha", 0.5f));
    g.node("Transpose", List.of(y), "yt", new Attribute.Ints("perm", 1, 0));
    String one = g.floats("one", new float[] {1f});
    String plus = g.node("Add", List.of("x", one), "plus");
    g.node("Cast", List.of(plus), "z", new Attribute.Int("to", DataType.INT64.getNumber()));
    g.output("yt", DataType.FLOAT, Dim.of(3), OnnxGraph.BATCH);
    g.output("z", DataType.INT64, OnnxGraph.BATCH, Dim.of(2));
    return g;
  }

  @Test
  void onnxRuntimeRunsTheWrittenGraphWithAnyBatchSizeAndReadsItsMetadata() throws Exception {
    Random rnd = new Random(7);
    float[] w = new float[6];
    float[] b = new float[3];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) rnd.nextGaussian();
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = (float) rnd.nextGaussian();
    }
    Path file = tmp.resolve(OnnxModelWriter.FILE_NAME);
    OnnxModelWriter.write(sample(w, b), "a test graph", file);

    ModelProto model = ModelProto.parseFrom(Files.readAllBytes(file));
    assertThat(model.getIrVersion()).isEqualTo(8);
    assertThat(model.getOpsetImport(0).getVersion()).isEqualTo(17);
    assertThat(model.getProducerName()).isEqualTo("sagebox");

    try (OrtSession s = OnnxSessions.open(file, 1, m -> { })) {
      assertThat(s.getMetadata().getProducerName()).isEqualTo("sagebox");
      assertThat(s.getMetadata().getDescription()).isEqualTo("a test graph");
      NodeInfo in = s.getInputInfo().get("x");
      assertThat(((TensorInfo) in.getInfo()).getShape()).containsExactly(-1, 2);
      for (int n : new int[] {1, 4}) {
        float[] x = new float[n * 2];
        for (int i = 0; i < x.length; i++) {
          x[i] = (float) rnd.nextGaussian() * 3;
        }
        try (OnnxTensor t = OnnxTensors.floats(x, n, 2);
            OrtSession.Result r = OnnxTensors.run(s, Map.of("x", t), Set.of("yt", "z"))) {
          float[] yt = OnnxTensors.floats(r, "yt");
          long[] z = OnnxTensors.longs(r, "z");
          assertThat(yt).hasSize(3 * n);
          for (int row = 0; row < n; row++) {
            for (int o = 0; o < 3; o++) {
              double expected = 0.5 * (x[row * 2] * w[o * 2] + x[row * 2 + 1] * w[o * 2 + 1]) + b[o];
              assertThat((double) yt[o * n + row]).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5));
            }
            for (int c = 0; c < 2; c++) {
              assertThat(z[row * 2 + c]).isEqualTo((long) (x[row * 2 + c] + 1f));
            }
          }
        }
      }
    }
  }

  @Test
  void theBuilderRefusesGraphsThatAreNotWellFormed() {
    OnnxGraph g = new OnnxGraph("bad");
    g.input("x", DataType.FLOAT, OnnxGraph.BATCH);
    assertThatThrownBy(() -> g.node("Relu", List.of("y"), "r")).hasMessageContaining("'y'");
    assertThatThrownBy(() -> g.floats("x", new float[] {1})).hasMessageContaining("defined twice");
    assertThatThrownBy(() -> g.floats("w", new float[] {1, 2, 3}, 2, 2)).hasMessageContaining("3 values");
    assertThatThrownBy(() -> g.output("nothing", DataType.FLOAT)).hasMessageContaining("not defined");
    assertThatThrownBy(g::proto).hasMessageContaining("no outputs");
    g.node("Relu", List.of("x"), "r");
    g.output("r", DataType.FLOAT, OnnxGraph.BATCH);
    assertThatThrownBy(() -> g.output("r", DataType.FLOAT)).hasMessageContaining("twice");
    assertThat(g.proto().getNode(0).getName()).isEqualTo("Relu_0");
  }
}
