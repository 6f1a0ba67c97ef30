package dev.sagebox.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.error.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFolderTest {
  @TempDir
  Path model;

  private static final class Crash extends RuntimeException {}

  /** Saves a two-file model whose contents carry {@code tag}, crashing before step {@code crashAt} (-1: never). */
  private void save(String tag, int crashAt) throws IOException {
    AtomicInteger step = new AtomicInteger();
    ModelFolder folder = new ModelFolder(model, () -> {
      if (step.getAndIncrement() == crashAt) {
        throw new Crash();
      }
    });
    Path staging = folder.stage();
    Files.writeString(staging.resolve("xgboost-model"), "model " + tag);
    Files.writeString(staging.resolve("extra.bin"), "extra " + tag + " ".repeat(tag.length() * 7));
    new ModelManifest(1, "xgboost", "xgboost-model", 3, "binary:logistic", 2, tag, Map.of()).write(staging);
    folder.commit();
  }

  private String state() throws IOException {
    ModelManifest m = ModelManifest.readIfPresent(model);
    ModelFolder.verify(model, m);
    String a = Files.readString(model.resolve("xgboost-model"));
    String b = Files.readString(model.resolve("extra.bin")).strip();
    assertThat(a.substring(6)).isEqualTo(b.substring(6)).isEqualTo(m.sageboxVersion());
    assertThat(model.resolve(ModelFolder.STAGING)).doesNotExist();
    return m.sageboxVersion();
  }

  @Test
  void aCommitRecordsEveryFilesSizeAndChecksum() throws IOException {
    save("v1", -1);
    ModelManifest m = ModelManifest.readIfPresent(model);
    assertThat(m.files()).containsOnlyKeys("xgboost-model", "extra.bin");
    assertThat(m.files().get("xgboost-model").size()).isEqualTo(8);
    assertThat(m.files().get("xgboost-model").sha256()).hasSize(64);
    assertThat(state()).isEqualTo("v1");
  }

  @Test
  void aCrashAtAnyStepLeavesTheOldModelOrTheNewOneAfterRecovery() throws IOException {
    int steps = 0;
    for (int crashAt = 0; ; crashAt++) {
      for (Path p : Files.list(model).toList()) {
        if (Files.isRegularFile(p)) {
          Files.delete(p);
        }
      }
      save("old", -1);
      boolean crashed;
      try {
        save("new", crashAt);
        crashed = false;
      } catch (Crash c) {
        crashed = true;
      }
      String recovered = new ModelFolder(model).recover();
      String now = state();
      assertThat(now).as("crash before step %d (%s)", crashAt, recovered).isIn("old", "new");
      if (!crashed) {
        steps = crashAt;
        break;
      }
    }
    assertThat(steps).as("steps in a commit of two files").isGreaterThanOrEqualTo(5);
  }

  @Test
  void filesOfAnotherModelUnderThisManifestAreRefused() throws IOException {
    save("v1", -1);
    Files.writeString(model.resolve("xgboost-model"), "model v2");
    assertThatThrownBy(() -> ModelFolder.verify(model, ModelManifest.readIfPresent(model)))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("xgboost-model does not match sagebox-model.json");
    Files.delete(model.resolve("xgboost-model"));
    assertThatThrownBy(() -> ModelFolder.verify(model, ModelManifest.readIfPresent(model)))
        .isInstanceOf(UserError.class).hasMessageContaining("is missing");
  }

  @Test
  void theFilesOfThePreviousModelThatTheNewOneLacksAreRemoved() throws IOException {
    save("v1", -1);
    ModelFolder folder = new ModelFolder(model);
    Path staging = folder.stage();
    Files.writeString(staging.resolve("xgboost-model"), "model v2");
    new ModelManifest(1, "xgboost", "xgboost-model", 3, "binary:logistic", 2, "v2", Map.of()).write(staging);
    Files.writeString(model.resolve("notes.txt"), "not a model file: left alone");
    folder.commit();
    assertThat(model.resolve("extra.bin")).doesNotExist();
    assertThat(model.resolve("notes.txt")).exists();
    assertThat(ModelManifest.readIfPresent(model).files()).containsOnlyKeys("xgboost-model");
    ModelFolder.verify(model, ModelManifest.readIfPresent(model));
  }
}
