package dev.sagebox.engine.xgboost;

import dev.sagebox.engine.model.CheckpointFolder;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.model.TrainingInterrupted;
import dev.sagebox.engine.model.TrainingListener;
import dev.sagebox.engine.model.TrainingRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * K-fold cross-validation as SageMaker's XGBoost runs it with the hidden {@code _kfold} and {@code _num_cv_round}:
 * train and validation rows form one set; {@code _num_cv_round} times, it is split into {@code _kfold} folds
 * (stratified by label for {@code binary:*} objectives or when {@code num_class} is set), and one model is trained per
 * fold on the other folds, written as {@code xgboost-model-<n>} (n counting across repetitions). Each model logs its
 * rounds as usual; after each repetition one line {@code [num_round]\ttrain-m:mean\tvalidation-m:mean...} gives the
 * mean over its folds of the last round's metrics (per metric, train then validation), and with several
 * repetitions a last such line the mean over all folds. The rows' out-of-fold predictions go to
 * {@code predictions.csv} in the output data folder.
 *
 * <p>Unlike the built-in, each fold's metrics and early stopping use the fold's own training and held-out rows (the
 * built-in evaluates every fold on the original train and validation channels, whose rows it also trains on), and
 * the folds are seeded with {@code seed}.
 */
final class CrossValidation {
  private final TrainingRequest request;
  private final XGBoostParams params;
  private final TrainingListener log;
  private final BoostRounds rounds;
  private final XGBoostTrainer trainer;

  CrossValidation(TrainingRequest request, XGBoostParams params, BoostRounds rounds, XGBoostTrainer trainer) {
    this.request = request;
    this.params = params;
    this.log = request.listener();
    this.rounds = rounds;
    this.trainer = trainer;
  }

  /** One trained fold. */
  private record Fold(String file, BoostRounds.Result result) {}

  ModelManifest run(TrainingRows all, int features, String version) throws XGBoostError {
    int k = params.kfold();
    int repeats = params.numCvRound();
    boolean classification = params.numClass() != null || params.objective().startsWith("binary:");
    log.info(String.format(Locale.ROOT, "Run %d-round of %d-fold cross validation with %d rows%s", repeats, k,
        all.rows(), classification ? " (folds stratified by label)" : ""));
    int[][] splits = FoldSplits.assign(all.labels(), k, repeats, classification, params.seed(), log::warn);
    OutOfFoldPredictions oof = new OutOfFoldPredictions(all.labels(), repeats, classification);
    List<Fold> folds = new ArrayList<>();
    DMatrix dall = DMatrices.of(all, features);
    try {
      for (int r = 0; r < repeats; r++) {
        for (int f = 0; f < k; f++) {
          log.info("Train cross validation fold " + (f + 1));
          folds.add(trainFold(dall, all, splits[r], f, r, folds, features, version, oof));
        }
        log.info("The metrics of round " + (r + 1) + " cross validation");
        log.metricLine(summary(folds.subList(folds.size() - k, folds.size())));
      }
      if (repeats > 1) {
        log.info("The overall metrics of " + repeats + "-round cross validation");
        log.metricLine(summary(folds));
      }
    } finally {
      dall.dispose();
    }
    Map<String, String> details = details(folds);
    if (request.outputDataDir().isPresent()) {
      oof.write(request.outputDataDir().get());
      log.info("Storing predictions on validation set(s) in "
          + request.outputDataDir().get().resolve(OutOfFoldPredictions.FILE));
      details.put("cv_predictions", OutOfFoldPredictions.FILE);
    } else {
      log.warn("no output data folder was given; the out-of-fold predictions are not written");
    }
    return trainer.manifest(folds.get(0).file(), features, version, details);
  }

  private Fold trainFold(DMatrix dall, TrainingRows all, int[] split, int f, int r, List<Fold> done, int features,
      String version, OutOfFoldPredictions oof) throws XGBoostError {
    int index = done.size();
    String file = XGBoostTrainer.MODEL_FILE + "-" + index;
    int[] trainRows = FoldSplits.rows(split, f, false);
    int[] validRows = FoldSplits.rows(split, f, true);
    DMatrix dtrain = dall.slice(trainRows);
    DMatrix dvalid = null;
    Booster booster = null;
    try {
      dvalid = dall.slice(validRows);
      Map<String, DMatrix> watches = new LinkedHashMap<>();
      watches.put("train", dtrain);
      watches.put("validation", dvalid);
      List<BoostRounds.EvalSet> sets = List.of(
          new BoostRounds.EvalSet("train", dtrain, rounds.labels("train", FoldSplits.pick(all.labels(), trainRows))),
          new BoostRounds.EvalSet("validation", dvalid,
              rounds.labels("validation", FoldSplits.pick(all.labels(), validRows))));
      Optional<CheckpointFolder> checkpoints = trainer.checkpoints("model-" + index);
      XGBoostTrainer.Start start = trainer.start(dtrain, watches, checkpoints);
      booster = start.booster();
      int end = trainer.endRound();
      BoostRounds.Result result;
      if (start.next() < end) {
        result = rounds.run(booster, dtrain, sets, start.next(), end, checkpoints,
            (b, i) -> stop(b, i, file, done, features, version));
      } else {
        DMatrix[] mats = {dtrain, dvalid};
        RoundLog last = rounds.evaluate(booster, mats, new String[] {"train", "validation"}, sets, end - 1);
        result = new BoostRounds.Result(booster.toByteArray("ubj"), end - 1, -1, null, Double.NaN, last);
      }
      XGBoostTrainer.writeBytes(request.modelDir().resolve(file), result.model());
      if (result.bestIteration() >= 0) {
        log.info(file + ": kept the best iteration " + result.bestIteration() + " (validation-"
            + result.stoppingMetric() + " " + result.best() + ")");
        Booster best = XGBoost.loadModel(result.model());
        try {
          recordPredictions(best, dvalid, validRows, oof);
        } finally {
          best.dispose();
        }
      } else {
        recordPredictions(booster, dvalid, validRows, oof);
      }
      return new Fold(file, result);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("XGBoost could not read back its own model", e);
    } finally {
      if (booster != null) {
        booster.dispose();
      }
      dtrain.dispose();
      if (dvalid != null) {
        dvalid.dispose();
      }
    }
  }

