package dev.sagebox.engine.xgboost;

import dev.sagebox.engine.error.AlgorithmError;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.CheckpointFolder;
import dev.sagebox.engine.model.TrainingListener;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import java.util.function.BooleanSupplier;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Runs the boosting rounds of one booster: one metric line per round (XGBoost's metrics and SageMaker's), a
 * checkpoint per round, early stopping on the {@code validation} set, and stop requests between rounds.
 */
final class BoostRounds {
  private final XGBoostParams params;
  private final TrainingListener log;
  private final CustomMetrics custom;
  private final BooleanSupplier stopRequested;
  /** The round being trained, or -1 before the first. */
  private int currentRound = -1;
  private final ForkJoinPool pool;
  private final int threads;
  private final boolean javaMetrics;

  /** One evaluation set: its name in the metric lines, its matrix and its labels (for SageMaker's metrics). */
  record EvalSet(String name, DMatrix matrix, CustomMetrics.Labels labels) {}

  /** Called when a stop is requested before round {@code iteration}; must throw. */
  interface StopHandler {
    void stop(Booster booster, int iteration) throws XGBoostError;
  }

  /**
   * What the rounds produced.
   *
   * @param model the model to save: the best round's when early stopping kept an earlier one
   * @param lastIteration the last round run ({@code start - 1} if none ran)
   * @param bestIteration the best round when early stopping kept an earlier one, else -1
   * @param lastRound the metrics of the last round run ({@code null} if none ran)
   */
  record Result(byte[] model, int lastIteration, int bestIteration, String stoppingMetric, double best,
      RoundLog lastRound) {}

  /**
   * @param pool threads for the metrics computed in Java ({@link CustomMetrics}, {@link RoundMetrics})
   * @param threads the booster's {@code nthread}
   * @param javaMetrics whether XGBoost's metrics may be computed in Java where exact ({@link RoundMetrics}); not
   *     across several hosts, where XGBoost reduces them over the hosts
   */
  BoostRounds(XGBoostParams params, TrainingListener log, CustomMetrics custom, ForkJoinPool pool, int threads,
      boolean javaMetrics, BooleanSupplier stopRequested) {
    this.params = params;
    this.log = log;
    this.custom = custom;
    this.pool = pool;
    this.threads = threads;
    this.javaMetrics = javaMetrics;
    this.stopRequested = stopRequested;
  }

  /** Labels for {@link EvalSet}, checked for the SageMaker metrics in {@code eval_metric} (if any). */
  CustomMetrics.Labels labels(String set, float[] labels) {
    return labels(set, labels, null);
  }

  /** As {@link #labels(String, float[])}; {@code rows} names a row in errors ({@code null}: channel and row). */
  CustomMetrics.Labels labels(String set, float[] labels, java.util.function.IntFunction<String> rows) {
    return custom == null ? null : custom.prepare(set, labels, rows);
  }

  /** The round being trained (or last trained), -1 before the first: for error messages. */
  int currentRound() {
    return currentRound;
  }

