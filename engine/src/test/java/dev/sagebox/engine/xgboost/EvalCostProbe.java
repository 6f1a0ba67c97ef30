package dev.sagebox.engine.xgboost;

import dev.sagebox.engine.data.ChannelLoader;
import dev.sagebox.engine.model.ChannelInput;
import dev.sagebox.engine.model.TrainingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;

/**
 * A manual probe (not a test): where the boosting rounds of one training go, with and without per-round metrics.
 * Loads {@code DIR/train} and {@code DIR/validation} as the trainer does, builds float or quantile matrices, then
 * runs the rounds once per mode on a fresh booster: {@code none} (updates only), {@code xgb} (XGBoost's
 * {@code evalSet} on train and validation), {@code predict} (margins of both sets from the prediction cache, no
 * metric) and {@code java} (the {@link RoundMetrics} path the trainer uses). Prints the seconds of each mode, the
 * seconds inside the evaluation calls, and whether the {@code java} lines equal the {@code xgb} lines.
 *
 * <p>{@code java -cp <engine test and main classes, deps> dev.sagebox.engine.xgboost.EvalCostProbe DIR float|quantile
 * ROUNDS THREADS MODE[,MODE...] [key=value hyperparameters...]}
 */
public final class EvalCostProbe {
  private EvalCostProbe() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String matrix = args[1];
    int rounds = Integer.parseInt(args[2]);
    int threads = Integer.parseInt(args[3]);
    String[] modes = args[4].split(",");
    Map<String, String> hp = new LinkedHashMap<>(Map.of("objective", "binary:logistic", "max_depth", "5", "eta",
        "0.2", "gamma", "4", "min_child_weight", "6", "subsample", "0.8", "eval_metric", "auc", "tree_method",
        "hist"));
    hp.put("num_round", Integer.toString(rounds));
    hp.put("data_matrix", matrix);
    for (int i = 5; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      hp.put(kv[0], kv[1]);
    }
    XGBoostParams params = XGBoostParams.parse(hp, w -> System.err.println("warning: " + w));
    ChannelLoader loader = new ChannelLoader(threads);
    long t0 = System.nanoTime();
    TrainingRows train = TrainingRows.of(loader.load(new ChannelInput("train",
        List.of(dir.resolve("train/data.csv")), null), params.csvWeights()));
    TrainingRows valid = TrainingRows.of(loader.load(new ChannelInput("validation",
        List.of(dir.resolve("validation/data.csv")), null), params.csvWeights()));
    TrainingMatrices matrices = TrainingMatrices.choose(params, threads, new TrainingListener() {
      @Override
      public void info(String m) {
        System.err.println(m);
      }

      @Override
      public void warn(String m) {
        System.err.println("WARN " + m);
      }

      @Override
      public void metricLine(String m) {}
    });
    int width = train.features().columns();
    DMatrix dtrain = matrices.train(train, width);
    DMatrix dvalid = matrices.validation(valid, width, dtrain);
    System.out.printf(Locale.ROOT, "load+matrix %.2f s (%s); load %s%n", (System.nanoTime() - t0) / 1e9,
        matrices.description(), loadavg());
    List<RoundLog> reference = null;
    java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(threads);
    for (String mode : modes) {
      Map<String, Object> p = new HashMap<>(params.boosterParams());
      p.put("nthread", threads);
      Map<String, DMatrix> watches = new LinkedHashMap<>();
      watches.put("train", dtrain);
      watches.put("validation", dvalid);
      Booster booster = XGBoost.train(dtrain, p, 0, watches, null, null, null, 0, null);
      for (String metric : EvalMetrics.xgboostMetrics(params.evalMetrics())) {
        booster.setParam("eval_metric", metric);
      }
      DMatrix[] mats = {dtrain, dvalid};
      String[] names = {"train", "validation"};
      RoundMetrics java = mode.equals("java") ? RoundMetrics.of(params, threads, pool,
          List.of(new RoundMetrics.Data("train", dtrain, dtrain.getLabel(), dtrain.getWeight()),
              new RoundMetrics.Data("validation", dvalid, dvalid.getLabel(), dvalid.getWeight())))
          : null;
      List<RoundLog> lines = new ArrayList<>();
      long evalNanos = 0;
      long trainNanos = 0;
      long validNanos = 0;
      long start = System.nanoTime();
      float[][] fetched = new float[2][];
      dev.sagebox.engine.xgboost.capi.XGBoostCApi capi = dev.sagebox.engine.xgboost.capi.CApiAccess.open(w -> { })
          .orElse(null);
      for (int i = 0; i < rounds; i++) {
        booster.update(dtrain, i);
        long e0 = System.nanoTime();
        switch (mode) {
          case "none" -> { }
          case "xgb" -> lines.add(RoundLog.parse(i, booster.evalSet(mats, names, i)));
          case "predict", "values" -> {
            boolean values = mode.equals("values");
            long a = System.nanoTime();
            if (values) {
              fetched[0] = FlatPredictions.values(booster, dtrain, capi, fetched[0]);
            } else {
              fetched[0] = FlatPredictions.margins(booster, dtrain, capi, fetched[0]);
            }
            long b = System.nanoTime();
            if (values) {
              fetched[1] = FlatPredictions.values(booster, dvalid, capi, fetched[1]);
            } else {
              fetched[1] = FlatPredictions.margins(booster, dvalid, capi, fetched[1]);
            }
            long c = System.nanoTime();
            trainNanos += b - a;
            validNanos += c - b;
            if (i % 25 == 0 || i == rounds - 1) {
              System.out.printf(Locale.ROOT, "  round %d: predict train %.1f ms, validation %.1f ms%n", i,
                  (b - a) / 1e6, (c - b) / 1e6);
            }
          }
          case "java" -> lines.add(java.evaluate(booster, i));
          default -> throw new IllegalArgumentException(mode);
        }
        evalNanos += System.nanoTime() - e0;
      }
      double total = (System.nanoTime() - start) / 1e9;
      String same = mode.equals("predict") || mode.equals("values") ? String.format(Locale.ROOT, "; predict train %.2f s, validation %.2f s",
          trainNanos / 1e9, validNanos / 1e9) : "";
      if (java != null) {
        same += "; logistic transform " + (java.transformsHere() ? "in Java" : "by XGBoost");
      }
      if (mode.equals("xgb")) {
        reference = lines;
      } else if (mode.equals("java") && reference != null) {
        int diff = 0;
        double maxDiff = 0;
        int exact = 0;
        int values = 0;
        for (int i = 0; i < lines.size(); i++) {
          if (!lines.get(i).render().equals(reference.get(i).render())) {
            if (diff++ < 3) {
              System.out.println("  differs: " + lines.get(i).render() + " vs " + reference.get(i).render());
            }
          }
          for (Map.Entry<String, Double> e : reference.get(i).values().entrySet()) {
            double d = Math.abs(e.getValue() - lines.get(i).values().get(e.getKey()));
            maxDiff = Math.max(maxDiff, d);
            exact += d == 0 ? 1 : 0;
            values++;
          }
        }
        same += "; lines equal to xgb: " + (diff == 0 ? "all " + lines.size() : diff + " differ")
            + String.format(Locale.ROOT, ", values bit-equal %d of %d, max |diff| %.3g", exact, values, maxDiff);
      }
      System.out.printf(Locale.ROOT, "%-8s %s %d rounds %.2f s, in evaluation %.2f s%s%s; load %s%n", mode, matrix,
          rounds, total, evalNanos / 1e9, lines.isEmpty() ? "" : "; last " + lines.get(lines.size() - 1).render(), same,
          loadavg());
      booster.dispose();
    }
    dtrain.dispose();
    dvalid.dispose();
    pool.shutdown();
  }

  private static String loadavg() {
    try {
      return java.nio.file.Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (java.io.IOException e) {
      return "?";
    }
  }
}
