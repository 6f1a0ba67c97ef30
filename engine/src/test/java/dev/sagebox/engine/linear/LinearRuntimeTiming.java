package dev.sagebox.engine.linear;

import dev.sagebox.engine.data.ChannelLoader;
import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.TextFormat;
import dev.sagebox.engine.model.ChannelInput;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.model.Predictor;
import dev.sagebox.engine.model.PredictorOptions;
import dev.sagebox.engine.model.PredictorOptions.ModelRuntime;
import dev.sagebox.engine.model.RecordingListener;
import dev.sagebox.engine.model.TrainingRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Quick wall-clock timing (not JMH: no forking, simple warm-up) of linear-learner prediction, Java predictor against
 * ONNX Runtime, 1 row and 1,000 rows per call, one thread. Run by hand:
 * {@code java -cp engine/target/classes:engine/target/test-classes:<test class path>
 * dev.sagebox.engine.linear.LinearRuntimeTiming [shared data folder]}.
 */
final class LinearRuntimeTiming {
  private LinearRuntimeTiming() {}

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args.length > 0 ? args[0] : "../shared/data").resolve("tabular");
    Path tmp = Files.createTempDirectory("ll-timing");
    for (String[] set : new String[][] {{"breast_cancer", "binary_classifier", "0"},
        {"digits", "multiclass_classifier", "10"}, {"diabetes", "regressor", "0"}}) {
      Map<String, String> hp = new HashMap<>(Map.of("predictor_type", set[1], "epochs", "5"));
      if (!set[2].equals("0")) {
        hp.put("num_classes", set[2]);
      }
      Path model = tmp.resolve(set[0]);
      Path csv = data.resolve(set[0]).resolve("train/" + set[0] + ".csv");
      LinearLearnerAlgorithm algorithm = new LinearLearnerAlgorithm("timing");
      algorithm.train(new TrainingRequest(hp, Map.of("train", new ChannelInput("train", List.of(csv),
          TextFormat.CSV)), model, Optional.empty(), 1, new RecordingListener(), () -> false));
      DenseBatch rows = (DenseBatch) new ChannelLoader(1).load(new ChannelInput("t", List.of(csv), TextFormat.CSV),
          false).features();
      int f = rows.columns();
      float[] big = new float[1000 * f];
      for (int i = 0; i < big.length; i++) {
        big[i] = rows.values()[i % rows.values().length];
      }
      DenseBatch one = new DenseBatch(1, f, Arrays.copyOf(rows.values(), f));
      DenseBatch thousand = new DenseBatch(1000, f, big);
      for (ModelRuntime runtime : ModelRuntime.values()) {
        try (Predictor p = algorithm.load(model, ModelManifest.readIfPresent(model),
            new PredictorOptions(List.of(), 1, true, runtime))) {
          double perRow = microsPerCall(p, one, 20_000);
          double perBatch = microsPerCall(p, thousand, 300);
          System.out.printf(Locale.ROOT, "%-14s %-22s %-7s 1 row: %8.2f us   1,000 rows: %9.1f us%n", set[0],
              p.getClass().getSimpleName(), runtime.wireName(), perRow, perBatch);
        }
      }
    }
  }

  /** Median over 7 rounds of the mean time per call, after a warm-up of as many calls. */
  private static double microsPerCall(Predictor p, DenseBatch b, int calls) {
    for (int i = 0; i < calls; i++) {
      p.predict(b);
    }
    double[] rounds = new double[7];
    for (int r = 0; r < rounds.length; r++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < calls / 4; i++) {
        p.predict(b);
      }
      rounds[r] = (System.nanoTime() - t0) / 1e3 / (calls / 4);
    }
    Arrays.sort(rounds);
    return rounds[rounds.length / 2];
  }
}
