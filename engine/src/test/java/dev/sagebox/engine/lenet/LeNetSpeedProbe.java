package dev.sagebox.engine.lenet;

import dev.sagebox.engine.data.ChannelFiles;
import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.model.ModelManifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Measurements behind benchmarks/RESULTS.md "LeNet on SameDiff" and "LeNet training step without SameDiff's session"
 * (not a test). Threads come from OMP_NUM_THREADS.
 * {@code java -cp <test classpath> dev.sagebox.engine.lenet.LeNetSpeedProbe MODE MNIST_TRAIN_DIR ...}:
 * <ul>
 *   <li>{@code iters DIR BATCH N}: ms per SameDiff training iteration (fitGraph; median and mean of N after 10
 *       warm-up ones);</li>
 *   <li>{@code profile DIR BATCH N}: where a SameDiff training iteration's time goes, per op;</li>
 *   <li>{@code ab DIR BATCH N}: the direct step ({@link LeNetTrainingStep}) against SameDiff's fit, iterations
 *       interleaved (two networks with the same initial weights);</li>
 *   <li>{@code sections DIR BATCH N}: where the direct step's time goes;</li>
 *   <li>{@code loops DIR BATCH N}: the direct step with its Java loops on 1 thread against ND4J's thread count,
 *       interleaved;</li>
 *   <li>{@code infer DIR}: 1-image and 1,000-image prediction latency;</li>
 *   <li>{@code concurrent DIR}: 8 threads of single-image predictions through LeNetPredictor with 1 (a lock), 2
 *       and 8 network copies.</li>
 * </ul>
 */
final class LeNetSpeedProbe {
  private LeNetSpeedProbe() {}

