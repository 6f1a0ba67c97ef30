package dev.sagebox.engine.xgboost;

import dev.sagebox.engine.collective.Collective;
import dev.sagebox.engine.collective.HostChecks;
import dev.sagebox.engine.error.PlatformError;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.TrainingListener;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * XGBoost on several hosts: what is refused there (and why), and the checks the hosts run together once their data
 * is loaded. XGBoost itself does the rest: with the collective open, its {@code hist} training reduces the quantile
 * sketch, histograms and metrics over all hosts, so every host grows the same trees.
 */
final class SeveralHosts {
  private SeveralHosts() {}

  static void refuseUnsupported(XGBoostParams params, Collective cluster) {
    String hosts = cluster.size() + " hosts";
    if (params.kfold() != null) {
      throw new UserError("_kfold is not supported on " + hosts + ": cross-validate on one instance");
    }
    if (params.dataMatrix() == DataMatrix.EXTERNAL || params.dataMatrix() == DataMatrix.QUANTILE) {
      throw new UserError("data_matrix=" + params.dataMatrix().name().toLowerCase(java.util.Locale.ROOT)
          + " is not supported on " + hosts + " yet (each host builds xgboost4j's float DMatrix of its part); "
          + "leave data_matrix unset or use float");
    }
    for (String m : params.evalMetrics()) {
      if (SageMakerMetric.byName(m) != null) {
        throw new UserError("eval_metric '" + m + "' is one of SageMaker's metrics computed by Sagebox on one "
            + "host's rows; on " + hosts + " use XGBoost's own metrics, which are reduced over all hosts (auc, "
            + "logloss, error, rmse, mae, mlogloss, merror, ...)");
      }
    }
    String method = String.valueOf(params.boosterParams().getOrDefault("tree_method", "hist"));
    if (!method.equals("hist") && !method.equals("auto") && !method.equals("approx")) {
      throw new UserError("tree_method '" + method + "' cannot train on " + hosts + "; use hist (the default) or "
          + "approx");
    }
  }

  /** The hosts check each other's data: same feature count, rows on every host; logged per host. */
  static void agree(Collective cluster, TrainingRows train, TrainingRows validation, int features,
      TrainingListener log) {
    HostChecks.same(cluster, "the feature count", features, "every host's files need the same columns (label "
        + "first, then the same features)");
    HostChecks.rows(cluster, "train", train.rows(), log::info);
    if (validation != null) {
      HostChecks.rows(cluster, "validation", validation.rows(), log::info);
    }
    float[] labels = train.labels();
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (float v : labels) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    log.info("labels of 'train' per host (smallest, largest): " + HostChecks.labelRanges(cluster, min, max));
  }

  /** The XGBoost error of a failed operation between hosts in {@code t}'s cause chain, or null. */
  static XGBoostError collectiveFailure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof XGBoostError x && isCollectiveFailure(x)) {
        return x;
      }
    }
    return null;
  }

  /** True when XGBoost failed in an operation between hosts (a peer gone), not on the setup. */
  static boolean isCollectiveFailure(XGBoostError e) {
    String m = String.valueOf(e.getMessage());
    return m.contains("llreduce") || m.contains("llgather") || m.contains("roadcast") || m.contains("Socket")
        || m.contains("socket") || m.contains("collective") || m.contains("Connection");
  }

  /** @param where for example {@code " in round 22"} */
  static PlatformError peerFailure(Collective cluster, XGBoostError e, String where) {
    return new PlatformError("host " + cluster.host() + ": training stopped" + where + " because another host "
        + "exited or cannot "
        + "be reached (its output/failure says why); XGBoost: " + innermost(e.getMessage()), e);
  }

  /**
   * The innermost reason of XGBoost's nested error text ({@code "- [socket.h:348|07:19:44]: Socket error. Broken
   * pipe"} gives {@code "Socket error. Broken pipe"}), or its first line.
   */
  static String innermost(String message) {
    String found = null;
    for (String line : String.valueOf(message).split("\n")) {
      String l = line.strip();
      if (l.startsWith("- [") && l.contains("]:")) {
        String text = l.substring(l.indexOf("]:") + 2).strip();
        if (!text.isEmpty()) {
          found = text;
        }
      }
    }
    return found != null ? found : XGBoostTrainer.firstLine(message);
  }
}
