package dev.sagebox.engine.xgboost.trees;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import ml.dmlc.xgboost4j.java.XGBoostJNI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java evaluator against XGBoost's own {@code inplace_predict}: every objective on the shared tabular sets, and
 * randomised models (deep trees, missing values, categorical features, dart, parallel trees, several targets).
 * Margins must agree to 1e-6, predictions to 1e-6.
 */
class TreeEnsembleTest {
  private static final Path TABULAR = Path.of("").toAbsolutePath().getParent().resolve("../shared/data/tabular")
      .normalize();

  /** Rows of a SageMaker-style CSV (label first). */
  record Data(float[] x, float[] y, int rows, int cols) {}

  static Data csv(String set, String split) throws IOException {
    List<String> lines = Files.readAllLines(TABULAR.resolve(set).resolve(split).resolve(set + ".csv"));
    int cols = lines.get(0).split(",").length - 1;
    float[] x = new float[lines.size() * cols];
    float[] y = new float[lines.size()];
    for (int r = 0; r < lines.size(); r++) {
      String[] f = lines.get(r).split(",");
      y[r] = Float.parseFloat(f[0]);
      for (int c = 0; c < cols; c++) {
        x[r * cols + c] = f[c + 1].isEmpty() ? Float.NaN : Float.parseFloat(f[c + 1]);
      }
    }
    return new Data(x, y, lines.size(), cols);
  }

  static Booster train(Data d, Map<String, Object> params, int rounds, String[] types) throws XGBoostError {
    DMatrix m = new DMatrix(d.x, d.rows, d.cols, Float.NaN);
    try {
      m.setLabel(d.y);
      if (types != null) {
        m.setFeatureTypes(types);
      }
      if ("survival:aft".equals(params.get("objective"))) {
        float[] upper = d.y.clone();
        for (int i = 0; i < upper.length; i += 3) {
          upper[i] = Float.POSITIVE_INFINITY;
        }
        XGBoostJNI.XGDMatrixSetFloatInfo(m.getHandle(), "label_lower_bound", d.y);
        XGBoostJNI.XGDMatrixSetFloatInfo(m.getHandle(), "label_upper_bound", upper);
      }
      if (String.valueOf(params.get("objective")).startsWith("rank:")) {
        int groups = d.rows / 10;
        int[] g = new int[groups];
        java.util.Arrays.fill(g, 10);
        g[groups - 1] += d.rows - groups * 10;
        m.setGroup(g);
      }
      Map<String, Object> p = new HashMap<>(params);
      p.putIfAbsent("nthread", 1);
      p.putIfAbsent("seed", 7);
      return XGBoost.train(m, p, rounds, Map.of(), null, null);
    } finally {
      m.dispose();
    }
  }

  static TreeEnsemble compile(Booster b) throws XGBoostError {
    TreeModelReader.Compiled c = TreeModelReader.compile(b.toByteArray("json"));
    assertThat(c).as("compiled: %s", c).isInstanceOf(TreeModelReader.Compiled.Ready.class);
    return ((TreeModelReader.Compiled.Ready) c).ensemble();
  }

  /** Largest absolute difference of margins and of predictions between the evaluator and inplace_predict. */
  static double[] compare(Booster b, Data d) throws XGBoostError {
    TreeEnsemble e = compile(b);
    float[] margins = e.margins(d.x, d.rows, d.cols);
    float[][] ours = e.predict(margins, d.rows);
    float[][] theirs = b.inplace_predict(d.x, d.rows, d.cols, Float.NaN);
    float[][] theirMargins = b.inplace_predict(d.x, d.rows, d.cols, Float.NaN, new int[] {0, 0}, Booster.PredictionType.kMargin,
        null);
    float[][] ourMargins = e.marginRows(margins, d.rows);
    assertThat(ours.length).isEqualTo(theirs.length);
    assertThat(ours[0].length).as("output width").isEqualTo(theirs[0].length);
    assertThat(ourMargins[0].length).as("margin width").isEqualTo(theirMargins[0].length);
    double dm = 0;
    double dp = 0;
    for (int r = 0; r < d.rows; r++) {
      for (int k = 0; k < theirs[r].length; k++) {
        dp = Math.max(dp, Math.abs(ours[r][k] - theirs[r][k]));
      }
      for (int k = 0; k < theirMargins[r].length; k++) {
        dm = Math.max(dm, Math.abs(ourMargins[r][k] - theirMargins[r][k]));
      }
    }
    return new double[] {dm, dp};
  }

  static void assertSame(Booster b, Data d, String what) throws XGBoostError {
    double[] diff = compare(b, d);
    assertThat(diff[0]).as("%s: max margin difference", what).isLessThanOrEqualTo(1e-6);
    assertThat(diff[1]).as("%s: max prediction difference", what).isLessThanOrEqualTo(1e-6);
  }

