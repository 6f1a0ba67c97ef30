package dev.sagebox.engine.xgboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.TextFormat;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.ChannelInput;
import dev.sagebox.engine.model.Column;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.model.Predictor;
import dev.sagebox.engine.model.PredictorOptions;
import dev.sagebox.engine.model.RecordingListener;
import dev.sagebox.engine.model.TrainingRequest;
import dev.sagebox.engine.xgboost.capi.CApiAccess;
import dev.sagebox.engine.xgboost.capi.XGBoostCApi;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import ml.dmlc.xgboost4j.java.DMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** External-memory training: CSV streamed in blocks into XGBoost's paged quantile matrix. */
class ExternalMemoryTest {
  @TempDir
  Path tmp;

  private final RecordingListener listener = new RecordingListener();
  private final XGBoostParams params = XGBoostParams.parse(Map.of("num_round", "5",
      "objective", "binary:logistic"), w -> { });

  /** label = x0 + x1 > 0 with noise; three features; a few empty (missing) cells. */
  private static String rows(int n, long seed) {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      double a = r.nextGaussian();
      double b = r.nextGaussian();
      int label = a + b + 0.3 * r.nextGaussian() > 0 ? 1 : 0;
      String c = r.nextInt(40) == 0 ? "" : String.format(Locale.ROOT, "%.4f", r.nextGaussian());
      sb.append(String.format(Locale.ROOT, "%d,%.4f,%.4f,%s%n", label, a, b, c));
    }
    return sb.toString();
  }

  private Path write(String dir, String name, String text, boolean gzip) throws IOException {
    Path d = Files.createDirectories(tmp.resolve(dir));
    Path f = d.resolve(name);
    try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(f)) : Files.newOutputStream(f)) {
      out.write(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    return f;
  }

  private static List<float[]> drain(StreamedCsvBlocks blocks) throws Exception {
    List<float[]> labels = new ArrayList<>();
    for (RowBlocks.Block b = blocks.next(); b != null; b = blocks.next()) {
      labels.add(b.rows().labels());
      assertThat(b.rows().features().columns()).isEqualTo(3);
    }
    return labels;
  }

  @Test
  void blocksCoverEveryRowOfEveryFileOnEachPass() throws Exception {
    String first = rows(700, 1);
    String second = rows(500, 2);
    List<Path> files = List.of(write("train", "a.csv", first, false), write("train", "b.csv.gz", second, true));
    try (StreamedCsvBlocks blocks = new StreamedCsvBlocks("train", files, false, 2, params, 4096, () -> false)) {
      for (int pass = 0; pass < 2; pass++) {
        blocks.reset();
        List<float[]> labels = drain(blocks);
        assertThat(labels.size()).isGreaterThan(5); // ~29 KB of text in 4 KB blocks
        float[] all = labels.stream().reduce(new float[0], (x, y) -> {
          float[] z = java.util.Arrays.copyOf(x, x.length + y.length);
          System.arraycopy(y, 0, z, x.length, y.length);
          return z;
        });
        String expected = (first + second).lines().map(l -> l.substring(0, 1) + ".0")
            .reduce("", (x, y) -> x + y + ";");
        StringBuilder got = new StringBuilder();
        for (float v : all) {
          got.append(v).append(';');
        }
        assertThat(got.toString()).isEqualTo(expected);
      }
      assertThat(blocks.rows()).isEqualTo(1200);
    }
  }

  @Test
  void aBadValueIsReportedWithItsFileAndTheLineItsBlockStartsAt() throws Exception {
    String text = rows(900, 3);
    int line = 800; // 1-based line 801 gets a bad value
    List<String> lines = new ArrayList<>(text.lines().toList());
    lines.set(line, "1,0.5,abc,0.25");
    Path f = write("train", "bad.csv", String.join("\n", lines) + "\n", false);
    try (StreamedCsvBlocks blocks = new StreamedCsvBlocks("train", List.of(f), false, 2, params, 4096, () -> false)) {
      assertThatThrownBy(() -> drain(blocks)).isInstanceOf(UserError.class)
          .hasMessageContaining("train/bad.csv (block from line ").hasMessageContaining("abc");
    }
  }

  @Test
  void aBadLabelInALaterBlockIsNamedByItsFileAndLine() throws Exception {
    List<String> lines = new ArrayList<>(rows(900, 4).lines().toList());
    lines.set(812, "2,0.5,0.5,0.25"); // line 813 of b.csv.gz
    List<Path> files = List.of(write("train", "a.csv", rows(300, 5), false),
        write("train", "b.csv.gz", String.join("\n", lines) + "\n", true));
    try (StreamedCsvBlocks blocks = new StreamedCsvBlocks("train", files, false, 2, params, 4096, () -> false)) {
      assertThatThrownBy(() -> drain(blocks)).isInstanceOf(UserError.class)
          .hasMessageStartingWith("train/b.csv.gz, line 813: label 2.0 is not valid for objective binary:logistic");
    }
  }

  @Test
  void rowsOfAnotherWidthAreRefused() throws Exception {
    Path a = write("train", "a.csv", rows(100, 4), false);
    Path b = write("train", "b.csv", "1,0.5,0.5\n0,0.1,0.2\n", false);
    try (StreamedCsvBlocks blocks = new StreamedCsvBlocks("train", List.of(a, b), false, 2, params, 4096, () -> false)) {
      assertThatThrownBy(() -> drain(blocks)).isInstanceOf(UserError.class)
          .hasMessageContaining("rows have 3 columns, but earlier rows of channel 'train' have 4");
    }
  }

  @Test
  void thePagedMatrixHoldsEveryRowAndItsLabel() throws Exception {
    XGBoostCApi api = CApiAccess.open(w -> { }).orElseThrow();
    String text = rows(3000, 5);
    Path f = write("train", "a.csv", text, false);
    try (StreamedCsvBlocks blocks = new StreamedCsvBlocks("train", List.of(f), false, 2, params, 8192, () -> false)) {
      DMatrix m = new QuantileMatrices(api, 2, 256).external(blocks, 3, null, tmp.resolve("pages/train"));
      try {
        assertThat(m.rowNum()).isEqualTo(3000);
        float[] labels = m.getLabel();
        assertThat(labels[0]).isEqualTo(Float.parseFloat(text.substring(0, 1)));
        assertThat(labels).hasSize(3000);
        try (Stream<Path> pages = Files.list(tmp.resolve("pages"))) {
          assertThat(pages.count()).isPositive(); // XGBoost wrote its pages under the prefix
        }
      } finally {
        m.dispose();
      }
    }
  }

  @Test
  void trainsFromExternalMemoryAndCleansUpItsPages() throws Exception {
    Map<String, ChannelInput> channels = new HashMap<>();
    channels.put("train", new ChannelInput("train", List.of(write("train", "a.csv", rows(4000, 6), false)),
        TextFormat.CSV));
    channels.put("validation", new ChannelInput("validation",
        List.of(write("validation", "v.csv.gz", rows(1000, 7), true)), null));
    Path model = tmp.resolve("model");
    List<Path> before = pagesFolders();
    ModelManifest m = new XGBoostAlgorithm("test", listener.warnings::add).train(new TrainingRequest(Map.of(
        "num_round", "20", "objective", "binary:logistic", "eval_metric", "auc", "max_depth", "3",
        "data_matrix", "external"), channels, model, Optional.empty(), 2, listener, () -> false));
    assertThat(m.featureCount()).isEqualTo(3);
    assertThat(listener.metricLines).hasSize(20);
    double auc = Double.parseDouble(listener.metricLines.get(19).replaceAll(".*validation-auc:", ""));
    assertThat(auc).isGreaterThan(0.9);
    assertThat(listener.infos).anyMatch(l -> l.startsWith("external memory: pages built in"));
    assertThat(pagesFolders()).isEqualTo(before);
    try (Predictor p = new XGBoostAlgorithm("test", w -> { }).load(model, m, PredictorOptions.defaults())) {
      float[] score = ((Column.Scalars) p.predict(new DenseBatch(2, 3, new float[] {2f, 2f, 0f, -2f, -2f, 0f}))
          .columns().get("score")).values();
      assertThat(score[0]).isGreaterThan(0.9f);
      assertThat(score[1]).isLessThan(0.1f);
    }
  }

  @Test
  void whatExternalMemoryCannotStreamIsRefusedWithTheReason() throws Exception {
    Map<String, ChannelInput> channels = new HashMap<>();
    channels.put("train", new ChannelInput("train", List.of(write("train", "a.svm", "1 1:0.5 2:0.25\n0 1:0.1\n",
        false)), null));
    TrainingRequest libsvm = new TrainingRequest(Map.of("num_round", "2", "data_matrix", "external"), channels,
        tmp.resolve("model"), Optional.empty(), 2, listener, () -> false);
    assertThatThrownBy(() -> new XGBoostAlgorithm("test", w -> { }).train(libsvm)).isInstanceOf(UserError.class)
        .hasMessageContaining("looks like LIBSVM; external memory streams CSV only");
    channels.put("train", new ChannelInput("train", List.of(write("train2", "a.csv", rows(50, 8), false)), null));
    TrainingRequest kfold = new TrainingRequest(Map.of("num_round", "2", "data_matrix", "external", "_kfold", "3"),
        channels, tmp.resolve("model"), Optional.empty(), 2, listener, () -> false);
    assertThatThrownBy(() -> new XGBoostAlgorithm("test", w -> { }).train(kfold)).isInstanceOf(UserError.class)
        .hasMessageContaining("_kfold is set");
  }

  @Test
  void aStopRequestEndsThePageBuildingAtTheNextBlock() throws Exception {
    Map<String, ChannelInput> channels = new HashMap<>();
    channels.put("train", new ChannelInput("train", List.of(write("train", "a.csv", rows(3000, 10), false)), null));
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean(true);
    TrainingRequest stopped = new TrainingRequest(Map.of("num_round", "5", "data_matrix", "external"), channels,
        tmp.resolve("model"), Optional.empty(), 2, listener, stop::get);
    List<Path> before = pagesFolders();
    assertThatThrownBy(() -> new XGBoostAlgorithm("test", w -> { }).train(stopped))
        .isInstanceOf(dev.sagebox.engine.model.TrainingInterrupted.class)
        .hasMessageContaining("stopped on request while reading channel 'train'");
    assertThat(pagesFolders()).isEqualTo(before);
  }

  @Test
  void aChannelWithoutRowsIsAClearError() throws Exception {
    Map<String, ChannelInput> channels = new HashMap<>();
    channels.put("train", new ChannelInput("train", List.of(write("train", "empty.csv", "\n\n", false)), null));
    TrainingRequest empty = new TrainingRequest(Map.of("num_round", "2", "data_matrix", "external"), channels,
        tmp.resolve("model"), Optional.empty(), 2, listener, () -> false);
    assertThatThrownBy(() -> new XGBoostAlgorithm("test", w -> { }).train(empty)).isInstanceOf(UserError.class)
        .hasMessageContaining("channel 'train' has no rows");
  }

  @Test
  void autoPicksExternalMemoryOnlyForDataLargerThanHalfTheHeap() throws Exception {
    ChannelInput small = new ChannelInput("train", List.of(write("train", "a.csv", rows(10, 9), false)), null);
    assertThat(ExternalMemory.wanted(DataMatrix.AUTO, small, null)).isFalse();
    assertThat(ExternalMemory.wanted(DataMatrix.EXTERNAL, small, null)).isTrue();
    assertThat(ExternalMemory.wanted(DataMatrix.FLOAT, small, null)).isFalse();
    // A sparse file whose apparent size exceeds the heap: its float copy would not fit.
    Path big = tmp.resolve("big.csv");
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(Runtime.getRuntime().maxMemory() * 3);
    }
    assertThat(ExternalMemory.wanted(DataMatrix.AUTO, new ChannelInput("train", List.of(big), null), null)).isTrue();
  }

  private static List<Path> pagesFolders() throws IOException {
    try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return s.filter(p -> p.getFileName().toString().startsWith("sagebox-xgboost-pages-")).sorted().toList();
    }
  }
}
