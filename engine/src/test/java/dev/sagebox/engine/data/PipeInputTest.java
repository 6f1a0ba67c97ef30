package dev.sagebox.engine.data;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.error.UserError;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipeInputTest {
  @TempDir
  Path dir;

  @Test
  void aPipeThatNeverAppearsIsAClearUserErrorAfterTheWait() {
    assertThatThrownBy(() -> new PipeInput(Duration.ofMillis(300)).open(dir.resolve("train_3"), "train", 3))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("epoch-3 pipe")
        .hasMessageContaining("did not appear within 0 s")
        .hasMessageContaining("TrainingInputMode File");
  }
}
