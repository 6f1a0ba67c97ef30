package dev.sagebox.engine.xgboost;

import dev.sagebox.engine.collective.Collective;
import dev.sagebox.engine.collective.HostChecks;
import dev.sagebox.engine.data.ChannelLoader;
import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.LabeledData;
import dev.sagebox.engine.data.LibsvmIndexing;
import dev.sagebox.engine.data.SparseBatch;
import dev.sagebox.engine.error.IoFailures;
import dev.sagebox.engine.error.PlatformError;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.ChannelInput;
import dev.sagebox.engine.model.CheckpointFolder;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.model.NativeWarmUp;
import dev.sagebox.engine.model.TrainingInterrupted;
import dev.sagebox.engine.model.TrainingListener;
import dev.sagebox.engine.model.TrainingRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntFunction;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import ml.dmlc.xgboost4j.java.XGBoostJNI;

/**
 * One XGBoost training run: loads the channels (interval labels for {@code survival:aft}), builds the DMatrix
 * objects, starts from a checkpoint, the {@code model} channel's model or nothing, runs the rounds with per-round
 * metric lines, early stopping on the validation channel and checkpoints ({@link BoostRounds}), and writes the model
 * plus its manifest; with {@code _kfold}, hands over to {@link CrossValidation}.
 */
final class XGBoostTrainer {
  static final String MODEL_FILE = "xgboost-model";
  static final String CHECKPOINT_PREFIX = "xgboost-checkpoint.";
  private static final int CHECKPOINTS_KEPT = 3;

  private final TrainingRequest request;
  private final TrainingListener log;
  private final XGBoostParams params;
  private final int threads;
  private LibsvmIndexing libsvmIndexing = LibsvmIndexing.PER_REQUEST;
  private BaseModel base;

  XGBoostTrainer(TrainingRequest request, XGBoostParams params) {
    this.request = request;
    this.log = request.listener();
    this.params = params;
    this.threads = params.nthread() != null ? params.nthread() : request.threads();
  }

  ModelManifest run(String sageboxVersion) {
    ChannelInput trainChannel = request.requireChannel("train");
    for (String name : request.channels().keySet()) {
      if (!name.equals("train") && !name.equals("validation") && !name.equals(BaseModel.CHANNEL)) {
        log.warn("channel '" + name + "' is not used by xgboost (it reads 'train', 'validation' and 'model')");
      }
    }
    ChannelInput validationChannel = request.channels().get("validation");
    Collective cluster = request.collective();
    if (cluster.distributed()) {
      SeveralHosts.refuseUnsupported(params, cluster);
      HostChecks.sameChannels(cluster, "validation", validationChannel != null);
    } else if (ExternalMemory.wanted(params.dataMatrix(), trainChannel, validationChannel)) {
      return new ExternalMemory(this, params, threads, log).train(trainChannel, validationChannel, sageboxVersion);
    }
    // xgboost4j extracts and loads its native library on first use (~0.3 s here): while the channels are parsed.
    NativeWarmUp xgboost = NativeWarmUp.start("xgboost", XGBoostJNI::XGBGetLastError);
    Loaded loaded;
    RuntimeException failure = null;
    try {
      loaded = load(trainChannel, validationChannel, xgboost);
    } catch (RuntimeException e) {
      loaded = null;
      failure = e;
    }
    HostChecks.loaded(cluster, failure);
    if (cluster.distributed()) {
      SeveralHosts.agree(cluster, loaded.train(), loaded.validation(), loaded.features(), log);
    }
    TrainingRows trainRows = loaded.train();
    TrainingRows validationRows = loaded.validation();
    int width = loaded.features();
    EarlyTrainMatrix early = loaded.early();
    return withRounds(rounds -> {
      if (params.kfold() != null) {
        TrainingRows all = validationRows == null ? trainRows : TrainingRows.concat("train+validation", trainRows,
            validationRows, width);
        return new CrossValidation(request, params, rounds, this).run(all, width, sageboxVersion);
      }
      return single(rounds, trainRows, validationRows, width, sageboxVersion, early);
    });
  }

  /**
   * The loaded channels, the feature count the matrices need, and the training matrix if it was started while the
   * validation channel was parsed (else null).
   */
  record Loaded(TrainingRows train, TrainingRows validation, int features, EarlyTrainMatrix early) {}

