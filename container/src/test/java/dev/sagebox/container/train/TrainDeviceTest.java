package dev.sagebox.container.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagebox.container.SampleTrees;
import dev.sagebox.container.cluster.ClusterSettings;
import dev.sagebox.engine.device.CudaDevice;
import dev.sagebox.engine.device.DeviceCheck;
import dev.sagebox.engine.device.GpuInventory;
import dev.sagebox.engine.device.NativeBuilds;
import dev.sagebox.engine.linear.LinearLearnerAlgorithm;
import dev.sagebox.engine.model.AlgorithmRegistry;
import dev.sagebox.engine.xgboost.XGBoostAlgorithm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Asking for a GPU through the real {@code train} command: refused with output/failure and an exit code, never a
 * quiet CPU run. The machines that run these tests have no GPU, so with the real device check a CPU build refuses
 * as a client error and a CUDA build ({@code -P cuda}) as a platform error.
 */
class TrainDeviceTest {
  @TempDir
  Path tmp;

  private static final boolean CUDA_BUILD = NativeBuilds.onClassPath(TrainDeviceTest.class.getClassLoader())
      .anyCuda();

  private static AlgorithmRegistry registry() {
    return new AlgorithmRegistry(List.of(new XGBoostAlgorithm("test", w -> { }),
        new LinearLearnerAlgorithm("test")));
  }

  private Path xgboostJob(String hyperparameters) throws IOException {
    Path base = SampleTrees.copy("xgboost", tmp.resolve("ml"));
    Files.writeString(base.resolve("input/config/hyperparameters.json"), hyperparameters);
    return base;
  }

  private static int train(Path base, TrainCommandFactory factory) {
    return factory.make(SampleTrees.settings(base), new PrintStream(new ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8)).run();
  }

  private interface TrainCommandFactory {
    TrainCommand make(dev.sagebox.container.ContainerSettings settings, PrintStream out);
  }

  private static String failure(Path base) throws IOException {
    return Files.readString(base.resolve("output/failure"));
  }

  @Test
  void deviceCudaOnThisGpulessMachineFailsClearly() throws IOException {
    Path base = xgboostJob("{\"num_round\": \"3\", \"objective\": \"binary:logistic\", \"device\": \"cuda\"}");
    int code = train(base, (s, out) -> new TrainCommand(s, registry(), out, () -> false));
    assertThat(base.resolve("model/xgboost-model")).doesNotExist();
    assertThat(base.resolve("output/success")).doesNotExist();
    if (CUDA_BUILD) {
      assertThat(code).isEqualTo(FailureReport.PLATFORM_ERROR);
      assertThat(failure(base)).contains("device=cuda:0 asks for a CUDA device, and none works here")
          .contains("--gpus all");
    } else {
      assertThat(code).isEqualTo(FailureReport.USER_ERROR);
      assertThat(failure(base)).startsWith("hyperparameter 'device': device=cuda:0 asks for a CUDA device, but this"
          + " is the CPU build of Sagebox, where XGBoost runs on the CPU only");
    }
  }

  @Test
  void gpuHistIsARequestForCudaToo() throws IOException {
    Path base = xgboostJob("{\"num_round\": \"3\", \"objective\": \"binary:logistic\", \"tree_method\": \"gpu_hist\"}");
    int code = train(base, (s, out) -> new TrainCommand(s, registry(), out, () -> false));
    assertThat(code).isEqualTo(CUDA_BUILD ? FailureReport.PLATFORM_ERROR : FailureReport.USER_ERROR);
    assertThat(failure(base)).contains("tree_method=gpu_hist (device cuda:0) asks for a CUDA device");
  }

  @Test
  void deviceCpuTrainsAsBefore() throws IOException {
    Path base = xgboostJob("{\"num_round\": \"3\", \"objective\": \"binary:logistic\", \"device\": \"cpu\"}");
    assertThat(train(base, (s, out) -> new TrainCommand(s, registry(), out, () -> false))).isZero();
    assertThat(base.resolve("model/xgboost-model")).isRegularFile();
  }

  @Test
  void aHopperGpuIsRefusedForTheLinearLearnerBeforeAnyDataIsRead() throws IOException {
    Path base = xgboostJob("{\"predictor_type\": \"binary_classifier\", \"epochs\": \"1\"}");
    GpuInventory h200 = new GpuInventory(Optional.of("580.95.05"), 13000,
        List.of(new CudaDevice(0, "NVIDIA H200", 9, 0, 150_754_820_096L)), "");
    DeviceCheck fake = new DeviceCheck(NativeBuilds.CUDA, () -> h200);
    int code = train(base, (s, out) -> new TrainCommand(SampleTrees.settings(base, dev.sagebox.container.SageMakerEnv.ALGORITHM,
        "linear-learner"), registry(), out, () -> false, ClusterSettings.fromEnv(Map.of()), fake));
    assertThat(code).isEqualTo(FailureReport.PLATFORM_ERROR);
    assertThat(failure(base)).contains("ND4J cannot run on CUDA device 0 NVIDIA H200 (compute capability 9.0")
        .contains("Train linear-learner and lenet with the cpu build; XGBoost does run on this GPU");
  }
}
