package dev.sagebox.engine.model;

import java.nio.file.Path;
import java.util.List;

/** A trainable algorithm: parses its hyperparameters, trains a model into a folder, and loads such a folder. */
public interface Algorithm {

  /** The name users select it by ({@code algorithm=<name>}), also written in the manifest. */
  String name();

  /** Trains on the request's channels and writes the model and its manifest into the request's model folder. */
  ModelManifest train(TrainingRequest request);

  /**
   * Loads a model folder this algorithm wrote ({@code manifest} non-null) or a foreign one it recognises
   * ({@code manifest} null).
   */
  Predictor load(Path modelDir, ModelManifest manifest, PredictorOptions options);
}