  /** Loads and checks this host's channels (and the {@code model} channel's model, if any). */
  private Loaded load(ChannelInput trainChannel, ChannelInput validationChannel, NativeWarmUp xgboost) {
    ChannelLoader loader = new ChannelLoader(threads, request.stopRequested());
    TrainingRows train = timedLoad(loader, trainChannel);
    xgboost.await();
    EarlyTrainMatrix early = null;
    if (validationChannel != null && buildsEarly(train)) {
      LabelCheck.check("train", train, params);
      early = EarlyTrainMatrix.start(train);
    }
    try {
      Loaded loaded = load(loader, train, validationChannel, early);
      if (early != null && loaded.features() != early.width()) {
        throw new IllegalStateException("the early training matrix has " + early.width() + " features, not "
            + loaded.features());
      }
      return loaded;
    } catch (RuntimeException e) {
      if (early != null) {
        early.close();
      }
      throw e;
    }
  }

  /**
   * Whether the training matrix can be built while the validation channel is parsed: one host, dense rows, the
   * default float DMatrix, one training (no k-fold) and no model to continue (which may widen the matrix).
   */
  private boolean buildsEarly(TrainingRows train) {
    return !request.collective().distributed() && train.features() instanceof DenseBatch
        && params.dataMatrix() != DataMatrix.QUANTILE && params.kfold() == null
        && !request.channels().containsKey(BaseModel.CHANNEL);
  }

  private Loaded load(ChannelLoader loader, TrainingRows parsedTrain, ChannelInput validationChannel,
      EarlyTrainMatrix early) {
    TrainingRows train = parsedTrain;
    TrainingRows validation = Optional.ofNullable(validationChannel).map(c -> timedLoad(loader, c)).orElse(null);
    // libsvm numbering is decided for train and validation together (1-based sets are shifted to 0-based).
    ChannelLoader.Numbered numbered = ChannelLoader.numberLibsvm(java.util.Arrays.asList(labeled(train),
        labeled(validation)));
    libsvmIndexing = numbered.indexing();
    if (numbered.indexing() == LibsvmIndexing.ONE_BASED) {
      train = TrainingRows.of(numbered.sets().get(0));
      validation = validation == null ? null : TrainingRows.of(numbered.sets().get(1));
    }
    int features = train.features().columns();
    if (validation != null) {
      if (validation.features() instanceof SparseBatch || train.features() instanceof SparseBatch) {
        features = Math.max(features, validation.features().columns());
      } else if (validation.features().columns() != features) {
        throw new UserError("channel 'validation' has " + validation.features().columns() + " features but 'train' "
            + "has " + features + "; both need the same columns (label first, then the same features)");
      }
    }
    if (early == null) { // an early matrix's rows were checked before it was started
      LabelCheck.check("train", train, params);
    }
    if (validation != null) {
      LabelCheck.check("validation", validation, params);
    }
    ChannelInput modelChannel = request.channels().get(BaseModel.CHANNEL);
    if (modelChannel != null) {
      boolean sparse = train.features() instanceof SparseBatch
          || (validation != null && validation.features() instanceof SparseBatch);
      features = continueFrom(modelChannel, features, sparse);
    }
    if (params.earlyStoppingRounds() != null && validation == null && params.kfold() == null) {
      log.warn("early_stopping_rounds is set but there is no 'validation' channel; training all "
          + params.numRound() + " rounds");
    }
    return new Loaded(train, validation, features, early);
  }

  /** Work that needs XGBoost and the round loop. */
  interface RoundsWork {
    ModelManifest run(BoostRounds rounds) throws XGBoostError;
  }

  /** Runs {@code work} with the round loop and its metric threads; XGBoost's refusals become user errors. */
  ModelManifest withRounds(RoundsWork work) {
    ForkJoinPool pool = new ForkJoinPool(threads);
    Collective cluster = request.collective();
    // On several hosts the stop request is shared once per round, so that all hosts stop before the same round.
    java.util.function.BooleanSupplier stop = cluster.distributed()
        ? () -> cluster.any(request.stopRequested().getAsBoolean()) : request.stopRequested();
    // XGBoost's own metrics are computed in Java on one host only: across hosts XGBoost sums them over the hosts.
    BoostRounds rounds = new BoostRounds(params, log, CustomMetrics.of(params, pool), pool, threads,
        !cluster.distributed(), stop);
    try {
      return work.run(rounds);
    } catch (XGBoostError | RuntimeException e) {
      // On several hosts, a failure between hosts (in XGBoost's rounds, its metrics, or the shared stop request)
      // becomes one message naming the round, whichever layer saw it first.
      XGBoostError peer = cluster.distributed() ? SeveralHosts.collectiveFailure(e) : null;
      if (peer != null) {
        throw SeveralHosts.peerFailure(cluster, peer, rounds.currentRound() >= 0 ? " in round "
            + rounds.currentRound() : "");
      }
      if (e instanceof XGBoostError x) {
        throw new UserError("XGBoost rejected the training setup: " + firstLine(x.getMessage()), x);
      }
      throw (RuntimeException) e;
    } finally {
      pool.shutdown();
    }
  }

