package dev.sagebox.engine.xgboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sagebox.engine.data.ChannelLoader;
import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.LabeledData;
import dev.sagebox.engine.data.TextFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The per-round metrics computed in Java ({@link RoundMetrics}) against XGBoost's own {@code evalSet} on the same
 * booster, round by round: the full-precision values (parsed from XGBoost's 17-decimal text) within 1e-12, and the
 * rendered lines identical. On the shared tabular sets, on data with many tied predictions and weights, on more rows
 * than the sort splits across threads, and on a set with one class only (no AUC).
 */
class RoundMetricsTest {
  private static final ForkJoinPool POOL = new ForkJoinPool(2);

  @AfterAll
  static void shutdown() {
    POOL.shutdown();
  }

  /** One matrix with its labels and weights (null: none). */
  private record Set(String name, float[] x, int cols, float[] y, float[] w) {
    int rows() {
      return y.length;
    }
  }

  private static XGBoostParams params(Map<String, String> hp) {
    return XGBoostParams.parse(hp, w -> { });
  }

  /** Trains {@code rounds} rounds and compares Java's metrics with XGBoost's after each; returns the rounds' lines. */
  private static List<String> compare(Map<String, String> hp, int rounds, Set train, Set... others) throws Exception {
    return compare(hp, rounds, POOL, i -> { }, train, others);
  }

  /** As above, with the metrics' {@code pool}; {@code afterRound} runs after each round's comparison. */
  private static List<String> compare(Map<String, String> hp, int rounds, ForkJoinPool pool,
      java.util.function.IntConsumer afterRound, Set train, Set... others) throws Exception {
    XGBoostParams params = params(hp);
    List<Set> all = new ArrayList<>(List.of(train));
    all.addAll(List.of(others));
    List<DMatrix> mats = new ArrayList<>();
    Booster booster = null;
    try {
      for (Set s : all) {
        DMatrix m = new DMatrix(s.x(), s.rows(), s.cols(), Float.NaN);
        m.setLabel(s.y());
        if (s.w() != null) {
          m.setWeight(s.w());
        }
        mats.add(m);
      }
      Map<String, Object> p = new HashMap<>(params.boosterParams());
      p.put("nthread", 2);
      Map<String, DMatrix> watches = new LinkedHashMap<>();
      List<RoundMetrics.Data> data = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        watches.put(all.get(i).name(), mats.get(i));
        data.add(new RoundMetrics.Data(all.get(i).name(), mats.get(i), mats.get(i).getLabel(),
            mats.get(i).getWeight()));
      }
      booster = XGBoost.train(mats.get(0), p, 0, watches, null, null, null, 0, null);
      for (String metric : EvalMetrics.xgboostMetrics(params.evalMetrics())) {
        booster.setParam("eval_metric", metric);
      }
      RoundMetrics java = RoundMetrics.of(params, 2, pool, data);
      assertThat(java).as("computed in Java").isNotNull();
      DMatrix[] matArray = mats.toArray(DMatrix[]::new);
      String[] names = all.stream().map(Set::name).toArray(String[]::new);
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < rounds; i++) {
        booster.update(mats.get(0), i);
        String text = booster.evalSet(matArray, names, i);
        Map<String, Double> exact = java.exact(booster);
        Map<String, Double> xgb = fullPrecision(text);
        assertThat(exact.keySet()).as("round %d: %s", i, text).containsExactlyElementsOf(xgb.keySet());
        for (Map.Entry<String, Double> e : xgb.entrySet()) {
          if (e.getValue().isNaN()) {
            assertThat(exact.get(e.getKey())).as("round %d %s", i, e.getKey()).isNaN();
          } else {
            assertThat(exact.get(e.getKey())).as("round %d %s", i, e.getKey()).isCloseTo(e.getValue(),
                within(1e-12));
          }
        }
        String line = java.evaluate(booster, i).render();
        assertThat(line).isEqualTo(RoundLog.parse(i, text).render());
        lines.add(line);
        afterRound.accept(i);
      }
      boolean logistic = List.of("binary:logistic", "reg:logistic").contains(params.objective());
      if (logistic && dev.sagebox.engine.xgboost.capi.CApiAccess.open(why -> { }).isPresent()) {
        // Kept only if it gave XGBoost's own values, bit for bit, for every set in the first round.
        assertThat(java.transformsHere()).as("logistic transform computed in Java").isTrue();
      }
      return lines;
    } finally {
      if (booster != null) {
        booster.dispose();
      }
      mats.forEach(DMatrix::dispose);
    }
  }

  /** XGBoost's {@code [i]\tset-metric:value...} text with the values read as doubles (not float, as RoundLog does). */
  private static Map<String, Double> fullPrecision(String text) {
    Map<String, Double> out = new LinkedHashMap<>();
    String[] tokens = text.strip().split("\t");
    for (int i = 1; i < tokens.length; i++) {
      int colon = tokens[i].lastIndexOf(':');
      String v = tokens[i].substring(colon + 1);
      out.put(tokens[i].substring(0, colon), v.equalsIgnoreCase("nan") || v.equalsIgnoreCase("-nan") ? Double.NaN
          : Double.parseDouble(v));
    }
    return out;
  }

  private static Set tabular(String name, String set) {
    Path data = SageMakerMetricsTest.tabular().resolve(name);
    assumeTrue(Files.isDirectory(data), "no ../shared/data beside the checkout");
    LabeledData d = new ChannelLoader(2).load(set, List.of(data.resolve(set + "/" + name + ".csv")),
        TextFormat.CSV, false);
    DenseBatch b = (DenseBatch) d.features();
    return new Set(set, b.values(), b.columns(), d.labels(), null);
  }

  /** Rows whose features take {@code levels} values each: few distinct predictions, so many ties. */
  private static Set coarse(String name, int rows, int levels, boolean weighted, long seed, boolean oneClass) {
    Random r = new Random(seed);
    int cols = 3;
    float[] x = new float[rows * cols];
    float[] y = new float[rows];
    float[] w = weighted ? new float[rows] : null;
    for (int i = 0; i < rows; i++) {
      double s = 0;
      for (int j = 0; j < cols; j++) {
        int v = r.nextInt(levels);
        x[i * cols + j] = v;
        s += v * (j + 1);
      }
      y[i] = oneClass ? 0f : (r.nextDouble() < 1 / (1 + Math.exp(-(s - 2 * levels) / levels)) ? 1f : 0f);
      if (w != null) {
        w[i] = 0.25f + r.nextInt(8) * 0.37f;
      }
    }
    return new Set(name, x, cols, y, w);
  }

  @Test
  void breastCancerEveryBinaryMetricMatchesXGBoost() throws Exception {
    List<String> lines = compare(Map.of("objective", "binary:logistic", "num_round", "30", "max_depth", "3",
        "eval_metric", "auc,error,rmse,mae"), 30, tabular("breast_cancer", "train"),
        tabular("breast_cancer", "validation"));
    assertThat(lines.get(29)).startsWith("[29]\ttrain-auc:").contains("\tvalidation-mae:");
  }

  @Test
  void roundsBeforeTheCApiIsOpenedPredictThroughXGBoost4jWithTheSameLines() throws Exception {
    // The pool's one thread is busy for the first three rounds, so the C API and the transform's match with the C
    // library (opened there) are not ready: those rounds predict through xgboost4j, without waiting; the later
    // ones through the C API, the transform computed in Java. Every line equals XGBoost's.
    ForkJoinPool busy = new ForkJoinPool(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    try {
      busy.submit(() -> {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      List<String> lines = compare(Map.of("objective", "binary:logistic", "num_round", "8", "max_depth", "3",
          "eval_metric", "auc,error"), 8, busy, i -> {
            if (i == 2) {
              release.countDown();
            }
          }, coarse("train", 3_000, 6, false, 12, false), coarse("validation", 1_000, 6, false, 13, false));
      assertThat(lines).hasSize(8);
    } finally {
      release.countDown();
      busy.shutdown();
    }
  }

  @Test
  void diabetesRegressionMetricsAndTheDefaultMetricMatchXGBoost() throws Exception {
    compare(Map.of("objective", "reg:squarederror", "num_round", "20", "eval_metric", "rmse,mae"), 20,
        tabular("diabetes", "train"), tabular("diabetes", "validation"));
    List<String> lines = compare(Map.of("objective", "reg:squarederror", "num_round", "5"), 5,
        tabular("diabetes", "train"), tabular("diabetes", "validation"));
    assertThat(lines.get(0)).contains("train-rmse:").contains("validation-rmse:");
  }

  @Test
  void tiesAndWeightsOnMoreRowsThanOneThreadSortsMatchXGBoost() throws Exception {
    // 80,000 rows: above the size at which the sort is split across threads; 4 levels x 3 features: few
    // distinct predictions, so nearly every row is tied with thousands of others.
    List<String> lines = compare(Map.of("objective", "binary:logistic", "num_round", "8", "max_depth", "3",
        "eval_metric", "auc,error"), 8, coarse("train", 80_000, 4, true, 1, false),
        coarse("validation", 70_000, 4, false, 2, false), coarse("weighted", 3_000, 3, true, 3, false));
    assertThat(lines).hasSize(8);
  }

  @Test
  void rawLogitsWithNegativeScoresAndASetWithOneClassMatchXGBoost() throws Exception {
    // binary:logitraw: AUC on untransformed scores, negative ones included; a set whose labels are all 0 has no
    // AUC (XGBoost prints nan).
    List<String> lines = compare(Map.of("objective", "binary:logitraw", "num_round", "4", "eval_metric", "auc,mae"),
        4,
        coarse("train", 5_000, 5, false, 4, false), coarse("negatives", 2_000, 5, true, 5, true));
    assertThat(lines.get(3)).contains("negatives-auc:NaN");
  }

  @Test
  void metricsJavaDoesNotComputeExactlyStayWithXGBoost() {
    assertThat(RoundMetrics.names(params(Map.of("objective", "reg:squarederror", "num_round", "1"))))
        .containsExactly("rmse");
    assertThat(RoundMetrics.names(params(Map.of("objective", "binary:logistic", "num_round", "1")))).isNull();
    assertThat(RoundMetrics.names(params(Map.of("objective", "binary:logistic", "num_round", "1",
        "eval_metric", "auc,logloss")))).isNull();
    assertThat(RoundMetrics.names(params(Map.of("objective", "binary:logistic", "num_round", "1",
        "eval_metric", "auc,accuracy")))).containsExactly("auc");
    assertThat(RoundMetrics.names(params(Map.of("objective", "binary:logistic", "num_round", "1",
        "eval_metric", "aucpr")))).isNull();
    assertThat(RoundMetrics.names(params(Map.of("objective", "binary:logistic", "num_round", "1",
        "eval_metric", "error@0.7")))).isNull();
    assertThat(RoundMetrics.names(params(Map.of("objective", "multi:softprob", "num_class", "3",
        "num_round", "1")))).isNull();
    assertThat(RoundMetrics.names(params(Map.of("objective", "count:poisson", "num_round", "1",
        "eval_metric", "rmse")))).isNull();
  }

  @Test
  void acrossSeveralHostsXGBoostKeepsItsMetrics() throws Exception {
    // XGBoost sums each metric's parts over the hosts; a Java value would be this host's alone.
    XGBoostParams params = params(Map.of("objective", "binary:logistic", "num_round", "1", "eval_metric", "auc"));
    Set s = coarse("train", 500, 4, false, 11, false);
    DMatrix m = new DMatrix(s.x(), s.rows(), s.cols(), Float.NaN);
    m.setLabel(s.y());
    try {
      List<BoostRounds.EvalSet> sets = List.of(new BoostRounds.EvalSet("train", m, null));
      assertThat(new BoostRounds(params, null, null, POOL, 2, true, () -> false).roundMetrics(sets)).isNotNull();
      assertThat(new BoostRounds(params, null, null, POOL, 2, false, () -> false).roundMetrics(sets)).isNull();
    } finally {
      m.dispose();
    }
  }

  @Test
  void aucEqualsTheWeightedPairCountWithHalvesForTies() {
    // Independent of XGBoost: sum over (positive, negative) pairs of w+ w- (1 if the positive scores higher,
    // 1/2 if tied) over (sum w+)(sum w-), on 100,000 rows (the parallel sort) with 50 distinct scores.
    Random r = new Random(7);
    int n = 100_000;
    int levels = 50;
    float[] scores = new float[n];
    float[] labels = new float[n];
    float[] weights = new float[n];
    double[] pos = new double[levels];
    double[] neg = new double[levels];
    for (int i = 0; i < n; i++) {
      int level = r.nextInt(levels);
      scores[i] = (level - 20) * 0.37f; // negative, zero and positive scores
      labels[i] = r.nextInt(levels) < level ? 1f : 0f;
      weights[i] = 1 + r.nextInt(4);
      (labels[i] == 1f ? pos : neg)[level] += weights[i];
    }
    double pairs = 0;
    double negBelow = 0;
    double totalPos = 0;
    double totalNeg = 0;
    for (int l = 0; l < levels; l++) {
      pairs += pos[l] * (negBelow + 0.5 * neg[l]);
      negBelow += neg[l];
      totalPos += pos[l];
      totalNeg += neg[l];
    }
    double expected = pairs / (totalPos * totalNeg);
    BinaryRocAuc auc = new BinaryRocAuc(labels, weights, POOL);
    assertThat(auc.of(scores)).isCloseTo(expected, within(1e-12));
    // Reused buffers: the same answer again, and for the scores negated, 1 - AUC.
    assertThat(auc.of(scores)).isCloseTo(expected, within(1e-12));
    float[] negated = scores.clone();
    for (int i = 0; i < n; i++) {
      negated[i] = -negated[i];
    }
    assertThat(auc.of(negated)).isCloseTo(1 - expected, within(1e-12));
  }

  @Test
  void predictionsThroughTheCApiFillTheGivenArrayWithXGBoost4jsValues() throws Exception {
    java.util.Optional<dev.sagebox.engine.xgboost.capi.XGBoostCApi> api =
        dev.sagebox.engine.xgboost.capi.CApiAccess.open(why -> { });
    assumeTrue(api.isPresent(), "the JVM runs without the foreign linker flags");
    Set s = coarse("train", 2_000, 7, false, 9, false);
    DMatrix m = new DMatrix(s.x(), s.rows(), s.cols(), Float.NaN);
    m.setLabel(s.y());
    Booster b = XGBoost.train(m, Map.of("objective", "binary:logistic", "nthread", 2), 3, Map.of(), null, null);
    try {
      float[] into = new float[s.rows()];
      float[] got = FlatPredictions.values(b, m, api.get(), into);
      assertThat(got).isSameAs(into).containsExactly(FlatPredictions.values(b, m));
      assertThat(FlatPredictions.values(b, m, api.get(), new float[1])).hasSize(s.rows()).containsExactly(into);
    } finally {
      b.dispose();
      m.dispose();
    }
  }

  @Test
  void minusZeroAndPlusZeroAreOneScore() {
    assertThat(BinaryRocAuc.descendingKey(-0.0f)).isEqualTo(BinaryRocAuc.descendingKey(0.0f));
    assertThat(Integer.compareUnsigned(BinaryRocAuc.descendingKey(1f), BinaryRocAuc.descendingKey(0.5f)))
        .isNegative();
    assertThat(Integer.compareUnsigned(BinaryRocAuc.descendingKey(-0.5f), BinaryRocAuc.descendingKey(-1f)))
        .isNegative();
    assertThat(Integer.compareUnsigned(BinaryRocAuc.descendingKey(0f), BinaryRocAuc.descendingKey(-1e-30f)))
        .isNegative();
    BinaryRocAuc auc = new BinaryRocAuc(new float[] {1, 0}, null, null);
    assertThat(auc.of(new float[] {-0.0f, 0.0f})).isEqualTo(0.5);
  }
}
