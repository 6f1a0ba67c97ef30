package dev.sagebox.engine.xgboost;

import dev.sagebox.engine.xgboost.trees.EvaluatorCheck;
import dev.sagebox.engine.xgboost.trees.TreeEnsemble;
import dev.sagebox.engine.xgboost.trees.TreeModelReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * The Java evaluators that answer small dense batches in place of XGBoost's native call: one per booster, where
 * the booster compiles ({@link TreeModelReader}) and agrees with XGBoost on probe rows ({@link EvaluatorCheck});
 * null where it does not, and XGBoost answers alone.
 */
final class SmallBatchEvaluators {
  /**
   * Largest batch the Java evaluator answers. Measured with TreeEvaluatorBenchmark (100 trees, depth 6, 28 features,
   * one thread, load 7-9): 2.8 us against 200 us for one row, 29 us against 240 us for 10, on par at about 100 rows,
   * 7.3 ms against 2.9 ms for 1,000. XGBoost takes the larger batches, where it can also use several threads.
   */
  static final int MAX_ROWS = 64;

  private SmallBatchEvaluators() {}

  static List<TreeEnsemble> of(List<Booster> boosters, List<Path> files, int columns, Consumer<String> warnings) {
    List<TreeEnsemble> out = new ArrayList<>();
    for (int i = 0; i < boosters.size(); i++) {
      out.add(compile(boosters.get(i), files.get(i), columns, warnings));
    }
    return out;
  }

  private static TreeEnsemble compile(Booster booster, Path file, int columns, Consumer<String> warnings) {
    try {
      TreeModelReader.Compiled compiled = TreeModelReader.compile(booster.toByteArray("json"));
      if (!(compiled instanceof TreeModelReader.Compiled.Ready ready)) {
        return null;
      }
      Optional<String> mismatch = EvaluatorCheck.mismatch(ready.ensemble(), booster, columns);
      if (mismatch.isPresent()) {
        warnings.accept(file.getFileName() + ": the Java tree evaluator disagrees with XGBoost (" + mismatch.get()
            + "); XGBoost answers every request for this model");
        return null;
      }
      return ready.ensemble();
    } catch (XGBoostError e) {
      warnings.accept(file.getFileName() + ": no Java tree evaluator (" + XGBoostTrainer.firstLine(e.getMessage())
          + "); XGBoost answers every request for this model");
      return null;
    }
  }
}
