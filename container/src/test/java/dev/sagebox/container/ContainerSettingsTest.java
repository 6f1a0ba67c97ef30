package dev.sagebox.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.PredictorOptions;
import dev.sagebox.engine.model.PredictorOptions.ModelRuntime;
import java.nio.file.Path;
import java.util.List;
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
    for (String var : List.of("SAGEMAKER_BASE_DIR", "SM_MODEL_DIR")) {
      assertThatThrownBy(() -> ContainerSettings.fromEnv(Map.of(var, " "))).as(var).isInstanceOf(UserError.class)
          .hasMessageContaining(var + " is set but empty");
    }
  }

  @Test
  void sageMakerXGBoostSettingsAreHonoured() {
    ContainerSettings d = ContainerSettings.fromEnv(Map.of());
    assertThat(d.batchOutput()).isFalse();
    assertThat(d.ensemble()).isTrue();
    assertThat(d.lenientFeatures()).isFalse();
    ContainerSettings s = ContainerSettings.fromEnv(Map.of("MAX_CONTENT_LENGTH", "1048576", "SAGEMAKER_BATCH",
        "true", "SAGEMAKER_INFERENCE_ENSEMBLE", "false", "SAGEBOX_FEATURE_CHECK", "lenient"));
    assertThat(s.maxPayloadBytes()).isEqualTo(1_048_576L);
    assertThat(s.maxPayloadMb()).isEqualTo(1);
    assertThat(s.batchOutput()).isTrue();
    assertThat(s.ensemble()).isFalse();
    assertThat(s.lenientFeatures()).isTrue();
    // As SageMaker's XGBoost: MAX_CONTENT_LENGTH is capped at 20 MiB; SAGEMAKER_MAX_PAYLOAD_IN_MB wins when both given.
    assertThat(ContainerSettings.fromEnv(Map.of("MAX_CONTENT_LENGTH", "100000000")).maxPayloadBytes())
        .isEqualTo(20L * 1024 * 1024);
    assertThat(ContainerSettings.fromEnv(Map.of("MAX_CONTENT_LENGTH", "1000", "SAGEMAKER_MAX_PAYLOAD_IN_MB", "8"))
        .maxPayloadBytes()).isEqualTo(8L * 1024 * 1024);
    assertThatThrownBy(() -> ContainerSettings.fromEnv(Map.of("SAGEBOX_FEATURE_CHECK", "loose")))
        .isInstanceOf(UserError.class).hasMessageContaining("accepted: strict");
  }

  @Test
  void theRuntimeIsOnnxUnlessNativeIsAskedFor() {
    assertThat(ContainerSettings.fromEnv(Map.of()).runtime()).isEqualTo(ModelRuntime.ONNX);
    assertThat(ContainerSettings.fromEnv(Map.of("SAGEBOX_RUNTIME", " ")).runtime()).isEqualTo(ModelRuntime.ONNX);
    assertThat(ContainerSettings.fromEnv(Map.of("SAGEBOX_RUNTIME", "onnx")).runtime()).isEqualTo(ModelRuntime.ONNX);
    ContainerSettings n = ContainerSettings.fromEnv(Map.of("SAGEBOX_RUNTIME", "Native", "SAGEBOX_PREDICT_THREADS", "3",
        "SAGEMAKER_INFERENCE_OUTPUT", "score"));
    assertThat(n.runtime()).isEqualTo(ModelRuntime.NATIVE);
    assertThat(n.predictorOptions()).isEqualTo(new PredictorOptions(List.of("score"), 3, true, ModelRuntime.NATIVE));
    assertThatThrownBy(() -> ContainerSettings.fromEnv(Map.of("SAGEBOX_RUNTIME", "tensorrt")))
        .isInstanceOf(UserError.class).hasMessageStartingWith("SAGEBOX_RUNTIME='tensorrt' is invalid; accepted: onnx")
        .hasMessageContaining("native");
  }
}
