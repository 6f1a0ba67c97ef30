package dev.sagebox.engine.xgboost;

import dev.sagebox.engine.xgboost.capi.CApiAccess;
import dev.sagebox.engine.xgboost.capi.XGBoostCApi;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * XGBoost's own per-round metrics computed in Java instead of by XGBoost's {@code evalSet}, with the same values.
 * For {@code auc} XGBoost sorts each set's predictions every round; on a million rows that was about half the time
 * of the whole training. Here each set's predictions come from XGBoost's prediction cache (the
 * current trees' sum is kept per matrix, so a round adds one tree's work, as {@code evalSet} does), transformed by
 * the objective as for evaluation, and the metrics run on all the pool's threads without boxing: {@link BinaryRocAuc}
 * (a parallel radix sort) and {@link ElementwiseMetric}. The values then go through XGBoost's printing and
 * Sagebox's reading of it ({@link RoundLog#asParsed}), so lines and early stopping see what they saw before. For
 * the logistic objectives the cache's margins are fetched and transformed here ({@link LogisticTransform}, the same
 * bits; checked against XGBoost's own values in the first round), which saves XGBoost's slower transform.
 *
 * <p>Only where that is known to be exact: objectives whose prediction transform is also their evaluation transform
 * ({@link #OBJECTIVES}), XGBoost metrics among {@code auc}, {@code error}, {@code rmse} and {@code mae} (no
 * {@code @} parameter; not {@code logloss}, see {@link ElementwiseMetric}), and labels without ranking groups.
 * Everything else stays with XGBoost ({@link #names} answers null).
 */
final class RoundMetrics {
  /** Objectives for which XGBoost's predicted values are the values its metrics see. */
  static final Set<String> OBJECTIVES = Set.of("binary:logistic", "binary:logitraw", "reg:logistic",
      "reg:squarederror");

  /** Objectives whose prediction transform is XGBoost's sigmoid ({@link LogisticTransform}). */
  private static final Set<String> LOGISTIC = Set.of("binary:logistic", "reg:logistic");
  /** Arguments on which the C library's {@code expf} is compared with {@link LogisticTransform}'s. */
  private static final int LIBRARY_SAMPLES = 1 << 12;

  /** XGBoost's default metric per objective (logloss for the binary ones, which stays with XGBoost). */
  private static final Map<String, String> DEFAULT_METRIC = Map.of("binary:logistic", "logloss",
      "binary:logitraw", "logloss", "reg:logistic", "rmse", "reg:squarederror", "rmse");

  /** One evaluation set: its name in the metric lines, its matrix, labels and weights (null or empty: none). */
  record Data(String name, DMatrix matrix, float[] labels, float[] weights) {}

  private final List<Data> sets;
  private final List<String> metrics;
  private final BinaryRocAuc[] aucs;
  private final int threads;
  private final ForkJoinPool pool;
  /** XGBoost's C API once opened (null before, or where the JVM cannot reach it: xgboost4j's JNI then). */
  private XGBoostCApi api;
  /** The C API being opened on a pool thread (null: taken). */
  private java.util.concurrent.CompletableFuture<XGBoostCApi> apiComing;
  private final float[][] predictions;
  /**
   * For the logistic objectives: the transform computed here from the cached margins, or null (XGBoost transforms).
   * Checked against XGBoost's own values for every set the first time it is used; dropped for good if any value
   * differs.
   */
  private LogisticTransform logistic;
  /** The transform being matched with the C library on a pool thread (null: none coming, or taken). */
  private java.util.concurrent.Future<LogisticTransform> logisticComing;
  private final boolean[] logisticChecked;

  private RoundMetrics(List<Data> sets, List<String> metrics, String objective, int threads, ForkJoinPool pool) {
    this.sets = List.copyOf(sets);
    this.metrics = List.copyOf(metrics);
    this.threads = threads;
    this.pool = pool;
    this.aucs = new BinaryRocAuc[sets.size()];
    this.predictions = new float[sets.size()][];
    // Through the C API the predictions land in one array per set, reused every round; else a new one each time.
    // Opening it (the foreign linker's first downcall, ~0.1 s in a fresh JVM) and matching the logistic transform
    // with the C library run on a pool thread while round 1 trains; until they are done, xgboost4j predicts and
    // XGBoost transforms. (The API is only touched when present: without the JVM's foreign-linker module the class
    // cannot be linked.)
    java.util.function.Supplier<XGBoostCApi> open = () -> CApiAccess.open(why -> { }).orElse(null);
    boolean logisticObjective = LOGISTIC.contains(objective);
    java.util.function.Function<XGBoostCApi, LogisticTransform> match = a -> a == null || !logisticObjective ? null
        : LogisticTransform.matching(XGBoostCApi.mathLibraryExpf(), LIBRARY_SAMPLES).orElse(null);
    java.util.concurrent.CompletableFuture<XGBoostCApi> opening = pool == null
        ? java.util.concurrent.CompletableFuture.completedFuture(open.get())
        : java.util.concurrent.CompletableFuture.supplyAsync(open, pool);
    this.apiComing = opening;
    this.logisticComing = pool == null ? opening.thenApply(match) : opening.thenApplyAsync(match, pool);
    this.logisticChecked = new boolean[sets.size()];
    if (metrics.contains("auc")) {
      for (int s = 0; s < sets.size(); s++) {
        aucs[s] = new BinaryRocAuc(sets.get(s).labels(), sets.get(s).weights(), pool);
      }
    }
  }

  /**
   * The Java evaluator for {@code params}' XGBoost metrics on {@code sets}, or null where XGBoost's own
   * {@code evalSet} must compute them. {@code threads}: the booster's {@code nthread}.
   */
  static RoundMetrics of(XGBoostParams params, int threads, ForkJoinPool pool, List<Data> sets) {
    List<String> metrics = names(params);
    if (metrics == null || sets.isEmpty()) {
      return null;
    }
    for (Data s : sets) {
      if (s.labels().length == 0) {
        return null; // XGBoost warns of an empty set; leave that to it
      }
    }
    return new RoundMetrics(sets, metrics, params.objective(), threads, pool);
  }

  /** The XGBoost metric names to compute, in XGBoost's order, or null when they are not all computed here. */
  static List<String> names(XGBoostParams params) {
    if (!OBJECTIVES.contains(params.objective()) || params.kind() == ObjectiveKind.RANKING) {
      return null;
    }
    Map<String, Object> booster = params.boosterParams();
    if (booster.containsKey("disable_default_eval_metric")) {
      return null;
    }
    List<String> own = EvalMetrics.xgboostMetrics(params.evalMetrics());
    if (own.isEmpty()) {
      own = List.of(DEFAULT_METRIC.get(params.objective()));
    }
    List<String> out = new ArrayList<>();
    for (String m : own) {
      if (!m.equals("auc") && ElementwiseMetric.byName(m) == null) {
        return null;
      }
      if (!out.contains(m)) {
        out.add(m);
      }
    }
    return out;
  }

  /** Round {@code iteration}'s metrics for every set, keyed {@code set-metric} in XGBoost's order, as printed. */
  RoundLog evaluate(Booster booster, int iteration) throws XGBoostError {
    Map<String, Double> values = exact(booster);
    values.replaceAll((k, v) -> RoundLog.asParsed(v));
    return new RoundLog(iteration, values);
  }

  /** Set {@code s}'s predictions as XGBoost's objective transforms them, in the set's reused array. */
  private float[] predictions(Booster booster, int s) throws XGBoostError {
    DMatrix matrix = sets.get(s).matrix();
    if (apiComing != null && apiComing.isDone()) {
      try {
        api = apiComing.join();
      } catch (java.util.concurrent.CompletionException e) {
        api = null; // not reachable: xgboost4j predicts
      }
      apiComing = null;
    }
    if (logisticComing != null && logisticComing.isDone()) {
      try {
        logistic = logisticComing.get();
      } catch (java.util.concurrent.ExecutionException e) {
        logistic = null; // the library could not be reached: XGBoost transforms
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      logisticComing = null;
    }
    if (logistic == null) {
      return FlatPredictions.values(booster, matrix, api, predictions[s]);
    }
    float[] p = FlatPredictions.margins(booster, matrix, api, predictions[s]);
    logistic.applyInPlace(p, p.length, pool);
    if (!logisticChecked[s]) {
      logisticChecked[s] = true;
      float[] own = FlatPredictions.values(booster, matrix, api, null);
      if (!java.util.Arrays.equals(own, p)) {
        logistic = null; // not this XGBoost's transform after all: XGBoost transforms from now on
        return own;
      }
    }
    return p;
  }

  /** Whether the logistic transform is computed here (for tests and the log; waits for the match with the library). */
  boolean transformsHere() {
    if (logisticComing != null) {
      try {
        return logisticComing.get() != null;
      } catch (java.util.concurrent.ExecutionException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return logistic != null;
  }

  /** The metrics in full double precision (before XGBoost's printing and Sagebox's reading of it). */
  Map<String, Double> exact(Booster booster) throws XGBoostError {
    Map<String, Double> values = new LinkedHashMap<>();
    for (int s = 0; s < sets.size(); s++) {
      Data set = sets.get(s);
      float[] p = predictions(booster, s);
      predictions[s] = p;
      for (String m : metrics) {
        double v = m.equals("auc") ? aucs[s].of(p)
            : ElementwiseMetric.byName(m).evaluate(set.labels(), set.weights(), p, threads, pool);
        values.put(set.name() + "-" + m, v);
      }
    }
    return values;
  }
}
