package dev.sagebox.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manifest's JSON, prepared ahead on another thread while the first one is written, reads back whole. */
class ModelManifestTest {
  @Test
  void preparedOnAnotherThreadWhileWrittenItStillRoundTrips(@TempDir Path dir) {
    CompletableFuture<Void> prepared = CompletableFuture.runAsync(ModelManifest::prepareJson);
    ModelManifest m = new ModelManifest(ModelManifest.CURRENT_FORMAT, "xgboost", "xgboost-model", 28,
        "binary:logistic", 2, "test", Map.of("rounds_trained", "100"))
        .withFiles(Map.of("xgboost-model", new ModelManifest.FileDigest(12, "ab")));
    m.write(dir);
    prepared.join();
    ModelManifest.prepareJson();
    assertThat(ModelManifest.readIfPresent(dir)).isEqualTo(m);
  }
}