  public static void main(String[] args) throws Exception {
    Images data = ImageReader.read("train", ChannelFiles.list(Path.of(args[1])));
    float[] x = LeNetTrainer.scaled(data.pixels(), Math.min(data.count(), 4096));
    LeNetParams p = LeNetParams.parse(Map.of(), m -> { });
    switch (args[0]) {
      case "iters" -> iterations(data, p, Integer.parseInt(args[2]), Integer.parseInt(args[3]), null);
      case "profile" -> {
        OpTimes times = new OpTimes();
        iterations(data, p, Integer.parseInt(args[2]), Integer.parseInt(args[3]), times);
        times.print();
      }
      case "ab" -> directAgainstGraph(data, p, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      case "loops" -> loopThreads(data, p, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      case "sections" -> sections(data, p, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      case "nohelpers" -> noHelpers(data, p, Integer.parseInt(args[2]), Integer.parseInt(args[3]),
          java.util.Set.of(args[4].split(",")));
      case "infer" -> infer(p, x);
      case "concurrent" -> concurrent(p, x);
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  /** The first {@code batch} images and their one-hot labels: features [0], labels [1]. */
  private static INDArray[] firstBatch(Images data, int batch) {
    float[] x = LeNetTrainer.scaled(data.pixels(), batch);
    float[] y = new float[batch * Images.CLASSES];
    for (int i = 0; i < batch; i++) {
      y[i * Images.CLASSES + data.labels()[i]] = 1f;
    }
    return new INDArray[] {Nd4j.createFromArray(x).reshape(batch, Images.SIZE),
        Nd4j.createFromArray(y).reshape(batch, Images.CLASSES)};
  }

  private static void iterations(Images data, LeNetParams p, int batch, int n, OpTimes times) {
    LeNetNetwork net = LeNetNetwork.initial(p);
    net.configureTraining(p);
    INDArray[] xy = firstBatch(data, batch);
    INDArray fx = xy[0];
    INDArray fy = xy[1];
    for (int i = 0; i < 10; i++) {
      net.fitGraph(fx, fy);
    }
    double[] ms = new double[n];
    for (int i = 0; i < n; i++) {
      long t = System.nanoTime();
      if (times == null) {
        net.fitGraph(fx, fy);
      } else {
        net.fitGraph(fx, fy, times);
      }
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    System.out.println(String.format(Locale.ROOT, "samediff train batch %d threads %s: median %.1f ms, mean %.1f ms "
        + "per iteration (%d iterations)", batch, System.getenv("OMP_NUM_THREADS"), median(ms),
        Arrays.stream(ms).average().orElse(0), n));
  }

  /** Interleaved blocks: plain fit against fit with oneDNN turned off for the named ops (OpContext.allowHelpers). */
  private static void noHelpers(Images data, LeNetParams p, int batch, int n, java.util.Set<String> ops) {
    LeNetNetwork net = LeNetNetwork.initial(p);
    net.configureTraining(p);
    INDArray[] xy = firstBatch(data, batch);
    INDArray fx = xy[0];
    INDArray fy = xy[1];
    BaseListener off = new BaseListener() {
      @Override
      public boolean isActive(Operation operation) {
        return true;
      }

      @Override
      public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext ctx) {
        if (ctx != null) {
          ctx.allowHelpers(!ops.contains(op.getOp().opName()));
        }
      }
    };
    for (int i = 0; i < 10; i++) {
      net.fitGraph(fx, fy);
      net.fitGraph(fx, fy, off);
    }
    double[] a = new double[n];
    double[] b = new double[n];
    for (int i = 0; i < n; i++) {
      long t = System.nanoTime();
      net.fitGraph(fx, fy);
      a[i] = (System.nanoTime() - t) / 1e6;
      t = System.nanoTime();
      net.fitGraph(fx, fy, off);
      b[i] = (System.nanoTime() - t) / 1e6;
    }
    System.out.println(String.format(Locale.ROOT, "batch %d: all oneDNN median %.1f ms; without oneDNN for %s median "
        + "%.1f ms", batch, median(a), ops, median(b)));
  }

  private static void directAgainstGraph(Images data, LeNetParams p, int batch, int n) {
    LeNetNetwork graph = LeNetNetwork.initial(p);
    graph.configureTraining(p);
    LeNetNetwork direct = LeNetNetwork.initial(p);
    direct.configureTraining(p);
    INDArray[] xy = firstBatch(data, batch);
    for (int i = 0; i < 10; i++) {
      graph.fitGraph(xy[0], xy[1]);
      direct.fit(xy[0], xy[1]);
    }
    double[] a = new double[n];
    double[] b = new double[n];
    double lossA = 0;
    double lossB = 0;
    for (int i = 0; i < n; i++) {
      long t = System.nanoTime();
      lossA = graph.fitGraph(xy[0], xy[1]);
      a[i] = (System.nanoTime() - t) / 1e6;
      t = System.nanoTime();
      lossB = direct.fit(xy[0], xy[1]);
      b[i] = (System.nanoTime() - t) / 1e6;
    }
    System.out.println(String.format(Locale.ROOT, "batch %d threads %s: SameDiff fit median %.1f ms (mean %.1f), "
        + "direct step median %.1f ms (mean %.1f), ratio %.2f; %d iterations each, interleaved; last losses %.4f / "
        + "%.4f", batch, System.getenv("OMP_NUM_THREADS"), median(a), Arrays.stream(a).average().orElse(0),
        median(b), Arrays.stream(b).average().orElse(0), median(a) / median(b), n, lossA, lossB));
  }

  private static void loopThreads(Images data, LeNetParams p, int batch, int n) {
    LeNetNetwork one = LeNetNetwork.initial(p);
    one.configureTraining(p);
    one.stepThreads(1);
    LeNetNetwork all = LeNetNetwork.initial(p);
    all.configureTraining(p);
    INDArray[] xy = firstBatch(data, batch);
    for (int i = 0; i < 10; i++) {
      one.fit(xy[0], xy[1]);
      all.fit(xy[0], xy[1]);
    }
    double[] a = new double[n];
    double[] b = new double[n];
    for (int i = 0; i < n; i++) {
      long t = System.nanoTime();
      one.fit(xy[0], xy[1]);
      a[i] = (System.nanoTime() - t) / 1e6;
      t = System.nanoTime();
      all.fit(xy[0], xy[1]);
      b[i] = (System.nanoTime() - t) / 1e6;
    }
    System.out.println(String.format(Locale.ROOT, "batch %d, ND4J threads %s: Java loops on 1 thread median %.1f ms, "
        + "on %d threads median %.1f ms (%d iterations each, interleaved)", batch, System.getenv("OMP_NUM_THREADS"),
        median(a), Nd4j.getEnvironment().maxThreads(), median(b), n));
  }

  private static void sections(Images data, LeNetParams p, int batch, int n) {
    LeNetNetwork net = LeNetNetwork.initial(p);
    net.configureTraining(p);
    INDArray[] xy = firstBatch(data, batch);
    for (int i = 0; i < 10; i++) {
      net.fit(xy[0], xy[1]);
    }
    net.step().timeSections(true);
    long t = System.nanoTime();
    for (int i = 0; i < n; i++) {
      net.fit(xy[0], xy[1]);
    }
    double total = (System.nanoTime() - t) / 1e6;
    double[] ms = net.step().sectionMillis();
    LeNetTrainingStep.Section[] names = LeNetTrainingStep.Section.values();
    System.out.println(String.format(Locale.ROOT, "direct step, batch %d threads %s: %.1f ms per iteration",
        batch, System.getenv("OMP_NUM_THREADS"), total / n));
    double inStep = Arrays.stream(ms).sum();
    for (int i = 0; i < ms.length; i++) {
      System.out.println(String.format(Locale.ROOT, "  %-24s %5.1f%%  %6.2f ms per iteration", names[i],
          100 * ms[i] / inStep, ms[i] / n));
    }
    System.out.println(String.format(Locale.ROOT, "  outside the step (batch copies) %.2f ms per iteration",
        (total - inStep) / n));
  }

  private static void infer(LeNetParams p, float[] x) {
    LeNetNetwork net = LeNetNetwork.initial(p);
    float[] one = Arrays.copyOf(x, Images.SIZE);
    float[] thousand = Arrays.copyOf(x, 1000 * Images.SIZE);
    for (int i = 0; i < 50; i++) {
      net.probabilities(one, 1);
    }
    for (int i = 0; i < 3; i++) {
      net.probabilities(thousand, 1000);
    }
    double[] a = new double[500];
    for (int i = 0; i < a.length; i++) {
      long t = System.nanoTime();
      net.probabilities(one, 1);
      a[i] = (System.nanoTime() - t) / 1e6;
    }
    double[] b = new double[20];
    for (int i = 0; i < b.length; i++) {
      long t = System.nanoTime();
      net.probabilities(thousand, 1000);
      b[i] = (System.nanoTime() - t) / 1e6;
    }
    System.out.println(String.format(Locale.ROOT, "samediff predict threads %s: 1 image median %.2f ms, 1,000 images "
        + "median %.1f ms", System.getenv("OMP_NUM_THREADS"), median(a), median(b)));
  }

  private static void concurrent(LeNetParams p, float[] x) throws Exception {
    LeNetWeights w = LeNetInit.xavier(p);
    ModelManifest manifest = new ModelManifest(ModelManifest.CURRENT_FORMAT, LeNetAlgorithm.NAME,
        LeNetWeightsFile.NAME, Images.SIZE, "softmax", Images.CLASSES, "probe", Map.of());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    for (int round = 0; round < 3; round++) {
      for (int copies : new int[] {1, 2, 8}) {
        try (LeNetPredictor predictor = new LeNetPredictor(w, copies, manifest)) {
          int perThread = 300;
          long t = System.nanoTime();
          List<Future<?>> fs = new ArrayList<>();
          for (int th = 0; th < 8; th++) {
            int offset = th;
            fs.add(pool.submit(() -> {
              for (int i = 0; i < perThread; i++) {
                int img = (offset * perThread + i) % 4096;
                float[] one = Arrays.copyOfRange(x, img * Images.SIZE, (img + 1) * Images.SIZE);
                predictor.predict(new DenseBatch(1, Images.SIZE, one));
              }
              return null;
            }));
          }
          for (Future<?> f : fs) {
            f.get();
          }
          double s = (System.nanoTime() - t) / 1e9;
          System.out.println(String.format(Locale.ROOT, "round %d, %d network cop%s: 8 threads x %d single-image "
              + "predictions: %.0f predictions/s", round, copies, copies == 1 ? "y (a lock)" : "ies", perThread,
              8 * perThread / s));
        }
      }
    }
    pool.shutdown();
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  /** Wall time per op type across the measured iterations. */
  private static final class OpTimes extends BaseListener {
    private final Map<String, long[]> byOp = new TreeMap<>();
    private long start;

    @Override
    public boolean isActive(Operation operation) {
      return true;
    }

    @Override
    public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext ctx) {
      start = System.nanoTime();
    }

    @Override
    public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext ctx,
        INDArray[] outputs) {
      long[] t = byOp.computeIfAbsent(op.getOp().opName(), k -> new long[2]);
      t[0] += System.nanoTime() - start;
      t[1]++;
    }

    void print() {
      long total = byOp.values().stream().mapToLong(t -> t[0]).sum();
      byOp.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).forEach(e ->
          System.out.println(String.format(Locale.ROOT, "  %-28s %6.1f%%  %8.2f ms total, %d calls", e.getKey(),
              100.0 * e.getValue()[0] / total, e.getValue()[0] / 1e6, e.getValue()[1])));
      System.out.println(String.format(Locale.ROOT, "  ops total %.1f ms", total / 1e6));
    }
  }
}
