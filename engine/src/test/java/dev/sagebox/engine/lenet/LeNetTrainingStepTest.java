package dev.sagebox.engine.lenet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

/** The direct training step against SameDiff's own gradients and fit, from the same weights and batch. */
class LeNetTrainingStepTest {
  private static final int N = 24;

  private static float[] images() {
    return LeNetTrainer.scaled(LeNetGraphTest.sample("train").pixels(), N);
  }

  private static float[] oneHot() {
    int[] labels = LeNetGraphTest.sample("train").labels();
    float[] y = new float[N * Images.CLASSES];
    for (int i = 0; i < N; i++) {
      y[i * Images.CLASSES + labels[i]] = 1f;
    }
    return y;
  }

  private static LeNetNetwork network(Map<String, String> hp) {
    LeNetParams p = LeNetParams.parse(hp, m -> { });
    LeNetNetwork net = LeNetNetwork.initial(p);
    net.configureTraining(p);
    return net;
  }

  private static float[] values(INDArray a) {
    return a.dup('c').data().asFloat();
  }

  /** Largest |a - b| relative to the largest |b| (at least 1e-3, so that near-zero gradients compare absolutely). */
  private static double relativeDifference(float[] a, float[] b) {
    double scale = 1e-3;
    for (float v : b) {
      scale = Math.max(scale, Math.abs(v));
    }
    return LeNetGraphTest.maxDifference(a, b) / scale;
  }

  @Test
  void gradientsAndLossEqualSameDiffsOnTheGraph() {
    LeNetNetwork net = network(Map.of("seed", "3"));
    float[] x = images();
    float[] y = oneHot();
    INDArray fx = Nd4j.createFromArray(x).reshape(N, Images.SIZE);
    INDArray fy = Nd4j.createFromArray(y).reshape(N, Images.CLASSES);
    // Move off the initial weights first (biases non-zero, some ReLUs dead) so every path of the backward pass counts.
    for (int i = 0; i < 3; i++) {
      net.fitGraph(fx, fy);
    }
    SameDiff sd = net.graph();
    Map<String, INDArray> placeholders = Map.of(LeNetGraph.INPUT, fx, LeNetGraph.LABELS, fy);
    Map<String, INDArray> expected = sd.calculateGradients(placeholders, LeNetGraph.CONV1_W, LeNetGraph.CONV1_B,
        LeNetGraph.CONV2_W, LeNetGraph.CONV2_B, LeNetGraph.DENSE_W, LeNetGraph.DENSE_B, LeNetGraph.OUT_W,
        LeNetGraph.OUT_B);
    float[] logits = values(sd.output(placeholders, LeNetGraph.LOGITS).get(LeNetGraph.LOGITS));

    LeNetTrainingStep step = net.step();
    double loss = step.gradients(x, y, N);
    assertThat(loss).isCloseTo(LeNetNetwork.meanCrossEntropy(logits, y), org.assertj.core.data.Offset.offset(1e-5));
    Map<String, INDArray> actual = step.gradients();
    assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    for (String name : expected.keySet()) {
      assertThat(actual.get(name).shape()).as(name).isEqualTo(expected.get(name).shape());
      float[] want = values(expected.get(name));
      float[] got = values(actual.get(name));
      assertThat(relativeDifference(got, want)).as(name).isLessThan(1e-4);
      // The gradients are real: not all zero.
      assertThat(LeNetGraphTest.maxDifference(want, new float[want.length])).as(name).isGreaterThan(0f);
    }
  }

