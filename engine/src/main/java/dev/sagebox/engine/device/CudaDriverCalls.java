package dev.sagebox.engine.device;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jdk.incubator.foreign.CLinker;
import jdk.incubator.foreign.FunctionDescriptor;
import jdk.incubator.foreign.MemoryAccess;
import jdk.incubator.foreign.MemoryAddress;
import jdk.incubator.foreign.MemorySegment;
import jdk.incubator.foreign.ResourceScope;
import jdk.incubator.foreign.SymbolLookup;

/**
 * The CUDA driver API calls behind {@link CudaDriverProbe}: {@code dlopen} of libcuda (left loaded, as the libraries
 * that follow load it too), {@code cuInit}, {@code cuDriverGetVersion}, {@code cuDeviceGetCount}, and per device its
 * name, compute capability and memory.
 */
final class CudaDriverCalls {
  private static final int RTLD_NOW = 2;
  private static final int ATTRIBUTE_CC_MAJOR = 75;
  private static final int ATTRIBUTE_CC_MINOR = 76;

  private final CLinker linker = CLinker.getInstance();

  private CudaDriverCalls() {}

  static GpuInventory query(String library, Optional<String> driver) {
    try {
      return new CudaDriverCalls().run(library, driver);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  private GpuInventory run(String library, Optional<String> driver) throws Throwable {
    SymbolLookup libc = CLinker.systemLookup();
    MethodHandle dlopen = handle(libc.lookup("dlopen").orElseThrow(), MemoryAddress.class, MemoryAddress.class,
        int.class);
    MethodHandle dlsym = handle(libc.lookup("dlsym").orElseThrow(), MemoryAddress.class, MemoryAddress.class,
        MemoryAddress.class);
    MethodHandle dlerror = handle(libc.lookup("dlerror").orElseThrow(), MemoryAddress.class);
    try (ResourceScope scope = ResourceScope.newConfinedScope()) {
      MemoryAddress lib = (MemoryAddress) dlopen.invokeExact(CLinker.toCString(library, scope).address(), RTLD_NOW);
      if (lib.equals(MemoryAddress.NULL)) {
        MemoryAddress err = (MemoryAddress) dlerror.invokeExact();
        return GpuInventory.none(driver, library + " did not load (" + (err.equals(MemoryAddress.NULL) ? "?"
            : CLinker.toJavaString(err)) + "): no NVIDIA driver in this container");
      }
      Symbols sym = name -> {
        MemoryAddress a = (MemoryAddress) dlsym.invokeExact(lib, CLinker.toCString(name, scope).address());
        if (a.equals(MemoryAddress.NULL)) {
          throw new IllegalStateException("symbol " + name + " not found in " + library);
        }
        return a;
      };
      MethodHandle cuInit = handle(sym.find("cuInit"), int.class, int.class);
      MethodHandle errorName = handle(sym.find("cuGetErrorName"), int.class, int.class, MemoryAddress.class);
      MethodHandle getVersion = handle(sym.find("cuDriverGetVersion"), int.class, MemoryAddress.class);
      MethodHandle getCount = handle(sym.find("cuDeviceGetCount"), int.class, MemoryAddress.class);
      MethodHandle getDevice = handle(sym.find("cuDeviceGet"), int.class, MemoryAddress.class, int.class);
      MethodHandle getName = handle(sym.find("cuDeviceGetName"), int.class, MemoryAddress.class, int.class,
          int.class);
      MethodHandle getAttribute = handle(sym.find("cuDeviceGetAttribute"), int.class, MemoryAddress.class,
          int.class, int.class);
      MethodHandle totalMem = handle(sym.find("cuDeviceTotalMem_v2"), int.class, MemoryAddress.class, int.class);

      MemorySegment out = MemorySegment.allocateNative(8, 8, scope);
      MemorySegment name = MemorySegment.allocateNative(256, scope);
      int version = 0;
      if ((int) getVersion.invokeExact(out.address()) == 0) {
        version = MemoryAccess.getInt(out);
      }
      int status = (int) cuInit.invokeExact(0);
      if (status != 0) {
        return new GpuInventory(driver, version, List.of(), "cuInit failed: " + errorText(errorName, status, out));
      }
      status = (int) getCount.invokeExact(out.address());
      if (status != 0) {
        return new GpuInventory(driver, version, List.of(), "cuDeviceGetCount failed: "
            + errorText(errorName, status, out));
      }
      int count = MemoryAccess.getInt(out);
      List<CudaDevice> devices = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        check(errorName, (int) getDevice.invokeExact(out.address(), i), "cuDeviceGet", out);
        int dev = MemoryAccess.getInt(out);
        check(errorName, (int) getName.invokeExact(name.address(), 255, dev), "cuDeviceGetName", out);
        String deviceName = CLinker.toJavaString(name);
        check(errorName, (int) getAttribute.invokeExact(out.address(), ATTRIBUTE_CC_MAJOR, dev), "cuDeviceGetAttribute",
            out);
        int major = MemoryAccess.getInt(out);
        check(errorName, (int) getAttribute.invokeExact(out.address(), ATTRIBUTE_CC_MINOR, dev), "cuDeviceGetAttribute",
            out);
        int minor = MemoryAccess.getInt(out);
        check(errorName, (int) totalMem.invokeExact(out.address(), dev), "cuDeviceTotalMem", out);
        devices.add(new CudaDevice(i, deviceName, major, minor, MemoryAccess.getLong(out)));
      }
      return new GpuInventory(driver, version, devices, count == 0 ? "the driver lists no device" : "");
    }
  }

  @FunctionalInterface
  private interface Symbols {
    MemoryAddress find(String name) throws Throwable;
  }

  private MethodHandle handle(MemoryAddress symbol, Class<?> result, Class<?>... args) {
    jdk.incubator.foreign.MemoryLayout[] layouts = new jdk.incubator.foreign.MemoryLayout[args.length];
    for (int i = 0; i < args.length; i++) {
      layouts[i] = args[i] == int.class ? CLinker.C_INT : CLinker.C_POINTER;
    }
    FunctionDescriptor fd = FunctionDescriptor.of(result == int.class ? CLinker.C_INT : CLinker.C_POINTER, layouts);
    return linker.downcallHandle(symbol, MethodType.methodType(result, args), fd);
  }

  private static void check(MethodHandle errorName, int status, String call, MemorySegment out) throws Throwable {
    if (status != 0) {
      throw new IllegalStateException(call + " failed: " + errorText(errorName, status, out));
    }
  }

  private static String errorText(MethodHandle errorName, int status, MemorySegment out) throws Throwable {
    if ((int) errorName.invokeExact(status, out.address()) == 0) {
      MemoryAddress text = MemoryAccess.getAddress(out);
      if (!text.equals(MemoryAddress.NULL)) {
        return CLinker.toJavaString(text) + " (" + status + ")";
      }
    }
    return "CUresult " + status;
  }
}
