package dev.sagebox.container;

import java.nio.file.Path;

/** The paths of the SageMaker /opt/ml tree below a root (relocatable for tests and checkouts). */
public record OptMlLayout(Path root, Path modelDir) {

  public OptMlLayout(Path root) {
    this(root, root.resolve("model"));
  }

  public Path configDir() {
    return root.resolve("input/config");
  }

  public Path hyperparameters() {
    return configDir().resolve("hyperparameters.json");
  }

  public Path inputDataConfig() {
    return configDir().resolve("inputdataconfig.json");
  }

  public Path resourceConfig() {
    return configDir().resolve("resourceconfig.json");
  }

  public Path checkpointConfig() {
    return configDir().resolve("checkpointconfig.json");
  }

  public Path dataDir() {
    return root.resolve("input/data");
  }

  public Path channel(String name) {
    return dataDir().resolve(name);
  }

  public Path outputDir() {
    return root.resolve("output");
  }

  public Path outputDataDir() {
    return outputDir().resolve("data");
  }

  public Path failureFile() {
    return outputDir().resolve("failure");
  }

  public Path successFile() {
    return outputDir().resolve("success");
  }

  public Path defaultCheckpointDir() {
    return root.resolve("checkpoints");
  }
}