  /** Turns true when the job must stop (SIGTERM). */
  java.util.function.BooleanSupplier stopRequested() {
    return request.stopRequested();
  }

  /** The {@code model} channel (a model to continue training), or null. */
  ChannelInput modelChannel() {
    return request.channels().get(BaseModel.CHANNEL);
  }

  /** Loads and checks the model to continue from; returns the feature count the matrices need. */
  int continueFrom(ChannelInput modelChannel, int features, boolean sparse) {
    base = BaseModel.load(modelChannel);
    int width = base.check(params, features, sparse);
    log.info("continuing from " + base.source() + ": " + base.rounds() + " round(s), objective "
        + base.objective() + ", " + base.features() + " features; training " + params.numRound()
        + " more (rounds " + base.rounds() + " to " + (endRound() - 1) + ")");
    if (request.hyperparameters().containsKey("base_score")) {
      log.warn("base_score is part of the model in channel 'model' and stays as it is there; the given value "
          + "is not used");
    }
    return width;
  }

  private ModelManifest single(BoostRounds rounds, TrainingRows train, TrainingRows validation, int features,
      String version, EarlyTrainMatrix early) throws XGBoostError {
    DMatrix dtrain = null;
    DMatrix dvalid = null;
    try {
      long t0 = System.nanoTime();
      TrainingMatrices matrices = TrainingMatrices.choose(params, threads, log);
      if (early == null) {
        dtrain = matrices.train(train, features);
        dvalid = validation == null ? null : matrices.validation(validation, features, dtrain);
      } else {
        // The training matrix has been building since its channel was parsed: build the validation one beside it.
        dvalid = matrices.validation(validation, features, null);
        dtrain = early.take();
      }
      log.info(String.format(java.util.Locale.ROOT, "DMatrix built in %.3f s%s: train %d rows x %d features%s; %s",
          (System.nanoTime() - t0) / 1e9, early == null ? "" : " after the last parse (the training matrix was "
          + "started while 'validation' was parsed)", train.rows(), features,
          validation == null ? "" : ", validation " + validation.rows() + " rows", matrices.description()));
      return trainOn(rounds, dtrain, train.labels(), r -> train.describeRow("train", r), dvalid,
          validation == null ? null : validation.labels(), r -> validation.describeRow("validation", r), features,
          version);
    } finally {
      if (early != null) {
        early.close(); // frees it if it was never taken
      }
      if (dtrain != null) {
        dtrain.dispose();
      }
      if (dvalid != null) {
        dvalid.dispose();
      }
    }
  }

  /**
   * Trains on ready matrices (owned by the caller) and writes the model; {@code dvalid} may be null. The row
   * namers ({@code null}: channel and row) name a row of each set in label errors.
   */
  ModelManifest trainOn(BoostRounds rounds, DMatrix dtrain, float[] trainLabels, IntFunction<String> trainRows,
      DMatrix dvalid, float[] validationLabels, IntFunction<String> validationRows, int features, String version)
      throws XGBoostError {
    Booster booster = null;
    try {
      List<BoostRounds.EvalSet> sets = new ArrayList<>();
      sets.add(new BoostRounds.EvalSet("train", dtrain, rounds.labels("train", trainLabels, trainRows)));
      Map<String, DMatrix> watches = new LinkedHashMap<>();
      watches.put("train", dtrain);
      if (dvalid != null) {
        watches.put("validation", dvalid);
        sets.add(new BoostRounds.EvalSet("validation", dvalid, rounds.labels("validation", validationLabels, validationRows)));
      }
      Optional<CheckpointFolder> checkpoints = checkpoints(null);
      Start start = start(dtrain, watches, checkpoints);
      booster = start.booster();
      Collective cluster = request.collective();
      HostChecks.same(cluster, "the round to start from", start.next(), "every host needs the same checkpoints "
          + "(SageMaker copies the checkpoint S3 location to every host) and the same 'model' channel");
      // Only the leader writes checkpoints; every host reads them when it starts.
      return loop(rounds, booster, dtrain, sets, features, start.next(),
          cluster.leader() ? checkpoints : Optional.empty(), version);
    } finally {
      if (booster != null) {
        booster.dispose();
      }
    }
  }

