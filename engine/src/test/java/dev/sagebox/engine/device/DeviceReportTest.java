package dev.sagebox.engine.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceReportTest {

  @Test
  void theCpuBuildSaysCpuInOneLineWithoutProbing() {
    assertThat(DeviceReport.lines(NativeBuilds.CPU, () -> {
      throw new AssertionError("a CPU build must not look for CUDA");
    }, Optional.empty())).containsExactly("compute: cpu build: XGBoost, ND4J (nd4j-native) and ONNX Runtime run on"
        + " the CPU; CUDA is not looked for");
    assertThat(DeviceReport.lines(NativeBuilds.CPU, () -> null, Optional.of("580.95.05")).get(0))
        .endsWith("(NVIDIA driver 580.95.05 is visible: the cuda build would use its GPUs)");
  }

  @Test
  void theCudaBuildSaysWhichLibraryCanUseWhichDevice() {
    assertThat(DeviceReport.lines(NativeBuilds.CUDA, () -> DeviceCheckTest.TWO_GPUS, Optional.empty()))
        .containsExactly(
            "compute: cuda build; NVIDIA driver 580.95.05 (CUDA 13.0); 2 CUDA devices: 0 NVIDIA H200 (compute"
                + " capability 9.0, 140 GiB), 1 NVIDIA A10 (compute capability 8.6, 22 GiB)",
            "compute: XGBoost (xgboost): CUDA on cuda:0, cuda:1 with device=cuda, else the CPU; ND4J (linear-learner"
                + " and lenet): CUDA on cuda:1; not cuda:0 (its CUDA kernels stop at compute capability 8.x (sm_86,"
                + " no PTX to compile for newer GPUs); NVIDIA H200 is 9.0); ONNX Runtime on the CPU: its CUDA"
                + " provider needs CUDA 12 and cuDNN 9 libraries, which the image does not ship");
    assertThat(DeviceReport.lines(NativeBuilds.CUDA, () -> DeviceCheckTest.NO_GPU, Optional.empty()).get(1))
        .startsWith("compute: XGBoost (xgboost): no CUDA device; ND4J (linear-learner and lenet): no CUDA device;");
  }

  @Test
  void buildsAreFoundFromOneResourceEach(@TempDir Path dir) throws IOException {
    try (URLClassLoader empty = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
      assertThat(NativeBuilds.onClassPath(empty)).isEqualTo(NativeBuilds.CPU);
    }
    for (String marker : new String[] {NativeBuilds.XGBOOST_CUDA, NativeBuilds.ND4J_CUDA,
        NativeBuilds.ONNX_RUNTIME_CUDA}) {
      Path f = dir.resolve(marker);
      Files.createDirectories(f.getParent());
      Files.write(f, new byte[0]);
    }
    try (URLClassLoader cuda = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
      NativeBuilds found = NativeBuilds.onClassPath(cuda);
      assertThat(found).isEqualTo(NativeBuilds.CUDA);
      assertThat(found.variant()).isEqualTo("cuda");
    }
  }
}
