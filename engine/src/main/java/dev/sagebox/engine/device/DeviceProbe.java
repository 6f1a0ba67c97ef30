package dev.sagebox.engine.device;

/** Asks the machine which CUDA devices it has. Tests give a fixed answer; {@link CudaDriverProbe} asks libcuda. */
@FunctionalInterface
public interface DeviceProbe {

  GpuInventory probe();
}