  @ParameterizedTest
  @ValueSource(strings = {"reg:squarederror", "reg:squaredlogerror", "reg:pseudohubererror", "reg:absoluteerror",
      "reg:quantileerror", "count:poisson", "reg:gamma", "reg:tweedie", "survival:cox", "survival:aft",
      "rank:pairwise", "rank:ndcg", "rank:map"})
  void regressionAndRankingObjectivesOnDiabetes(String objective) throws Exception {
    Data train = csv("diabetes", "train");
    Data valid = csv("diabetes", "validation");
    Map<String, Object> p = new HashMap<>(Map.of("objective", objective, "max_depth", 6, "eta", 0.1));
    if (objective.equals("rank:map") || objective.equals("rank:ndcg") || objective.equals("rank:pairwise")) {
      Data t = relevance(train);
      train = t;
    }
    if (objective.equals("reg:quantileerror")) {
      p.put("quantile_alpha", "0.5");
    }
    if (objective.equals("survival:cox")) {
      // Cox takes negative labels as censored; keep them positive here (times).
      p.put("eta", 0.05);
    }
    Booster b = train(train, p, 40, null);
    try {
      assertSame(b, valid, objective);
      assertSame(b, train, objective + " (training rows)");
    } finally {
      b.dispose();
    }
  }

  /** Diabetes targets cut into 0-4 relevance grades (rank:map needs 0/1). */
  private static Data relevance(Data d) {
    float[] y = new float[d.rows];
    for (int i = 0; i < d.rows; i++) {
      y[i] = d.y[i] > 150 ? 1 : 0;
    }
    return new Data(d.x, y, d.rows, d.cols);
  }

  @ParameterizedTest
  @ValueSource(strings = {"binary:logistic", "reg:logistic", "binary:logitraw", "binary:hinge"})
  void binaryObjectivesOnBreastCancer(String objective) throws Exception {
    Data train = csv("breast_cancer", "train");
    Booster b = train(train, Map.of("objective", objective, "max_depth", 5), 60, null);
    try {
      assertSame(b, csv("breast_cancer", "validation"), objective);
    } finally {
      b.dispose();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"multi:softprob", "multi:softmax"})
  void multiclassObjectivesOnDigitsAndIris(String objective) throws Exception {
    for (String set : List.of("digits", "iris", "wine")) {
      Data train = csv(set, "train");
      int classes = 0;
      for (float v : train.y) {
        classes = Math.max(classes, (int) v + 1);
      }
      Booster b = train(train, Map.of("objective", objective, "num_class", classes, "max_depth", 4), 25, null);
      try {
        assertSame(b, csv(set, "validation"), objective + " on " + set);
      } finally {
        b.dispose();
      }
    }
  }

  /** Random data with missing values and categorical columns, deep trees. */
  static Data random(Random r, int rows, int cols, int categorical, double missing) {
    float[] x = new float[rows * cols];
    float[] y = new float[rows];
    for (int i = 0; i < rows; i++) {
      double s = 0;
      for (int c = 0; c < cols; c++) {
        float v;
        if (c < categorical) {
          v = r.nextInt(c == 0 ? 40 : 6);
          s += (v % 3 == 0 ? 1 : -0.5);
        } else {
          v = (float) r.nextGaussian();
          s += v * (c % 2 == 0 ? 1 : -0.7);
        }
        x[i * cols + c] = r.nextDouble() < missing ? Float.NaN : v;
      }
      y[i] = (float) (s + r.nextGaussian() * 0.5);
    }
    return new Data(x, y, rows, cols);
  }

  @Test
  void randomisedDeepModelsWithMissingValuesAndCategories() throws Exception {
    Random r = new Random(42);
    for (int trial = 0; trial < 12; trial++) {
      int cols = 3 + r.nextInt(12);
      int cats = trial % 3 == 0 ? 0 : 1 + r.nextInt(Math.min(3, cols));
      Data d = random(r, 2000, cols, cats, trial % 2 == 0 ? 0.2 : 0.02);
      String[] types = null;
      if (cats > 0) {
        types = new String[cols];
        for (int c = 0; c < cols; c++) {
          types[c] = c < cats ? "c" : "q";
        }
      }
      Map<String, Object> p = new HashMap<>();
      p.put("max_depth", 4 + r.nextInt(9));
      p.put("eta", 0.3);
      p.put("tree_method", "hist");
      p.put("max_cat_to_onehot", trial % 4 == 1 ? 64 : 1);
      String what;
      switch (trial % 4) {
        case 0 -> {
          p.put("objective", "reg:squarederror");
          what = "regression";
        }
        case 1 -> {
          p.put("objective", "binary:logistic");
          for (int i = 0; i < d.rows; i++) {
            d.y[i] = d.y[i] > 0 ? 1 : 0;
          }
          what = "binary";
        }
        case 2 -> {
          p.put("objective", "multi:softprob");
          p.put("num_class", 4);
          for (int i = 0; i < d.rows; i++) {
            d.y[i] = Math.floorMod((int) Math.floor(d.y[i]), 4);
          }
          what = "multiclass";
        }
        default -> {
          p.put("objective", "reg:squarederror");
          p.put("num_parallel_tree", 3);
          p.put("subsample", 0.8);
          p.put("colsample_bynode", 0.8);
          what = "boosted random forest (parallel trees)";
        }
      }
      Booster b = train(d, p, 30, types);
      try {
        Data probe = random(new Random(trial), 500, cols, cats, 0.3);
        assertSame(b, probe, "trial " + trial + " (" + what + ", depth " + p.get("max_depth") + ", " + cats
            + " categorical of " + cols + ")");
      } finally {
        b.dispose();
      }
    }
  }

