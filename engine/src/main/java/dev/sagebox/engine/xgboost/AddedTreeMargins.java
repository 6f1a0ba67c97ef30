package dev.sagebox.engine.xgboost;

import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.xgboost.capi.XGBoostCApi;
import dev.sagebox.engine.xgboost.trees.TreeEnsemble;
import dev.sagebox.engine.xgboost.trees.TreeModelReader;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;
import ml.dmlc.xgboost4j.java.XGBoostJNI;

/**
 * An evaluation set's margins kept in Java: XGBoost's own after the first round they are asked for, then each new
 * round's trees added here to the same floats, in the same order, as XGBoost adds them to its prediction cache, so
 * that they stay XGBoost's bit for bit. XGBoost predicts a round's tree for a matrix it does not train on at several
 * times the cost of walking the tree over the set's dense rows here (it copies every row into a feature vector
 * first).
 *
 * <p>The new trees come from XGBoost as a one-round model ({@code XGBoosterSlice}, its JSON compiled by
 * {@link TreeModelReader}). The first time trees are added, the result is compared with XGBoost's margins; if any
 * value differs, or a round's model is one the tree reader does not cover, XGBoost predicts the set from then on.
 */
final class AddedTreeMargins {
  private static final int PARALLEL_ROWS = 1 << 14;

  private final XGBoostCApi api;
  private final DMatrix matrix;
  private final DenseBatch rows;
  private final ForkJoinPool pool;
  private float[] margins;
  /** The booster's rounds that {@link #margins} hold. */
  private int rounds = -1;
  private boolean checked;
  private boolean handedBack;

  AddedTreeMargins(XGBoostCApi api, DMatrix matrix, DenseBatch rows, ForkJoinPool pool) {
    this.api = api;
    this.matrix = matrix;
    this.rows = rows;
    this.pool = pool;
  }

  /**
   * The set's margins for all of {@code booster}'s rounds, one per row. The array is this object's own (read it, do
   * not change it) unless XGBoost predicts the set, in which case it is {@code into} (or a new one).
   */
  float[] margins(Booster booster, long handle, float[] into) throws XGBoostError {
    if (handedBack) {
      return FlatPredictions.margins(booster, matrix, api, into);
    }
    int now = api.boostedRounds(handle);
    if (margins == null || now < rounds) {
      margins = FlatPredictions.margins(booster, matrix, api, null);
      rounds = now;
      return margins;
    }
    if (now > rounds) {
      TreeEnsemble added = trees(handle, rounds, now);
      if (added == null) {
        handedBack = true;
        return FlatPredictions.margins(booster, matrix, api, into);
      }
      float[] m = margins;
      float[] x = rows.values();
      int columns = rows.columns();
      int n = m.length;
      PoolChunks.run(pool, PoolChunks.count(n, PARALLEL_ROWS, pool), 0, n, (c, from, to) ->
          added.addTo(m, x, columns, from, to));
      rounds = now;
      if (!checked) {
        checked = true;
        float[] own = FlatPredictions.margins(booster, matrix, api, into);
        if (!Arrays.equals(own, margins)) {
          handedBack = true;
          return own;
        }
      }
    }
    return margins;
  }

  /** Whether the margins are still added here (for tests and the log). */
  boolean addsHere() {
    return !handedBack;
  }

  /** The trees of rounds {@code [from, to)}, or null when the tree reader does not cover them. */
  private TreeEnsemble trees(long handle, int from, int to) throws XGBoostError {
    long sliced = api.slice(handle, from, to);
    byte[][] json = new byte[1][];
    try {
      if (XGBoostJNI.XGBoosterSaveModelToBuffer(sliced, "json", json) != 0) {
        throw new XGBoostError(XGBoostJNI.XGBGetLastError());
      }
    } finally {
      api.freeBooster(sliced);
    }
    TreeModelReader.Compiled compiled = TreeModelReader.compile(json[0]);
    if (!(compiled instanceof TreeModelReader.Compiled.Ready ready) || ready.ensemble().groups() != 1
        || rows.rows() != margins.length) {
      return null;
    }
    return ready.ensemble();
  }
}
