package dev.sagebox.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only the names the folder writes are its checkpoints. */
class CheckpointFolderTest {
  @TempDir
  Path dir;

  @Test
  void oddNamesAreNotCheckpointsAndNoNumberCanWrap() throws Exception {
    CheckpointFolder f = new CheckpointFolder(dir, "xgboost-checkpoint.", "", 5);
    for (String odd : new String[] {"029", "+29", "-1", "\u0662\u0669", "2147483647", "1000000000", "", "x"}) {
      Files.writeString(dir.resolve("xgboost-checkpoint." + odd), "x");
    }
    assertThat(f.newest()).isEmpty();
    Files.writeString(dir.resolve("xgboost-checkpoint.7"), "x");
    Files.writeString(dir.resolve("xgboost-checkpoint.12"), "x");
    assertThat(f.newest()).hasValue(12);
  }
}
