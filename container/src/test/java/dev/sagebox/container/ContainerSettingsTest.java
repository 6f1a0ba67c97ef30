package dev.sagebox.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.error.UserError;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerSettingsTest {

  @Test
  void defaultsFollowSageMaker() {
    ContainerSettings s = ContainerSettings.fromEnv(Map.of());
    assertThat(s.baseDir()).isEqualTo(Path.of("/opt/ml"));
    assertThat(s.modelDir()).isEqualTo(Path.of("/opt/ml/model"));
    assertThat(s.port()).isEqualTo(8080);
    assertThat(s.maxPayloadMb()).isEqualTo(6);
    assertThat(s.maxPayloadBytes()).isEqualTo(6_291_456L);
    assertThat(s.defaultAccept()).isEqualTo("text/csv");
    assertThat(s.inferenceOutputs()).isEmpty();
  }

  @Test
  void environmentOverrides() {
    ContainerSettings s = ContainerSettings.fromEnv(Map.of("SAGEMAKER_BASE_DIR", "/tmp/ml", "SAGEMAKER_BIND_TO_PORT",
        "9090", "SAGEMAKER_INFERENCE_OUTPUT", "predicted_label, probabilities", "SM_MODEL_DIR", "/models/a"));
    assertThat(s.baseDir()).isEqualTo(Path.of("/tmp/ml"));
    assertThat(s.modelDir()).isEqualTo(Path.of("/models/a"));
    assertThat(s.port()).isEqualTo(9090);
    assertThat(s.inferenceOutputs()).containsExactly("predicted_label", "probabilities");
  }

  @Test
  void invalidValuesNameTheVariable() {
    assertThatThrownBy(() -> ContainerSettings.fromEnv(Map.of("SAGEMAKER_MAX_PAYLOAD_IN_MB", "lots")))
        .isInstanceOf(UserError.class).hasMessageContaining("SAGEMAKER_MAX_PAYLOAD_IN_MB='lots'");
    assertThatThrownBy(() -> ContainerSettings.fromEnv(Map.of("SAGEMAKER_BATCH_STRATEGY", "ALL")))
        .hasMessageContaining("MULTI_RECORD, SINGLE_RECORD");
  }
}