  @Test
  void sparseRowsGiveTheSameMarginsAsDenseRowsWithNaN() throws Exception {
    Data d = random(new Random(11), 800, 9, 2, 0.4);
    String[] types = {"c", "c", "q", "q", "q", "q", "q", "q", "q"};
    Booster b = train(d, Map.of("objective", "reg:squarederror", "max_depth", 8, "max_cat_to_onehot", 1), 20, types);
    try {
      TreeEnsemble e = compile(b);
      long[] offsets = new long[d.rows + 1];
      List<Integer> idx = new ArrayList<>();
      List<Float> val = new ArrayList<>();
      for (int r = 0; r < d.rows; r++) {
        for (int c = 0; c < d.cols; c++) {
          float v = d.x[r * d.cols + c];
          if (!Float.isNaN(v)) {
            idx.add(c);
            val.add(v);
          }
        }
        offsets[r + 1] = idx.size();
      }
      int[] indices = idx.stream().mapToInt(Integer::intValue).toArray();
      float[] values = new float[val.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = val.get(i);
      }
      assertThat(e.marginsSparse(offsets, indices, values, d.rows, d.cols))
          .containsExactly(e.margins(d.x, d.rows, d.cols));
    } finally {
      b.dispose();
    }
  }

  @Test
  void severalQuantilesAreSeveralOutputGroups() throws Exception {
    Data d = random(new Random(5), 1500, 6, 0, 0.1);
    Booster b = train(d, Map.of("objective", "reg:quantileerror", "quantile_alpha", "[0.1,0.5,0.9]",
        "max_depth", 5), 20, null);
    try {
      TreeEnsemble e = compile(b);
      assertThat(e.groups()).isEqualTo(3);
      assertSame(b, d, "three quantiles");
    } finally {
      b.dispose();
    }
  }

  @Test
  void iterationRangesSelectRounds() throws Exception {
    Data d = csv("iris", "train");
    Booster b = train(d, Map.of("objective", "multi:softprob", "num_class", 3, "max_depth", 3), 10, null);
    try {
      TreeEnsemble e = compile(b);
      assertThat(e.iterations()).isEqualTo(10);
      assertThat(e.trees()).isEqualTo(30);
      float[][] theirs = b.inplace_predict(d.x, d.rows, d.cols, Float.NaN, new int[] {2, 6},
          Booster.PredictionType.kMargin, null);
      float[] ours = e.margins(d.x, d.rows, d.cols, 2, 6);
      for (int r = 0; r < d.rows; r++) {
        for (int k = 0; k < 3; k++) {
          assertThat((double) ours[r * 3 + k]).isCloseTo(theirs[r][k], org.assertj.core.data.Offset.offset(1e-6));
        }
      }
    } finally {
      b.dispose();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gblinear", "dart"})
  void gblinearAndDartAreLeftToXGBoost(String booster) throws Exception {
    Data d = csv("diabetes", "train");
    Booster b = train(d, Map.of("booster", booster, "rate_drop", 0.2), 5, null);
    try {
      TreeModelReader.Compiled c = TreeModelReader.compile(b.toByteArray("json"));
      assertThat(c).isInstanceOf(TreeModelReader.Compiled.Unsupported.class);
      assertThat(((TreeModelReader.Compiled.Unsupported) c).reason()).contains(booster);
    } finally {
      b.dispose();
    }
    assertThat(TreeModelReader.compile("{not json".getBytes()))
        .isInstanceOf(TreeModelReader.Compiled.Unsupported.class);
    List<String> unknown = new ArrayList<>();
    unknown.add("{\"learner\":{\"objective\":{\"name\":\"my:custom\"}}}");
    assertThat(((TreeModelReader.Compiled.Unsupported) TreeModelReader.compile(unknown.get(0).getBytes())).reason())
        .contains("my:custom");
  }
}