  @Test
  void stepsLeaveTheWeightsOptimiserStateAndCountsThatSameDiffsFitLeaves() {
    for (Map<String, String> hp : java.util.List.of(Map.of("seed", "4"),
        Map.of("seed", "4", "optimizer", "nesterov", "learning_rate", "0.01", "weight_decay", "0.01"))) {
      LeNetNetwork graph = network(hp);
      LeNetNetwork direct = network(hp);
      float[] x = images();
      float[] y = oneHot();
      INDArray fx = Nd4j.createFromArray(x).reshape(N, Images.SIZE);
      INDArray fy = Nd4j.createFromArray(y).reshape(N, Images.CLASSES);
      double lossGraph = 0;
      double lossDirect = 0;
      for (int i = 0; i < 4; i++) {
        lossGraph = graph.fitGraph(fx, fy);
        lossDirect = direct.fit(fx, fy);
      }
      String what = hp.toString();
      assertThat(lossDirect).as(what).isCloseTo(lossGraph, org.assertj.core.data.Offset.offset(1e-4));
      LeNetWeights a = graph.weights();
      LeNetWeights b = direct.weights();
      assertThat(LeNetGraphTest.maxDifference(b.conv1W(), a.conv1W())).as(what).isLessThan(2e-5f);
      assertThat(LeNetGraphTest.maxDifference(b.conv2W(), a.conv2W())).as(what).isLessThan(2e-5f);
      assertThat(LeNetGraphTest.maxDifference(b.denseW(), a.denseW())).as(what).isLessThan(2e-5f);
      assertThat(LeNetGraphTest.maxDifference(b.outB(), a.outB())).as(what).isLessThan(2e-5f);
      // Both moved the same way from the same start: the comparison is of trained weights.
      assertThat(LeNetGraphTest.maxDifference(b.outB(), new float[Images.CLASSES])).as(what).isGreaterThan(1e-4f);
      assertThat(direct.graph().getTrainingConfig().getIterationCount()).isEqualTo(4)
          .isEqualTo(graph.graph().getTrainingConfig().getIterationCount());
      assertThat(direct.graph().getTrainingConfig().getEpochCount())
          .isEqualTo(graph.graph().getTrainingConfig().getEpochCount());
      for (String v : new String[] {LeNetGraph.CONV2_W, LeNetGraph.OUT_B}) {
        Map<String, INDArray> sa = graph.graph().getUpdaterMap().get(v).getState();
        Map<String, INDArray> sb = direct.graph().getUpdaterMap().get(v).getState();
        for (String k : sa.keySet()) {
          float[] want = values(sa.get(k));
          assertThat(relativeDifference(values(sb.get(k)), want)).as(what + " " + v + " " + k).isLessThan(1e-3);
        }
      }
    }
  }

  @Test
  void theFusedAdamStepIsNd4jsAdam() {
    Random r = new Random(7);
    int n = 1000;
    float[] g = new float[n];
    float[] p = new float[n];
    for (int i = 0; i < n; i++) {
      g[i] = (float) r.nextGaussian() * 0.01f;
      p[i] = (float) r.nextGaussian();
    }
    Adam adam = new Adam(0.002);
    INDArray state = Nd4j.zeros(DataType.FLOAT, 1, 2L * n);
    GradientUpdater<?> nd4j = adam.instantiate(state, true);
    INDArray ours = Nd4j.zeros(DataType.FLOAT, 1, 2L * n);
    Map<String, INDArray> oursState = new HashMap<>();
    oursState.put("M", ours.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
        org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n)));
    oursState.put("V", ours.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
        org.nd4j.linalg.indexing.NDArrayIndex.interval(n, 2 * n)));
    INDArray pNd4j = Nd4j.createFromArray(p.clone());
    INDArray pOurs = Nd4j.createFromArray(p.clone());
    for (int it = 0; it < 5; it++) {
      INDArray grad = Nd4j.createFromArray(g).muli(it + 1);
      nd4j.applyUpdater(grad, it, 0);
      pNd4j.subi(grad);
      FloatBuffer gb = LeNetTrainingStep.floats(Nd4j.createFromArray(g).muli(it + 1));
      LeNetTrainingStep.adamStep(adam, 0.002, it, gb, LeNetTrainingStep.floats(oursState.get("M")),
          LeNetTrainingStep.floats(oursState.get("V")), LeNetTrainingStep.floats(pOurs), n);
    }
    assertThat(LeNetGraphTest.maxDifference(values(pOurs), values(pNd4j))).isLessThan(1e-6f);
    assertThat(LeNetGraphTest.maxDifference(values(pOurs), p)).isGreaterThan(1e-3f);
    assertThat(relativeDifference(values(ours), values(state))).isLessThan(1e-5);
  }
}
