package dev.sagebox.container.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Optional;

/** {@code checkpointconfig.json}: where checkpoints live on this host ({@code LocalPath}). */
public record CheckpointConfig(Path localPath, String s3Uri) {

  /** The config, if the file exists. A file without LocalPath means SageMaker's default /opt/ml/checkpoints. */
  public static Optional<CheckpointConfig> read(Path file, Path defaultDir) {
    JsonNode root = ConfigFiles.readObject(file);
    if (root == null) {
      return Optional.empty();
    }
    String local = ConfigFiles.text(root, "LocalPath");
    return Optional.of(new CheckpointConfig(local == null || local.isBlank() ? defaultDir : Path.of(local),
        ConfigFiles.text(root, "S3Uri")));
  }
}
