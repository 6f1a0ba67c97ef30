package dev.sagebox.engine.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.error.HyperparameterError;
import dev.sagebox.engine.error.PlatformError;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What runs where, with a probe that answers as a chosen machine would. */
class DeviceCheckTest {
  static final CudaDevice H200 = new CudaDevice(0, "NVIDIA H200", 9, 0, 150_754_820_096L);
  static final CudaDevice A10 = new CudaDevice(1, "NVIDIA A10", 8, 6, 23_580_639_232L);
  static final CudaDevice V100 = new CudaDevice(0, "Tesla V100", 7, 0, 17_000_000_000L);
  static final GpuInventory TWO_GPUS = new GpuInventory(Optional.of("580.95.05"), 13000, List.of(H200, A10), "");
  static final GpuInventory NO_GPU = GpuInventory.none(Optional.empty(),
      "libcuda.so.1 did not load (libcuda.so.1: cannot open shared object file): no NVIDIA driver in this container");

  private final AtomicInteger probes = new AtomicInteger();

  private DeviceCheck check(NativeBuilds builds, GpuInventory answer) {
    return new DeviceCheck(builds, () -> {
      probes.incrementAndGet();
      return answer;
    });
  }

  private static DeviceRequest request(String algorithm, NativeBuilds builds, String... kv) {
    Map<String, String> hp = new java.util.HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      hp.put(kv[i], kv[i + 1]);
    }
    return DeviceRequest.of(algorithm, hp, builds).orElseThrow();
  }

  @Test
  void theCpuBuildRefusesCudaWithoutLookingForIt() {
    DeviceCheck cpu = check(NativeBuilds.CPU, TWO_GPUS);
    for (String[] ask : new String[][] {{"xgboost", "device", "cuda"}, {"xgboost", "tree_method", "gpu_hist"},
        {"lenet", "device", "gpu"}, {"linear-learner", "device", "cuda:0"}}) {
      assertThatThrownBy(() -> cpu.require(request(ask[0], NativeBuilds.CPU, ask[1], ask[2])))
          .isInstanceOf(HyperparameterError.class)
          .hasMessageStartingWith("hyperparameter '" + ask[1] + "': ")
          .hasMessageContaining("asks for a CUDA device, but this is the CPU build of Sagebox")
          .hasMessageContaining("--build-arg VARIANT=cuda");
    }
    assertThat(cpu.require(request("xgboost", NativeBuilds.CPU))).isEqualTo(ComputeDevice.CPU);
    assertThat(cpu.require(request("lenet", NativeBuilds.CPU, "device", "cpu"))).isEqualTo(ComputeDevice.CPU);
    assertThat(probes).hasValue(0);
  }

  @Test
  void theCudaBuildWithoutAWorkingGpuIsAPlatformErrorNotACpuRun() {
    DeviceCheck cuda = check(NativeBuilds.CUDA, NO_GPU);
    assertThatThrownBy(() -> cuda.require(request("xgboost", NativeBuilds.CUDA, "device", "cuda")))
        .isInstanceOf(PlatformError.class)
        .hasMessageStartingWith("device=cuda:0 asks for a CUDA device, and none works here: NVIDIA driver not found;"
            + " no CUDA device: libcuda.so.1 did not load")
        .hasMessageContaining("--gpus all");
    // ND4J's backend in this build is CUDA, so its default asks for the GPU too.
    assertThatThrownBy(() -> cuda.require(request("lenet", NativeBuilds.CUDA)))
        .isInstanceOf(PlatformError.class)
        .hasMessageStartingWith("cuda:0 (ND4J's default in this build) asks for a CUDA device, and none works");
    // XGBoost's default stays the CPU, as in XGBoost itself.
    assertThat(cuda.require(request("xgboost", NativeBuilds.CUDA))).isEqualTo(ComputeDevice.CPU);
    assertThat(probes).hasValue(1);
  }

  @Test
  void xgboostRunsOnHopperButNd4jDoesNot() {
    DeviceCheck cuda = check(NativeBuilds.CUDA, TWO_GPUS);
    assertThat(cuda.require(request("xgboost", NativeBuilds.CUDA, "device", "cuda"))).isEqualTo(ComputeDevice.cuda(0));
    assertThat(cuda.require(request("xgboost", NativeBuilds.CUDA, "device", "gpu:1")))
        .isEqualTo(ComputeDevice.cuda(1));
    assertThatThrownBy(() -> cuda.require(request("lenet", NativeBuilds.CUDA, "device", "cuda")))
        .isInstanceOf(PlatformError.class)
        .hasMessage("device=cuda:0: ND4J cannot run on CUDA device 0 NVIDIA H200 (compute capability 9.0, 140 GiB):"
            + " its CUDA kernels stop at compute capability 8.x (sm_86, no PTX to compile for newer GPUs); NVIDIA"
            + " H200 is 9.0. Train linear-learner and lenet with the cpu build; XGBoost does run on this GPU");
    assertThatThrownBy(() -> cuda.require(request("lenet", NativeBuilds.CUDA, "device", "cuda:1")))
        .isInstanceOf(HyperparameterError.class)
        .hasMessageContaining("ND4J trains on the first visible device, cuda:0");
    assertThat(check(NativeBuilds.CUDA, new GpuInventory(Optional.empty(), 12040, List.of(
        new CudaDevice(0, "NVIDIA A10", 8, 6, 1L << 34)), "")).require(request("linear-learner", NativeBuilds.CUDA)))
        .isEqualTo(ComputeDevice.cuda(0));
  }

  @Test
  void aDeviceBeyondTheLastOrAnOldGpuOrDriverIsRefused() {
    DeviceCheck cuda = check(NativeBuilds.CUDA, TWO_GPUS);
    assertThatThrownBy(() -> cuda.require(request("xgboost", NativeBuilds.CUDA, "device", "cuda:2")))
        .isInstanceOf(HyperparameterError.class)
        .hasMessageStartingWith("hyperparameter 'device': 'cuda:2': this machine has 2 CUDA device(s), numbered"
            + " from 0");
    assertThatThrownBy(() -> check(NativeBuilds.CUDA, new GpuInventory(Optional.empty(), 13000, List.of(V100), ""))
        .require(request("xgboost", NativeBuilds.CUDA, "tree_method", "gpu_hist")))
        .isInstanceOf(PlatformError.class)
        .hasMessageContaining("its CUDA kernels start at compute capability 7.5; Tesla V100 is 7.0");
    assertThatThrownBy(() -> check(NativeBuilds.CUDA, new GpuInventory(Optional.empty(), 12020, List.of(H200), ""))
        .require(request("xgboost", NativeBuilds.CUDA, "device", "cuda")))
        .isInstanceOf(PlatformError.class)
        .hasMessageContaining("it needs a driver for CUDA 13 or newer; this driver runs CUDA 12.2");
  }

  @Test
  void theCudaBuildsNd4jCannotBeAskedForTheCpu() {
    assertThatThrownBy(() -> check(NativeBuilds.CUDA, TWO_GPUS).require(request("linear-learner", NativeBuilds.CUDA,
        "device", "cpu")))
        .isInstanceOf(HyperparameterError.class)
        .hasMessageContaining("ND4J backend (nd4j-cuda-11.6) runs on a CUDA device only");
    assertThat(probes).hasValue(0);
  }

  @Test
  void theRealCheckFindsTheBuildsOnAThreadOfItsOwnWithTheSameAnswer() {
    DeviceCheck check = DeviceCheck.forThisProcess();
    assertThat(check.builds()).isEqualTo(NativeBuilds.onClassPath(DeviceCheck.class.getClassLoader()));
    assertThat(check.report()).isNotEmpty();
  }
}