  private TrainingRows timedLoad(ChannelLoader loader, ChannelInput c) {
    long t0 = System.nanoTime();
    boolean survival = params.objective().equals("survival:aft");
    LabeledData d = loader.load(c, params.csvWeights() && !survival);
    TrainingRows rows = survival ? TrainingRows.survival(c.name(), d, params.csvWeights()) : TrainingRows.of(d);
    dev.sagebox.engine.data.FiniteValues.require(labeled(rows));
    log.info(String.format(java.util.Locale.ROOT, "channel '%s': %d rows x %d features from %s, parsed in "
        + "%.3f s%s", c.name(), rows.rows(), rows.features().columns(), c.pipe() ? "its epoch-0 pipe (Pipe mode)"
        : c.files().size() + " file(s)", (System.nanoTime() - t0) / 1e9,
        survival ? " (interval labels: lower and upper bound)" : ""));
    return rows;
  }

  /** The rows as plain labelled data (interval labels are CSV-only, so libsvm rows never carry them). */
  private static LabeledData labeled(TrainingRows rows) {
    return rows == null ? null : new LabeledData(rows.source(), rows.features(), rows.labels(), rows.weights(),
        rows.origins());
  }

  /** A booster ready for round {@code next}. */
  record Start(Booster booster, int next) {}

  /**
   * The booster to train: from the newest checkpoint in {@code checkpoints} if any, else from the model in the
   * {@code model} channel if any, else a new one.
   */
  Start start(DMatrix dtrain, Map<String, DMatrix> watches, Optional<CheckpointFolder> checkpoints)
      throws XGBoostError {
    Start from = findCheckpoint(checkpoints);
    if (base != null && from.booster() != null && from.next() < base.rounds()) {
      log.warn("checkpoint " + (from.next() - 1) + " predates the " + base.rounds() + " round(s) of the model in "
          + "channel 'model'; starting from that model instead");
      from.booster().dispose();
      from = new Start(null, 0);
    }
    if (base != null && from.booster() == null) {
      from = new Start(base.booster(), base.rounds());
    }
    Map<String, Object> p = new HashMap<>(params.boosterParams());
    p.put("nthread", threads);
    if (base != null) {
      // Setting it would shift every margin of the trees already in the model.
      p.remove("base_score");
    }
    Booster booster = XGBoost.train(dtrain, p, 0, watches, null, null, null, 0, from.booster());
    for (String metric : EvalMetrics.xgboostMetrics(params.evalMetrics())) {
      booster.setParam("eval_metric", metric);
    }
    return new Start(booster, from.next());
  }

  /** The round after the last one to train. */
  int endRound() {
    return (base == null ? 0 : base.rounds()) + params.numRound();
  }

  private ModelManifest loop(BoostRounds rounds, Booster booster, DMatrix dtrain, List<BoostRounds.EvalSet> sets,
      int features, int start, Optional<CheckpointFolder> checkpoints, String version) throws XGBoostError {
    long t0 = System.nanoTime();
    BoostRounds.Result r = rounds.run(booster, dtrain, sets, start, endRound(), checkpoints,
        (b, i) -> stopNow(b, features, i, version));
    log.info(String.format(java.util.Locale.ROOT, "trained %d round(s) in %.3f s", r.lastIteration() - start + 1,
        (System.nanoTime() - t0) / 1e9));
    Map<String, String> details = new LinkedHashMap<>();
    details.put("rounds_trained", Integer.toString(r.lastIteration() + 1));
    if (r.bestIteration() >= 0) {
      details.put("best_iteration", Integer.toString(r.bestIteration()));
      details.put("early_stopping_metric", "validation-" + r.stoppingMetric());
      log.info("saved the model of the best iteration " + r.bestIteration() + " (validation-" + r.stoppingMetric()
          + " " + r.best() + ")");
    }
    writeBytes(request.modelDir().resolve(MODEL_FILE), r.model());
    return manifest(MODEL_FILE, features, version, details);
  }

  private void stopNow(Booster booster, int features, int iteration, String version) throws XGBoostError {
    if (params.saveModelOnTermination() && iteration > 0) {
      writeBytes(request.modelDir().resolve(MODEL_FILE), booster.toByteArray("ubj"));
      manifest(MODEL_FILE, features, version, Map.of("rounds_trained", Integer.toString(iteration),
          "stopped_by_signal", "true")).write(request.modelDir());
      throw new TrainingInterrupted("stopped on request after " + iteration + " round(s); partial model saved "
          + "(save_model_on_termination=true)", true);
    }
    throw new TrainingInterrupted("stopped on request after " + iteration + " round(s); no model saved (set "
        + "save_model_on_termination=true to keep a partial model)", false);
  }