  /** The predicted class and its probability (classification) or the prediction (regression) of each held-out row. */
  private void recordPredictions(Booster booster, DMatrix dvalid, int[] rows, OutOfFoldPredictions oof)
      throws XGBoostError {
    ObjectiveKind kind = params.kind();
    boolean margins = kind == ObjectiveKind.MULTI_CLASS || kind == ObjectiveKind.BINARY_MARGIN;
    float[] p = margins ? FlatPredictions.margins(booster, dvalid) : FlatPredictions.values(booster, dvalid);
    boolean classification = params.numClass() != null || params.objective().startsWith("binary:");
    int width = rows.length == 0 ? 1 : p.length / rows.length;
    for (int i = 0; i < rows.length; i++) {
      if (!classification) {
        oof.record(rows[i], p[i]);
      } else if (kind.isMulti()) {
        int base = i * width;
        int best = 0;
        for (int j = 1; j < width; j++) {
          if (p[base + j] > p[base + best]) {
            best = j;
          }
        }
        float prob = p[base + best];
        if (kind == ObjectiveKind.MULTI_CLASS) {
          double sum = 0;
          for (int j = 0; j < width; j++) {
            sum += Math.exp(p[base + j] - p[base + best]);
          }
          prob = (float) (1 / sum);
        }
        oof.record(rows[i], best, prob);
      } else if (kind == ObjectiveKind.BINARY_MARGIN) {
        oof.record(rows[i], p[i] > 0 ? 1 : 0, (float) (1 / (1 + Math.exp(-p[i]))));
      } else {
        oof.record(rows[i], p[i] > 0.5f ? 1 : 0, p[i]);
      }
    }
  }

  /** {@code [num_round]} then, per metric, the mean over the folds of train's and validation's last value. */
  private String summary(List<Fold> folds) {
    StringBuilder sb = new StringBuilder().append('[').append(trainer.endRound()).append(']');
    RoundLog first = folds.get(0).result().lastRound();
    List<String> metrics = new ArrayList<>();
    for (String key : first.values().keySet()) {
      if (key.startsWith("train-")) {
        metrics.add(key.substring("train-".length()));
      }
    }
    for (String metric : metrics) {
      for (String set : List.of("train", "validation")) {
        double sum = 0;
        for (Fold f : folds) {
          Double v = f.result().lastRound().value(set, metric);
          sum += v == null ? Double.NaN : v;
        }
        sb.append(String.format(Locale.ROOT, "\t%s-%s:%.5f", set, metric, sum / folds.size()));
      }
    }
    return sb.toString();
  }

  private Map<String, String> details(List<Fold> folds) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("rounds_trained", Integer.toString(folds.get(0).result().lastIteration() + 1));
    details.put("kfold", Integer.toString(params.kfold()));
    details.put("num_cv_round", Integer.toString(params.numCvRound()));
    details.put("cv_seed", Integer.toString(params.seed()));
    details.put("ensemble_files", String.join(",", folds.stream().map(Fold::file).toList()));
    details.put("fold_rounds_trained", String.join(",", folds.stream()
        .map(f -> Integer.toString(f.result().lastIteration() + 1)).toList()));
    if (folds.stream().anyMatch(f -> f.result().bestIteration() >= 0)) {
      details.put("fold_best_iterations", String.join(",", folds.stream()
          .map(f -> f.result().bestIteration() >= 0 ? Integer.toString(f.result().bestIteration()) : "last")
          .toList()));
    }
    return details;
  }

  /** A stop request during fold {@code file}: keeps the finished folds and, if asked, the current one. */
  private void stop(Booster booster, int iteration, String file, List<Fold> done, int features, String version)
      throws XGBoostError {
    List<String> files = new ArrayList<>(done.stream().map(Fold::file).toList());
    boolean keepPartial = params.saveModelOnTermination() && iteration > 0;
    if (keepPartial) {
      XGBoostTrainer.writeBytes(request.modelDir().resolve(file), booster.toByteArray("ubj"));
      files.add(file);
    }
    if (!files.isEmpty()) {
      Map<String, String> details = new LinkedHashMap<>();
      details.put("kfold", Integer.toString(params.kfold()));
      details.put("num_cv_round", Integer.toString(params.numCvRound()));
      details.put("ensemble_files", String.join(",", files));
      details.put("stopped_by_signal", "true");
      trainer.manifest(files.get(0), features, version, details).write(request.modelDir());
    }
    throw new TrainingInterrupted("stopped on request in " + file + " after " + iteration + " round(s); "
        + (files.isEmpty() ? "no model saved" : files.size() + " fold model(s) saved: " + files)
        + (keepPartial ? "" : " (set save_model_on_termination=true to keep the unfinished fold too)"),
        !files.isEmpty());
  }
}
