package dev.sagebox.engine.xgboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagebox.engine.data.ChannelLoader;
import dev.sagebox.engine.data.LabeledData;
import dev.sagebox.engine.data.TextFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SageMaker's metrics computed by {@link CustomMetrics} on golden models, next to scikit-learn's values on the same
 * models and rows (golden/xgboost/metrics: models and reference.json from make_reference.py, Debian's XGBoost 1.7.4
 * and scikit-learn 1.2.1, the built-in container's definitions).
 */
class SageMakerMetricsTest {
  private static final String GOLDEN = "/golden/xgboost/metrics/";
  private static ForkJoinPool pool;
  private static JsonNode reference;

  @BeforeAll
  static void setUp() throws IOException {
    pool = new ForkJoinPool(2);
    try (InputStream in = SageMakerMetricsTest.class.getResourceAsStream(GOLDEN + "reference.json")) {
      reference = new ObjectMapper().readTree(in);
    }
  }

  @AfterAll
  static void tearDown() {
    pool.shutdown();
  }

  static Path tabular() {
    return Path.of("").toAbsolutePath().getParent().resolveSibling("shared").resolve("data/tabular");
  }

  @ParameterizedTest
  @ValueSource(strings = {"breast_cancer_logistic", "breast_cancer_hinge", "iris_softmax", "digits_softprob",
      "diabetes_squarederror", "diabetes_poisson"})
  void matchesScikitLearnOnTheSameModel(String name) throws IOException, XGBoostError {
    JsonNode c = reference.get(name);
    String dataset = c.get("dataset").asText();
    Path data = tabular().resolve(dataset);
    assumeTrue(Files.isDirectory(data), "no ../shared/data beside the checkout");
    List<String> metrics = new ArrayList<>();
    for (Iterator<String> it = c.get("metrics").get("train").fieldNames(); it.hasNext(); ) {
      String m = it.next();
      if (!m.startsWith("_")) {
        metrics.add(m);
      }
    }
    Map<String, String> hp = new HashMap<>(Map.of("num_round", "1", "objective", c.get("objective").asText(),
        "eval_metric", String.join(",", metrics)));
    if (!c.get("num_class").isNull()) {
      hp.put("num_class", c.get("num_class").asText());
    }
    XGBoostParams params = XGBoostParams.parse(hp, w -> { });
    CustomMetrics custom = CustomMetrics.of(params, pool);
    Booster booster;
    try (InputStream in = getClass().getResourceAsStream(GOLDEN + c.get("model").asText())) {
      booster = XGBoost.loadModel(in.readAllBytes());
    }
    try {
      for (String set : List.of("train", "validation")) {
        LabeledData rows = new ChannelLoader(2).load(set, List.of(data.resolve(set + "/" + dataset + ".csv")),
            TextFormat.CSV, false);
        DMatrix m = DMatrices.of(rows, rows.features().columns());
        try {
          double[] values = custom.evaluate(booster, m, custom.prepare(set, rows.labels()));
          JsonNode expected = c.get("metrics").get(set);
          for (int j = 0; j < metrics.size(); j++) {
            double want = expected.get(metrics.get(j)).asDouble();
            assertThat(values[j]).as(name + " " + set + " " + metrics.get(j))
                .isCloseTo(want, within(1e-9 * Math.max(1, Math.abs(want))));
          }
        } finally {
          m.dispose();
        }
      }
    } finally {
      booster.dispose();
    }
  }
}
