package dev.sagebox.engine.model;

import dev.sagebox.engine.collective.Collective;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Everything a training run needs, already read from the /opt/ml tree: hyperparameters as decoded strings, the
 * channels, where to write the model, where to checkpoint (optional), how many threads to use, a flag that turns
 * true when the job must stop (SIGTERM), and where to write other output files (SageMaker's
 * {@code /opt/ml/output/data}, {@code SM_OUTPUT_DATA_DIR}; optional, for example k-fold's out-of-fold predictions),
 * and the hosts this job trains on ({@link Collective#SOLO} for one).
 */
public record TrainingRequest(Map<String, String> hyperparameters, Map<String, ChannelInput> channels, Path modelDir,
    Optional<Path> checkpointDir, int threads, TrainingListener listener, BooleanSupplier stopRequested,
    Optional<Path> outputDataDir, Collective collective) {

  public TrainingRequest {
    hyperparameters = Map.copyOf(hyperparameters);
    channels = Map.copyOf(channels);
    outputDataDir = outputDataDir == null ? Optional.empty() : outputDataDir;
    collective = collective == null ? Collective.SOLO : collective;
  }

  /** A request for one host. */
  public TrainingRequest(Map<String, String> hyperparameters, Map<String, ChannelInput> channels, Path modelDir,
      Optional<Path> checkpointDir, int threads, TrainingListener listener, BooleanSupplier stopRequested,
      Optional<Path> outputDataDir) {
    this(hyperparameters, channels, modelDir, checkpointDir, threads, listener, stopRequested, outputDataDir,
        Collective.SOLO);
  }

  /** A request without an output data folder. */
  public TrainingRequest(Map<String, String> hyperparameters, Map<String, ChannelInput> channels, Path modelDir,
      Optional<Path> checkpointDir, int threads, TrainingListener listener, BooleanSupplier stopRequested) {
    this(hyperparameters, channels, modelDir, checkpointDir, threads, listener, stopRequested, Optional.empty(),
        Collective.SOLO);
  }

  /** The named channel, or a user error naming the folder it should be in and the channels given. */
  public ChannelInput requireChannel(String name) {
    ChannelInput c = channels.get(name);
    if (c == null) {
      throw new dev.sagebox.engine.error.UserError("the '" + name + "' channel is required (folder input/data/"
          + name + "); channels given: " + new java.util.TreeSet<>(channels.keySet()));
    }
    return c;
  }
}
