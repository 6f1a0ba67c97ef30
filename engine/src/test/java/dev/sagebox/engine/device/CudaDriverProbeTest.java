package dev.sagebox.engine.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The libcuda calls, made for real through the foreign linker against a stand-in driver library compiled here with
 * gcc (src/test/resources/device/fake_libcuda.c): no GPU needed.
 */
class CudaDriverProbeTest {

  @TempDir
  Path dir;

  @Test
  void readsDevicesNamesComputeCapabilityMemoryAndDriverVersion() throws Exception {
    Path proc = dir.resolve("version");
    Files.writeString(proc, "NVRM version: NVIDIA UNIX x86_64 Kernel Module  580.95.05  Tue Sep 23 09:55:41 UTC 2025\n"
        + "GCC version:  gcc version 12.2.0 (Debian 12.2.0-14)\n");
    GpuInventory found = new CudaDriverProbe(fakeDriver("").toString(), proc).probe();

    assertThat(found.problem()).isEmpty();
    assertThat(found.driver()).contains("580.95.05");
    assertThat(found.cudaDriverApi()).isEqualTo(13000);
    assertThat(found.devices()).containsExactly(
        new CudaDevice(0, "Fake H200", 9, 0, 150754820096L),
        new CudaDevice(1, "Fake A10", 8, 6, 23580639232L));
    assertThat(found.describe()).isEqualTo("NVIDIA driver 580.95.05 (CUDA 13.0); 2 CUDA devices: "
        + "0 Fake H200 (compute capability 9.0, 140 GiB), 1 Fake A10 (compute capability 8.6, 22 GiB)");
  }

  @Test
  void aFailedCuInitIsReportedByItsName() throws Exception {
    GpuInventory found = new CudaDriverProbe(fakeDriver("-DNO_DEVICE").toString(), dir.resolve("absent")).probe();

    assertThat(found.devices()).isEmpty();
    assertThat(found.driver()).isEmpty();
    assertThat(found.problem()).isEqualTo("cuInit failed: CUDA_ERROR_NO_DEVICE (100)");
  }

  @Test
  void noDriverLibraryMeansNoDeviceAndSaysWhy() {
    String missing = dir.resolve("libcuda-missing.so.1").toString();
    GpuInventory found = new CudaDriverProbe(missing, dir.resolve("absent")).probe();

    assertThat(found.devices()).isEmpty();
    assertThat(found.problem()).startsWith(missing + " did not load (").contains("No such file")
        .endsWith("): no NVIDIA driver in this container");
  }

  @Test
  void kernelDriverVersionIsReadFromTheProcFileOnly() throws IOException {
    Path proc = dir.resolve("version");
    Files.writeString(proc, "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  570.133.20  Release Build\n");
    assertThat(CudaDriverProbe.kernelDriver(proc)).contains("570.133.20");
    assertThat(CudaDriverProbe.kernelDriver(dir.resolve("none"))).isEqualTo(Optional.empty());
  }

  private Path fakeDriver(String define) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")), "gcc is needed to build the stand-in libcuda");
    Path source = dir.resolve("fake_libcuda.c");
    try (InputStream in = getClass().getResourceAsStream("/device/fake_libcuda.c")) {
      Files.copy(in, source);
    }
    Path lib = dir.resolve("libcuda" + define.replace("-D", "-") + ".so.1");
    List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/gcc", "-shared", "-fPIC", "-o", lib.toString(),
        source.toString()));
    if (!define.isEmpty()) {
      cmd.add(define);
    }
    Process gcc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(gcc.getInputStream().readAllBytes());
    assertThat(gcc.waitFor()).as("gcc: " + out).isZero();
    Files.delete(source);
    return lib;
  }
}