  /**
   * Runs rounds {@code start} to {@code end - 1}. Early stopping watches the set named {@code validation}, if any.
   */
  Result run(Booster booster, DMatrix dtrain, List<EvalSet> sets, int start, int end,
      Optional<CheckpointFolder> checkpoints, StopHandler onStop) throws XGBoostError {
    DMatrix[] mats = new DMatrix[sets.size()];
    String[] names = new String[sets.size()];
    boolean hasValidation = false;
    for (int s = 0; s < sets.size(); s++) {
      mats[s] = sets.get(s).matrix();
      names[s] = sets.get(s).name();
      hasValidation |= names[s].equals("validation");
    }
    RoundMetrics own = roundMetrics(sets);
    Integer patience = hasValidation ? params.earlyStoppingRounds() : null;
    String metric = params.stoppingMetric();
    double best = Double.NaN;
    int bestIteration = -1;
    byte[] bestModel = null;
    RoundLog bestLog = null;
    RoundLog round = null;
    int lastIteration = start - 1;
    for (int i = start; i < end; i++) {
      currentRound = i;
      if (stopRequested.getAsBoolean()) {
        onStop.stop(booster, i);
        throw new IllegalStateException("the stop handler returned");
      }
      try {
        booster.update(dtrain, i);
      } catch (XGBoostError e) {
        throw roundFailure(e, i, start);
      }
      round = evaluate(booster, mats, names, sets, i, own);
      log.metricLine(round.render());
      lastIteration = i;
      if (checkpoints.isPresent()) {
        byte[] bytes = booster.toByteArray("ubj");
        checkpoints.get().save(i, tmp -> Files.write(tmp, bytes));
      }
      if (patience != null) {
        if (metric == null) {
          metric = round.lastMetric("validation");
        }
        Double v = round.value("validation", metric);
        if (v == null) {
          throw new UserError("early stopping watches metric '" + metric + "', which is not logged; set eval_metric"
              + " to include it");
        }
        boolean maximize = EvalMetrics.maximize(metric);
        if (bestIteration < 0 || (maximize ? v > best : v < best)) {
          best = v;
          bestIteration = i;
          bestLog = round;
          bestModel = booster.toByteArray("ubj");
        } else if (i - bestIteration >= patience) {
          log.info("Stopping. Best iteration:\n" + bestLog.render());
          break;
        }
      }
    }
    if (bestModel != null && bestIteration < lastIteration) {
      return new Result(bestModel, lastIteration, bestIteration, metric, best, round);
    }
    return new Result(booster.toByteArray("ubj"), lastIteration, -1, metric, best, round);
  }

  /**
   * The Java evaluator of XGBoost's metrics on {@code sets} ({@link RoundMetrics}), or null where XGBoost's
   * {@code evalSet} computes them. Reads each set's labels and weights from its matrix once.
   */
  RoundMetrics roundMetrics(List<EvalSet> sets) throws XGBoostError {
    if (!javaMetrics || RoundMetrics.names(params) == null) {
      return null;
    }
    List<RoundMetrics.Data> data = new ArrayList<>(sets.size());
    for (EvalSet s : sets) {
      data.add(new RoundMetrics.Data(s.name(), s.matrix(), s.matrix().getLabel(), s.matrix().getWeight()));
    }
    return RoundMetrics.of(params, threads, pool, data);
  }

  /** XGBoost's metrics for every set, then SageMaker's, merged into one round log. */
  RoundLog evaluate(Booster booster, DMatrix[] mats, String[] names, List<EvalSet> sets, int iteration)
      throws XGBoostError {
    return evaluate(booster, mats, names, sets, iteration, null);
  }

  /** As above; XGBoost's metrics from {@code own} when it is not null, else from XGBoost's {@code evalSet}. */
  private RoundLog evaluate(Booster booster, DMatrix[] mats, String[] names, List<EvalSet> sets, int iteration,
      RoundMetrics own) throws XGBoostError {
    RoundLog natives = own != null ? own.evaluate(booster, iteration)
        : RoundLog.parse(iteration, booster.evalSet(mats, names, iteration));
    if (custom == null) {
      return natives;
    }
    double[][] values = new double[sets.size()][];
    List<String> setNames = new ArrayList<>(sets.size());
    for (int s = 0; s < sets.size(); s++) {
      values[s] = custom.evaluate(booster, mats[s], sets.get(s).labels());
      setNames.add(names[s]);
    }
    return custom.merge(natives, setNames, values);
  }

  /**
   * XGBoost refusing this run's first round is about the setup (a parameter out of its range, constraints for more
   * features than the data has, a checkpoint of another model): the user's to fix, exit 1. A later round's failure,
   * or running out of memory, stays the algorithm's.
   */
  static RuntimeException roundFailure(XGBoostError e, int round, int start) {
    String why = XGBoostTrainer.firstLine(e.getMessage());
    boolean memory = why.contains("bad_alloc") || why.toLowerCase(java.util.Locale.ROOT).contains("out of memory");
    if (round != start || memory) {
      return new AlgorithmError("XGBoost failed in round " + round + ": " + why, e);
    }
    return new UserError("XGBoost rejected the training setup in round " + round + ": " + why + (start > 0
        ? " (training resumed from a checkpoint of round " + (start - 1) + "; remove the checkpoints when the data, "
            + "its features or the objective changed)" : ""), e);
  }
}
