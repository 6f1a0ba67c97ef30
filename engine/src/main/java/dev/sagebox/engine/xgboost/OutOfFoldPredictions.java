package dev.sagebox.engine.xgboost;

import dev.sagebox.engine.error.AlgorithmError;
import dev.sagebox.engine.error.PlatformError;
import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The predictions each row got while it was in a validation fold, written as the built-in writes them
 * ({@code predictions.csv} in the output data folder, one line per row of train then validation, numbers as
 * {@code %f}): the label and the mean prediction over the repetitions for regression; for classification the label,
 * the mean probability of the predicted class, and the most frequent predicted class (the smallest on ties).
 */
final class OutOfFoldPredictions {
  static final String FILE = "predictions.csv";

  private final float[] labels;
  private final int repeats;
  private final boolean classification;
  private final float[] predicted;
  private final float[] probability;
  private final int[] recorded;

  OutOfFoldPredictions(float[] labels, int repeats, boolean classification) {
    this.labels = labels;
    this.repeats = repeats;
    this.classification = classification;
    this.predicted = new float[Math.multiplyExact(labels.length, repeats)];
    this.probability = classification ? new float[predicted.length] : null;
    this.recorded = new int[labels.length];
  }

  /** A regression prediction (or a class without probability) for {@code row}. */
  void record(int row, float value) {
    record(row, value, value);
  }

  /** A predicted class and its probability for {@code row}. */
  void record(int row, float value, float prob) {
    int r = recorded[row]++;
    if (r >= repeats) {
      throw new AlgorithmError("row " + row + " got more than " + repeats + " validation predictions", null);
    }
    predicted[row * repeats + r] = value;
    if (probability != null) {
      probability[row * repeats + r] = prob;
    }
  }

  void write(Path dir) {
    for (int i = 0; i < recorded.length; i++) {
      if (recorded[i] != repeats) {
        throw new AlgorithmError("row " + i + " got " + recorded[i] + " validation predictions instead of "
            + repeats, null);
      }
    }
    Path file = dir.resolve(FILE);
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve("." + FILE + ".tmp");
      try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        StringBuilder line = new StringBuilder(64);
        for (int i = 0; i < labels.length; i++) {
          line.setLength(0);
          line.append(fixed(labels[i]));
          if (classification) {
            line.append(',').append(fixed(mean(probability, i))).append(',').append(fixed(mode(i)));
          } else {
            line.append(',').append(fixed(mean(predicted, i)));
          }
          w.append(line).append('\n');
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new PlatformError("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private double mean(float[] values, int row) {
    double sum = 0;
    for (int r = 0; r < repeats; r++) {
      sum += values[row * repeats + r];
    }
    return sum / repeats;
  }

  /** The most frequent value among the row's repetitions; the smallest of them on ties. */
  private double mode(int row) {
    float best = Float.NaN;
    int bestCount = 0;
    for (int r = 0; r < repeats; r++) {
      float v = predicted[row * repeats + r];
      int count = 0;
      for (int q = 0; q < repeats; q++) {
        count += predicted[row * repeats + q] == v ? 1 : 0;
      }
      if (count > bestCount || (count == bestCount && v < best)) {
        best = v;
        bestCount = count;
      }
    }
    return best;
  }

  /** As C's (and numpy's) {@code %f}: six decimals, exactly rounded; nan and inf spelled as Python does. */
  static String fixed(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    String s = new BigDecimal(v).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
    return v < 0 || (v == 0 && 1 / v < 0) ? (s.startsWith("-") ? s : "-" + s) : s;
  }
}
