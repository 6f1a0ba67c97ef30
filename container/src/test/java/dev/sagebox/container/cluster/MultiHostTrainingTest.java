package dev.sagebox.container.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * XGBoost on 2 and 3 hosts as separate trainer processes on loopback, each with its own /opt/ml tree and the
 * resourceconfig.json SageMaker would write: the model against one host on all the data, who writes what, and the
 * faults (a host killed mid-training, a host that never starts, hosts whose data differ).
 */
class MultiHostTrainingTest {
  private static final int FEATURES = 8;
  private static List<String> trainRows;
  private static List<String> validationRows;

  @TempDir
  Path tmp;

  @BeforeAll
  static void data() {
    trainRows = rows(new Random(11), 12_000);
    validationRows = rows(new Random(12), 4_000);
  }

  /** A binary task with a non-linear boundary and label noise: a few percent of AUC between good and bad models. */
  static List<String> rows(Random r, int n) {
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double[] x = new double[FEATURES];
      for (int j = 0; j < FEATURES; j++) {
        x[j] = r.nextGaussian();
      }
      double z = x[0] * x[1] + Math.sin(2 * x[2]) + 0.5 * x[3] - 0.3 * x[4] * x[4] + 0.8 * r.nextGaussian();
      StringBuilder s = new StringBuilder(z > 0 ? "1" : "0");
      for (double v : x) {
        s.append(',').append(String.format(Locale.ROOT, "%.5f", v));
      }
      out.add(s.toString());
    }
    return out;
  }

  /** One host's /opt/ml tree: its part of train, all of validation, the job's hyperparameters and hosts. */
  private Path tree(String host, List<String> hosts, List<String> train, String hyperparameters,
      String distribution) throws IOException {
    Path base = tmp.resolve(host);
    Files.createDirectories(base.resolve("input/config"));
    Files.createDirectories(base.resolve("input/data/train"));
    Files.createDirectories(base.resolve("input/data/validation"));
    Files.write(base.resolve("input/data/train/part.csv"), train);
    Files.write(base.resolve("input/data/validation/all.csv"), validationRows);
    Files.writeString(base.resolve("input/config/hyperparameters.json"), hyperparameters);
    Files.writeString(base.resolve("input/config/inputdataconfig.json"), "{\"train\": {\"ContentType\": "
        + "\"text/csv\", \"S3DistributionType\": \"" + distribution + "\"}, \"validation\": {\"ContentType\": "
        + "\"text/csv\", \"S3DistributionType\": \"FullyReplicated\"}}");
    Files.writeString(base.resolve("input/config/resourceconfig.json"), "{\"current_host\": \"" + host
        + "\", \"hosts\": [" + hosts.stream().map(h -> "\"" + h + "\"").collect(Collectors.joining(", "))
        + "], \"network_interface_name\": \"eth0\"}");
    return base;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Process trainer(Path base, List<String> hosts, int port, Map<String, String> extra)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "--add-modules", "jdk.incubator.foreign",
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        "dev.sagebox.container.Main", "train").redirectErrorStream(true)
        .redirectOutput(base.resolve("process.log").toFile());
    pb.environment().put("SAGEMAKER_BASE_DIR", base.toString());
    pb.environment().put("SAGEBOX_THREADS", "1");
    pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
    pb.environment().put("SAGEBOX_HOSTS", hosts.stream().map(h -> h + "=127.0.0.1")
        .collect(Collectors.joining(",")));
    pb.environment().put("SAGEBOX_TRACKER_PORT", Integer.toString(port));
    pb.environment().putAll(extra);
    return pb.start();
  }

  private static int await(Process p, int seconds) throws InterruptedException {
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("a trainer did not finish within " + seconds + " s");
    }
    return p.exitValue();
  }

  private static String log(Path base) throws IOException {
    return Files.readString(base.resolve("process.log"), StandardCharsets.UTF_8);
  }

  private static String failure(Path base) throws IOException {
    Path f = base.resolve("output/failure");
    return Files.exists(f) ? Files.readAllLines(f).get(0) : "(no output/failure)";
  }

  private static List<String> hosts(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> "algo-" + i).toList();
  }

  /** Row i goes to host i mod n (ShardedByS3Key gives each host its own files; the split is the same idea). */
  private static List<String> shard(int host, int n) {
    List<String> out = new ArrayList<>();
    for (int i = host; i < trainRows.size(); i += n) {
      out.add(trainRows.get(i));
    }
    return out;
  }

  private static final String HP = "{\"objective\": \"binary:logistic\", \"num_round\": \"40\", \"max_depth\": "
      + "\"4\", \"eta\": \"0.2\", \"eval_metric\": \"auc\"}";

  /** Runs one job on {@code n} hosts (n = 1: the one host has all of train) and returns the hosts' trees. */
  private List<Path> job(int n, String hyperparameters, Map<String, String> env) throws Exception {
    List<String> names = hosts(n);
    // resourceconfig.json lists hosts sorted; write them shuffled to check that Sagebox sorts them.
    List<String> listed = new ArrayList<>(names);
    java.util.Collections.reverse(listed);
    int port = freePort();
    List<Path> trees = new ArrayList<>();
    List<Process> processes = new ArrayList<>();
    for (int h = 0; h < n; h++) {
      Path t = tree(names.get(h) + (n == 1 ? "-alone" : "-of-" + n), listed, shard(h, n), hyperparameters,
          n == 1 ? "FullyReplicated" : "ShardedByS3Key");
      rewriteCurrentHost(t, names.get(h), listed);
      trees.add(t);
    }
    // The leader starts last: the others wait for its tracker.
    for (int h = n - 1; h >= 0; h--) {
      processes.add(trainer(trees.get(h), names, port, env));
    }
    for (int i = 0; i < processes.size(); i++) {
      Path t = trees.get(n - 1 - i);
      int code = await(processes.get(i), 180);
      assertThat(code).as("exit code of %s; output/failure: %s; log:%n%s", t, failure(t), log(t)).isZero();
    }
    return trees;
  }

  private static void rewriteCurrentHost(Path base, String host, List<String> listed) throws IOException {
    Files.writeString(base.resolve("input/config/resourceconfig.json"), "{\"current_host\": \"" + host
        + "\", \"hosts\": [" + listed.stream().map(h -> "\"" + h + "\"").collect(Collectors.joining(", "))
        + "], \"network_interface_name\": \"eth0\"}");
  }

  private static double validationAuc(Path modelDir) throws Exception {
    Booster b = XGBoost.loadModel(Files.readAllBytes(modelDir.resolve("xgboost-model")));
    float[] x = new float[validationRows.size() * FEATURES];
    float[] y = new float[validationRows.size()];
    for (int i = 0; i < validationRows.size(); i++) {
      String[] f = validationRows.get(i).split(",");
      y[i] = Float.parseFloat(f[0]);
      for (int j = 0; j < FEATURES; j++) {
        x[i * FEATURES + j] = Float.parseFloat(f[j + 1]);
      }
    }
    DMatrix d = new DMatrix(x, y.length, FEATURES, Float.NaN);
    float[][] p = b.predict(d);
    d.dispose();
    b.dispose();
    return auc(p, y);
  }

  /** Rank AUC (ties averaged). */
  static double auc(float[][] p, float[] y) {
    Integer[] order = new Integer[y.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Float.compare(p[a][0], p[b][0]));
    double rankSum = 0;
    long pos = 0;
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j + 1 < order.length && p[order[j + 1]][0] == p[order[i]][0]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        if (y[order[k]] > 0.5) {
          rankSum += rank;
          pos++;
        }
      }
      i = j + 1;
    }
    long neg = y.length - pos;
    return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }

  /** Waits (up to 120 s) until the leader has printed {@code rounds} metric lines. */
  private static void awaitRounds(Path leader, Process process, int rounds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (metricLines(log(leader)) < rounds) {
      assertThat(System.nanoTime()).as("the leader printed %d rounds; log:%n%s", rounds, log(leader))
          .isLessThan(deadline);
      assertThat(process.isAlive()).as("leader alive; log:%n%s", log(leader)).isTrue();
      Thread.sleep(100);
    }
  }

  /** Two hosts' trees and their trainers on one port: the leader algo-1 and algo-2. */
  private record TwoHosts(Path leader, Path other, Process p1, Process p2) {}

  private TwoHosts twoHosts(List<String> first, List<String> second, String hyperparameters) throws IOException {
    List<String> names = hosts(2);
    int port = freePort();
    Path leader = tree("algo-1", names, first, hyperparameters, "ShardedByS3Key");
    Path other = tree("algo-2", names, second, hyperparameters, "ShardedByS3Key");
    return new TwoHosts(leader, other, trainer(leader, names, port, Map.of()), trainer(other, names, port, Map.of()));
  }

  private static long metricLines(String log) {
    return log.lines().filter(l -> l.matches("^\\[\\d+\\]\\t.*")).count();
  }

  @Test
  void twoHostsOnHalvesMatchOneHostOnAllTheData() throws Exception {
    Path alone = job(1, HP, Map.of()).get(0);
    List<Path> two = job(2, HP, Map.of());
    double one = validationAuc(alone.resolve("model"));
    double distributed = validationAuc(two.get(0).resolve("model"));
    assertThat(distributed).as("validation AUC on 2 hosts vs 1 host (%s)", one).isCloseTo(one,
        org.assertj.core.data.Offset.offset(0.005));
    assertThat(one).isGreaterThan(0.75);
    // The leader prints the metric lines (once per round) and writes the model; the other host neither.
    assertThat(metricLines(log(two.get(0)))).isEqualTo(40);
    assertThat(metricLines(log(two.get(1)))).isZero();
    assertThat(two.get(1).resolve("model/xgboost-model")).doesNotExist();
    assertThat(two.get(1).resolve("output/success")).exists();
    assertThat(log(two.get(1))).contains("written by the leader host");
    assertThat(log(two.get(0))).contains("channel 'train' rows per host: algo-1 6000, algo-2 6000")
        .contains("is ShardedByS3Key");
  }

  @Test
  void threeHostsTrainTogetherAndEarlyStoppingIsTheSameDecisionEverywhere() throws Exception {
    String hp = "{\"objective\": \"binary:logistic\", \"num_round\": \"500\", \"max_depth\": \"6\", \"eta\": "
        + "\"0.5\", \"eval_metric\": \"logloss\", \"early_stopping_rounds\": \"5\"}";
    List<Path> three = job(3, hp, Map.of());
    String leader = log(three.get(0));
    assertThat(leader).contains("Stopping. Best iteration:");
    java.util.regex.Matcher trained = java.util.regex.Pattern.compile("trained (\\d+) round\\(s\\)").matcher(leader);
    assertThat(trained.find()).isTrue();
    long rounds = Long.parseLong(trained.group(1));
    assertThat(rounds).isLessThan(500);
    // One metric line per round, plus the best round repeated after "Stopping".
    assertThat(metricLines(leader)).isEqualTo(rounds + 1);
    for (Path t : three.subList(1, 3)) {
      // Every host stopped after the same round: the metric values are reduced over all hosts.
      assertThat(log(t)).contains("trained " + rounds + " round(s)");
      assertThat(t.resolve("model/xgboost-model")).doesNotExist();
    }
    assertThat(three.get(0).resolve("model/xgboost-model")).exists();
    assertThat(validationAuc(three.get(0).resolve("model"))).isGreaterThan(0.75);
  }

  @Test
  void aHostKilledMidTrainingEndsTheOthersWithItsName() throws Exception {
    String slow = "{\"objective\": \"binary:logistic\", \"num_round\": \"100000\", \"max_depth\": \"8\", "
        + "\"eval_metric\": \"auc\"}";
    TwoHosts job = twoHosts(shard(0, 2), shard(1, 2), slow);
    Path leader = job.leader();
    Process p1 = job.p1();
    Process p2 = job.p2();
    awaitRounds(leader, p1, 5);
    p2.destroyForcibly();
    long killed = System.nanoTime();
    int code = await(p1, 60);
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - killed)).isLessThan(60);
    assertThat(code).isNotZero();
    assertThat(failure(leader)).startsWith("host algo-1: training stopped in round")
        .contains("another host exited or cannot be reached");
    assertThat(leader.resolve("model/xgboost-model")).doesNotExist();
  }

  @Test
  void sigtermToAnyHostStopsAllOfThemAndTheLeaderSavesWhenAsked() throws Exception {
    String slow = "{\"objective\": \"binary:logistic\", \"num_round\": \"100000\", \"max_depth\": \"8\", "
        + "\"eval_metric\": \"auc\", \"save_model_on_termination\": \"true\"}";
    TwoHosts job = twoHosts(shard(0, 2), shard(1, 2), slow);
    Path leader = job.leader();
    Path other = job.other();
    Process p1 = job.p1();
    Process p2 = job.p2();
    awaitRounds(leader, p1, 5);
    p2.destroy(); // SIGTERM to the host that is not the leader
    assertThat(await(p2, 60)).isEqualTo(143);
    assertThat(await(p1, 60)).as(log(leader)).isZero();
    assertThat(leader.resolve("model/xgboost-model")).exists();
    assertThat(other.resolve("model/xgboost-model")).doesNotExist();
    assertThat(validationAuc(leader.resolve("model"))).isGreaterThan(0.7);
  }

  @Test
  void checkpointsAreWrittenByTheLeaderAndResumedOnEveryHost() throws Exception {
    List<String> names = hosts(2);
    String six = HP.replace("\"num_round\": \"40\"", "\"num_round\": \"6\"");
    Path leader = tree("algo-1", names, shard(0, 2), six, "ShardedByS3Key");
    Path other = tree("algo-2", names, shard(1, 2), six, "ShardedByS3Key");
    Files.createDirectories(leader.resolve("checkpoints"));
    Files.createDirectories(other.resolve("checkpoints"));
    int port = freePort();
    Process p1 = trainer(leader, names, port, Map.of());
    Process p2 = trainer(other, names, port, Map.of());
    assertThat(await(p1, 120)).as(log(leader)).isZero();
    assertThat(await(p2, 120)).isZero();
    try (var files = Files.list(leader.resolve("checkpoints"))) {
      assertThat(files.count()).isPositive();
    }
    try (var files = Files.list(other.resolve("checkpoints"))) {
      assertThat(files.count()).as("the follower writes no checkpoints").isZero();
    }
    // SageMaker copies the checkpoint location to every host before a restart; then 4 more rounds.
    for (Path f : Files.list(leader.resolve("checkpoints")).toList()) {
      Files.copy(f, other.resolve("checkpoints").resolve(f.getFileName()));
    }
    String ten = HP.replace("\"num_round\": \"40\"", "\"num_round\": \"10\"");
    Files.writeString(leader.resolve("input/config/hyperparameters.json"), ten);
    Files.writeString(other.resolve("input/config/hyperparameters.json"), ten);
    Files.delete(leader.resolve("process.log"));
    port = freePort();
    p1 = trainer(leader, names, port, Map.of());
    p2 = trainer(other, names, port, Map.of());
    assertThat(await(p1, 120)).as(log(leader)).isZero();
    assertThat(await(p2, 120)).as(log(other)).isZero();
    assertThat(log(leader)).contains("resuming from checkpoint").contains("[9]\t").doesNotContain("[5]\t");
    assertThat(log(other)).contains("resuming from checkpoint");
    assertThat(Files.readString(leader.resolve("model/sagebox-model.json"))).contains("\"rounds_trained\" : \"10\"");

    // A host without the checkpoints would start from another round: every host is told.
    for (Path f : Files.list(other.resolve("checkpoints")).toList()) {
      Files.delete(f);
    }
    String twelve = HP.replace("\"num_round\": \"40\"", "\"num_round\": \"12\"");
    Files.writeString(leader.resolve("input/config/hyperparameters.json"), twelve);
    Files.writeString(other.resolve("input/config/hyperparameters.json"), twelve);
    port = freePort();
    p1 = trainer(leader, names, port, Map.of());
    p2 = trainer(other, names, port, Map.of());
    assertThat(await(p1, 120)).isEqualTo(1);
    assertThat(await(p2, 120)).isEqualTo(1);
    assertThat(failure(leader)).startsWith("the hosts disagree on the round to start from: algo-1 10, algo-2 0;");
  }

  @Test
  void aHostThatNeverStartsEndsTheOthersAfterTheJoinDeadline() throws Exception {
    List<String> names = hosts(2);
    Path leader = tree("algo-1", names, shard(0, 2), HP, "ShardedByS3Key");
    long t0 = System.nanoTime();
    int code = await(trainer(leader, names, freePort(), Map.of("SAGEBOX_CLUSTER_TIMEOUT", "3")), 60);
    assertThat(code).isEqualTo(3);
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(30);
    assertThat(failure(leader)).isEqualTo("host algo-1: the 2 hosts [algo-1, algo-2] did not all join within 3 s "
        + "(phase: joining through the tracker on algo-1:" + portOf(leader) + "); a host did not start, failed "
        + "before joining (see its output/failure), or cannot reach the leader; SAGEBOX_CLUSTER_TIMEOUT sets the "
        + "wait");
  }

  private static String portOf(Path base) throws IOException {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("on algo-1:(\\d+)").matcher(failure(base));
    return m.find() ? m.group(1) : "?";
  }

  @Test
  void hostsWhoseDataDifferAreNamedOnEveryHost() throws Exception {
    List<String> names = hosts(2);
    int port = freePort();
    Path leader = tree("algo-1", names, shard(0, 2), HP, "ShardedByS3Key");
    List<String> narrow = shard(1, 2).stream().map(r -> r.substring(0, r.lastIndexOf(','))).toList();
    Path other = tree("algo-2", names, narrow, HP, "ShardedByS3Key");
    // algo-2's validation has the full width, so its own train/validation check catches it first: make both narrow.
    Files.write(other.resolve("input/data/validation/all.csv"), validationRows.stream()
        .map(r -> r.substring(0, r.lastIndexOf(','))).toList());
    Process p1 = trainer(leader, names, port, Map.of());
    Process p2 = trainer(other, names, port, Map.of());
    assertThat(await(p1, 120)).isEqualTo(1);
    assertThat(await(p2, 120)).isEqualTo(1);
    String expected = "the hosts disagree on the feature count: algo-1 8, algo-2 7; every host's files need the "
        + "same columns (label first, then the same features)";
    assertThat(failure(leader)).isEqualTo(expected);
    assertThat(failure(other)).isEqualTo(expected);
  }

  @Test
  void aHostThatCannotLoadItsDataIsNamedByTheOthers() throws Exception {
    List<String> broken = new ArrayList<>(shard(1, 2));
    broken.set(10, "1,0.5,abc,0.1,0.2,0.3,0.4,0.5,0.6");
    TwoHosts job = twoHosts(shard(0, 2), broken, HP);
    Path leader = job.leader();
    Path other = job.other();
    Process p1 = job.p1();
    Process p2 = job.p2();
    assertThat(await(p1, 120)).isEqualTo(1);
    assertThat(await(p2, 120)).isEqualTo(1);
    assertThat(failure(other)).contains("line 11");
    assertThat(failure(leader)).isEqualTo("host algo-2 could not load its data (its output/failure says why); "
        + "host algo-1 stops with it");
  }

  @Test
  void fullyReplicatedDataIsSaidToCountOncePerHost() throws Exception {
    List<String> names = hosts(2);
    int port = freePort();
    Path leader = tree("algo-1", names, trainRows.subList(0, 2000), HP, "FullyReplicated");
    Path other = tree("algo-2", names, trainRows.subList(0, 2000), HP, "FullyReplicated");
    Process p1 = trainer(leader, names, port, Map.of());
    Process p2 = trainer(other, names, port, Map.of());
    assertThat(await(p1, 120)).as(log(leader)).isZero();
    assertThat(await(p2, 120)).isZero();
    assertThat(log(leader)).contains("channel 'train' is FullyReplicated: each of the 2 hosts has all of its rows "
        + "and trains on them, so every row counts 2 times");
  }

  /** Images {@code from} to {@code to} of a gzipped IDX file (images or labels) as a new gzipped IDX file. */
  private static void idxSlice(Path from, Path to, int first, int count) throws IOException {
    byte[] all;
    try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(from))) {
      all = in.readAllBytes();
    }
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(all);
    int magic = b.getInt();
    int dims = magic & 0xFF;
    int[] shape = new int[dims];
    for (int i = 0; i < dims; i++) {
      shape[i] = b.getInt();
    }
    int item = 1;
    for (int i = 1; i < dims; i++) {
      item *= shape[i];
    }
    int header = 4 + 4 * dims;
    java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(header + count * item);
    out.putInt(magic).putInt(count);
    for (int i = 1; i < dims; i++) {
      out.putInt(shape[i]);
    }
    out.put(all, header + first * item, count * item);
    Files.createDirectories(to.getParent());
    try (var o = new java.util.zip.GZIPOutputStream(Files.newOutputStream(to))) {
      o.write(out.array());
    }
  }

  /** A LeNet tree with images [first, first + count) of the sample's train files and all its validation files. */
  private Path lenetTree(String dir, String host, List<String> hosts, int first, int count) throws IOException {
    Path sample = Path.of(System.getProperty("user.dir")).getParent().resolve("opt-ml-sample/lenet");
    Path base = tmp.resolve(dir);
    Files.createDirectories(base.resolve("input/config"));
    Files.createDirectories(base.resolve("input/data/validation"));
    for (String f : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")) {
      idxSlice(sample.resolve("input/data/train").resolve(f), base.resolve("input/data/train").resolve(f), first,
          count);
    }
    for (String f : List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
      Files.copy(sample.resolve("input/data/validation").resolve(f), base.resolve("input/data/validation")
          .resolve(f));
    }
    Files.writeString(base.resolve("input/config/hyperparameters.json"), "{\"algorithm\": \"lenet\", "
        + "\"epochs\": \"3\", \"mini_batch_size\": \"32\"}");
    Files.writeString(base.resolve("input/config/resourceconfig.json"), "{\"current_host\": \"" + host
        + "\", \"hosts\": [" + hosts.stream().map(h -> "\"" + h + "\"").collect(Collectors.joining(", ")) + "]}");
    return base;
  }

  private static double lenetAccuracy(String log) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(
        "#quality_metric: host=algo-1, epoch=2, validation accuracy <score>=([0-9.]+)").matcher(log);
    assertThat(m.find()).as("epoch 2 validation accuracy in:%n%s", log).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void lenetOnTwoHostsAveragesGradientsAndKeepsIdenticalParameters() throws Exception {
    Path alone = lenetTree("lenet-alone", "algo-1", List.of("algo-1"), 0, 1000);
    assertThat(await(trainer(alone, List.of("algo-1"), freePort(), Map.of("SAGEBOX_THREADS", "1")), 300))
        .as(log(alone)).isZero();
    List<String> names = hosts(2);
    int port = freePort();
    Path leader = lenetTree("lenet-1", "algo-1", names, 0, 500);
    Path other = lenetTree("lenet-2", "algo-2", names, 500, 500);
    Process p2 = trainer(other, names, port, Map.of());
    Process p1 = trainer(leader, names, port, Map.of());
    assertThat(await(p1, 300)).as(log(leader)).isZero();
    assertThat(await(p2, 300)).as(log(other)).isZero();
    for (Path t : List.of(leader, other)) {
      assertThat(log(t)).contains("gradients averaged over them every iteration")
          .contains("epoch 2: parameter checksum per host").contains("(identical)");
    }
    assertThat(log(other)).doesNotContain("#quality_metric");
    assertThat(other.resolve("model/sagebox-model.json")).doesNotExist();
    assertThat(leader.resolve("model/model.onnx")).exists();
    // Half the images per host with the gradients averaged is one host's training with a batch twice as large.
    double one = lenetAccuracy(log(alone));
    double two = lenetAccuracy(log(leader));
    assertThat(two).as("accuracy on 2 hosts vs 1 host (%s)", one).isGreaterThan(0.7).isCloseTo(one,
        org.assertj.core.data.Offset.offset(0.08));
  }

  @Test
  void aLenetHostKilledMidTrainingEndsTheOther() throws Exception {
    List<String> names = hosts(2);
    int port = freePort();
    Path leader = lenetTree("lenet-k1", "algo-1", names, 0, 500);
    Path other = lenetTree("lenet-k2", "algo-2", names, 500, 500);
    for (Path t : List.of(leader, other)) {
      Files.writeString(t.resolve("input/config/hyperparameters.json"), "{\"algorithm\": \"lenet\", \"epochs\": "
          + "\"1000\", \"mini_batch_size\": \"32\", \"progress_every\": \"5\"}");
    }
    Process p1 = trainer(leader, names, port, Map.of());
    Process p2 = trainer(other, names, port, Map.of());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!log(leader).contains("epoch 1, iteration")) {
      assertThat(System.nanoTime()).as("the leader reached epoch 1; log:%n%s", log(leader)).isLessThan(deadline);
      assertThat(p1.isAlive()).as("leader alive; log:%n%s", log(leader)).isTrue();
      Thread.sleep(100);
    }
    p2.destroyForcibly();
    long killed = System.nanoTime();
    assertThat(await(p1, 60)).isEqualTo(3);
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - killed)).isLessThan(60);
    assertThat(failure(leader)).startsWith("host algo-1: an operation of the collective failed (another host "
        + "exited or cannot be reached");
  }

  @Test
  void linearLearnerOnThreeHosts() throws Exception {
    List<Path> three = job(3, LINEAR, Map.of());
    assertThat(log(three.get(0))).contains("channel 'train' rows per host: algo-1 4000, algo-2 4000, algo-3 4000");
    assertThat(linearAuc(log(three.get(0)))).isGreaterThan(0.6);
    for (Path t : three.subList(1, 3)) {
      assertThat(t.resolve("model/sagebox-model.json")).doesNotExist();
      assertThat(t.resolve("output/success")).exists();
    }
  }

  private static final String LINEAR = "{\"predictor_type\": \"binary_classifier\", \"epochs\": \"6\", "
      + "\"mini_batch_size\": \"100\", \"num_models\": \"4\"}";

  /** The final validation AUC line of a linear-learner log (the chosen model on the whole validation channel). */
  private static double linearAuc(String log) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(
        "#quality_metric: host=algo-1, epoch=final, validation roc_auc_score <score>=([0-9.]+)").matcher(log);
    assertThat(m.find()).as("final validation AUC line in:%n%s", log).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void linearLearnerOnTwoHostsMatchesOneHostAndOnlyTheLeaderWrites() throws Exception {
    Path alone = job(1, LINEAR, Map.of()).get(0);
    List<Path> two = job(2, LINEAR, Map.of());
    double one = linearAuc(log(alone));
    double distributed = linearAuc(log(two.get(0)));
    assertThat(distributed).as("linear-learner validation AUC on 2 hosts vs 1 host (%s)", one).isCloseTo(one,
        org.assertj.core.data.Offset.offset(0.005));
    assertThat(one).isGreaterThan(0.6);
    assertThat(log(two.get(0))).contains("weights averaged every").contains("#quality_metric: host=algo-1, epoch=0");
    assertThat(log(two.get(1))).doesNotContain("#quality_metric");
    assertThat(two.get(0).resolve("model/sagebox-model.json")).exists();
    assertThat(two.get(1).resolve("model/sagebox-model.json")).doesNotExist();
    assertThat(two.get(1).resolve("output/success")).exists();
  }

  static Map<String, String> env(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }
}
