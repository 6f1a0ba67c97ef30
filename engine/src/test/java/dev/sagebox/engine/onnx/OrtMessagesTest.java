package dev.sagebox.engine.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** ONNX Runtime's messages without C++ locations and signatures (they reached clients as they were). */
class OrtMessagesTest {
  @Test
  void sourceLocationsAndSignaturesAreTakenOut() {
    assertThat(OrtMessages.describe(new Exception("Error code - ORT_INVALID_GRAPH - message: Load model from "
        + "model.onnx failed:/onnxruntime_src/onnxruntime/core/graph/model.cc:180 onnxruntime::Model::Model("
        + "onnx::ModelProto&&, const PathString&, const IOnnxRuntimeOpSchemaRegistryList*, const logging::Logger&, "
        + "const ModelOptions&) Missing opset in the model. All ModelProtos MUST have at least one entry that "
        + "specifies which version of the ONNX OperatorSet is being imported.\nmore")))
        .isEqualTo("Load model from model.onnx failed:Missing opset in the model. All ModelProtos MUST have at least "
            + "one entry that specifies which version of the ONNX OperatorSet is being imported.");
    assertThat(OrtMessages.describe(new Exception("Error code - ORT_FAIL - message: /onnxruntime_src/onnxruntime/"
        + "core/framework/tensorprotoutils.cc:426 External data path /etc/x is outside the model folder")))
        .isEqualTo("External data path /etc/x is outside the model folder").doesNotContain(".cc");
    assertThat(OrtMessages.describe(new Exception((String) null))).isEqualTo("ONNX Runtime gave no reason");
  }
}
