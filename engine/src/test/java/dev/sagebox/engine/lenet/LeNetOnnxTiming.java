package dev.sagebox.engine.lenet;

import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.model.PredictorOptions;
import dev.sagebox.engine.onnx.OnnxModelWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Quick wall-clock timing (not JMH) of LeNet through ONNX Runtime, default widths (20, 50, 500) with random
 * weights: 1 image and 1,000 images per call, 1 and 2 intra-op threads. Run by hand:
 * {@code java -cp engine/target/classes:engine/target/test-classes:<test class path>
 * dev.sagebox.engine.lenet.LeNetOnnxTiming}.
 */
final class LeNetOnnxTiming {
  private LeNetOnnxTiming() {}

  public static void main(String[] args) throws Exception {
    Path file = Files.createTempDirectory("lenet-timing").resolve(OnnxModelWriter.FILE_NAME);
    LeNetOnnx.write(LeNetOnnxTest.randomWeights(20, 50, 500, 1), file);
    ModelManifest manifest = new ModelManifest(ModelManifest.CURRENT_FORMAT, "lenet", "lenet-model.zip",
        Images.SIZE, "multiclass", Images.CLASSES, "timing", Map.of());
    float[] pixels = LeNetOnnxTest.randomImages(1000, 1);
    DenseBatch one = new DenseBatch(1, Images.SIZE, Arrays.copyOf(pixels, Images.SIZE));
    DenseBatch thousand = new DenseBatch(1000, Images.SIZE, pixels);
    for (int threads : new int[] {1, 2}) {
      try (OnnxLeNetPredictor p = OnnxLeNetPredictor.open(file, manifest, new PredictorOptions(List.of(), threads))) {
        System.out.printf(Locale.ROOT, "LeNet ONNX Runtime, %d thread(s): 1 image %.3f ms, 1,000 images %.1f ms%n",
            threads, millisPerCall(p, one, 2000), millisPerCall(p, thousand, 20));
      }
    }
  }

  /** Median over 7 rounds of the mean time per call, after a warm-up of as many calls. */
  private static double millisPerCall(OnnxLeNetPredictor p, DenseBatch b, int calls) {
    for (int i = 0; i < calls; i++) {
      p.predict(b);
    }
    double[] rounds = new double[7];
    for (int r = 0; r < rounds.length; r++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < calls / 4; i++) {
        p.predict(b);
      }
      rounds[r] = (System.nanoTime() - t0) / 1e6 / (calls / 4);
    }
    Arrays.sort(rounds);
    return rounds[rounds.length / 2];
  }
}
