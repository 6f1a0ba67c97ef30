package dev.sagebox.engine.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.error.HyperparameterError;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceRequestTest {

  @Test
  void xgboostReadsDeviceOrGpuHistAndDefaultsToTheCpu() {
    assertThat(DeviceRequest.of("xgboost", Map.of("device", "GPU:2"), NativeBuilds.CUDA)).contains(
        new DeviceRequest(NativeLibrary.XGBOOST, ComputeDevice.cuda(2), "device"));
    assertThat(DeviceRequest.of("xgboost", Map.of("tree_method", "gpu_hist"), NativeBuilds.CPU)).contains(
        new DeviceRequest(NativeLibrary.XGBOOST, ComputeDevice.cuda(0), "tree_method"));
    assertThat(DeviceRequest.of("xgboost", Map.of("tree_method", "hist"), NativeBuilds.CUDA)).contains(
        new DeviceRequest(NativeLibrary.XGBOOST, ComputeDevice.CPU, null));
    assertThatThrownBy(() -> DeviceRequest.of("xgboost", Map.of("tree_method", "gpu_hist", "device", "cpu"),
        NativeBuilds.CUDA))
        .isInstanceOf(HyperparameterError.class)
        .hasMessageContaining("'gpu_hist' asks for a CUDA device but device is 'cpu'");
  }

  @Test
  void nd4jAlgorithmsDefaultToTheBuildsBackend() {
    assertThat(DeviceRequest.of("lenet", Map.of(), NativeBuilds.CUDA).orElseThrow().device())
        .isEqualTo(ComputeDevice.cuda(0));
    assertThat(DeviceRequest.of("linear-learner", Map.of(), NativeBuilds.CPU).orElseThrow().device())
        .isEqualTo(ComputeDevice.CPU);
    assertThat(DeviceRequest.of("some-onnx-thing", Map.of("device", "cuda"), NativeBuilds.CUDA)).isEmpty();
  }

  @Test
  void aBadDeviceNamesTheSettingAndWhatIsAccepted() {
    assertThatThrownBy(() -> DeviceRequest.of("lenet", Map.of("device", "cuda:x"), NativeBuilds.CPU))
        .isInstanceOf(HyperparameterError.class)
        .hasMessage("hyperparameter 'device': 'cuda:x' is not a device; accepted: cpu, cuda, cuda:N (N >= 0, the"
            + " CUDA device's ordinal), gpu or gpu:N");
    for (String bad : new String[] {"", "cuda:", "tpu", "cuda:-1", "cuda:0:1", "sycl"}) {
      assertThatThrownBy(() -> ComputeDevice.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(ComputeDevice.PARAM_TYPE.parse(" Cuda ")).isEqualTo("cuda:0");
    assertThat(ComputeDevice.PARAM_TYPE.parse("cpu")).isEqualTo("cpu");
  }
}