  ModelManifest manifest(String modelFile, int features, String version, Map<String, String> given) {
    Map<String, String> details = new LinkedHashMap<>(given);
    if (base != null) {
      details.put("base_model", base.source());
      details.put("base_rounds", Integer.toString(base.rounds()));
    }
    Integer classes = params.numClass() != null ? params.numClass() : (params.kind().isBinary() ? 2 : null);
    Map<String, String> all = new LinkedHashMap<>(details);
    all.put(LibsvmIndexing.MANIFEST_KEY, libsvmIndexing.recorded());
    return new ModelManifest(ModelManifest.CURRENT_FORMAT, XGBoostAlgorithm.NAME, modelFile, features,
        params.objective(), classes, version, all);
  }

  /** The checkpoint folder, or its sub-folder {@code sub} (one per k-fold model, as the built-in's model-n). */
  Optional<CheckpointFolder> checkpoints(String sub) {
    return request.checkpointDir().map(d -> new CheckpointFolder(sub == null ? d : d.resolve(sub),
        CHECKPOINT_PREFIX, "", CHECKPOINTS_KEPT));
  }

  private Start findCheckpoint(Optional<CheckpointFolder> folder) {
    if (folder.isEmpty() || folder.get().newest().isEmpty()) {
      return new Start(null, 0);
    }
    int newest = folder.get().newest().getAsInt();
    Path file = folder.get().file(newest);
    try {
      byte[] bytes = Files.readAllBytes(file);
      ModelStructure.check(bytes, "checkpoint " + file.getFileName());
      Booster b = XGBoost.loadModel(bytes);
      String written = checkpointObjective(b);
      String wanted = params.objective().equals("reg:linear") ? "reg:squarederror" : params.objective();
      if (!written.isEmpty() && !written.equals(wanted)) {
        b.dispose();
        // Resuming would put this job's objective on trees grown for another (the model channel refuses it too).
        throw new UserError("checkpoint " + file.getFileName() + " was written by a training with objective "
            + written + ", but this job's objective is " + params.objective() + "; use the same objective to "
            + "resume, or empty the checkpoint folder to start over");
      }
      if (newest + 1 > endRound()) {
        log.warn("checkpoint " + file.getFileName() + " already holds " + (newest + 1) + " rounds, more than this "
            + "job's " + endRound() + "; the model keeps them all (empty the checkpoint folder to train "
            + endRound() + ")");
      }
      log.info("resuming from checkpoint " + file + ": rounds 0.." + newest + " done, " +
          Math.max(0, endRound() - newest - 1) + " to go");
      return new Start(b, newest + 1);
    } catch (IOException e) {
      throw IoFailures.of("cannot read checkpoint", file, e);
    } catch (XGBoostError e) {
      throw new UserError("checkpoint " + file + " is not a loadable XGBoost model: " + firstLine(e.getMessage())
          + "; delete it to start from scratch", e);
    }
  }

  /** The objective a checkpoint's booster was trained with (reg:linear read as its newer name). */
  private static String checkpointObjective(Booster b) throws XGBoostError, IOException {
    String name = BaseModel.learnerOf(b).path("objective").path("name").asText("");
    return name.equals("reg:linear") ? "reg:squarederror" : name;
  }

  /** Writes through a temporary file and a rename, so a crash never leaves half a model. */
  static void writeBytes(Path target, byte[] bytes) {
    try {
      Files.createDirectories(target.getParent());
      Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
      try {
        Files.write(tmp, bytes);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new PlatformError("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  private static final java.util.regex.Pattern NATIVE_LOCATION = java.util.regex.Pattern.compile(
      "^(?:\\[[\\d:]+\\]\\s*)?(?:[^\\s:]+\\.(?:cc|cu|cuh|h|hpp|cpp):\\d+:\\s*)?");

  static String firstLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    String m = message.strip();
    int nl = m.indexOf('\n');
    m = nl < 0 ? m : m.substring(0, nl);
    // XGBoost messages start with "[time] /path/file.cc:123: " (or .cu, .h, ...); keep the text after it.
    return NATIVE_LOCATION.matcher(m).replaceFirst("");
  }
}
