package dev.sagebox.engine.xgboost.capi;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import jdk.incubator.foreign.CLinker;
import jdk.incubator.foreign.FunctionDescriptor;
import jdk.incubator.foreign.MemoryAccess;
import jdk.incubator.foreign.MemoryAddress;
import jdk.incubator.foreign.MemorySegment;
import jdk.incubator.foreign.ResourceScope;
import jdk.incubator.foreign.SymbolLookup;
import ml.dmlc.xgboost4j.java.XGBoostError;
import ml.dmlc.xgboost4j.java.XGBoostJNI;

/**
 * The parts of XGBoost's C API that xgboost4j's CPU build does not reach from Java: the proxy matrix and the
 * callback-driven quantile matrices ({@code XGQuantileDMatrixCreateFromCallback}, in memory, and
 * {@code XGExtMemQuantileDMatrixCreateFromCallback}, pages on disk). xgboost4j's own JNI wrappers for these two
 * refuse to run without CUDA, but the C functions are exported by the same {@code libxgboost4j.so}; they are called
 * here through Java 17's foreign linker ({@code jdk.incubator.foreign}), which needs
 * {@code --add-modules jdk.incubator.foreign --enable-native-access=ALL-UNNAMED} on the JVM's command line
 * ({@code bin/sagebox} and the test runner pass them). Handles are plain addresses, the same values xgboost4j keeps
 * in its {@code DMatrix} objects, so a matrix made here trains with xgboost4j's {@code Booster}.
 */
public final class XGBoostCApi {
  private final CLinker linker;
  private final Downcall proxyCreate;
  private final Downcall proxySetDense;
  private final Downcall proxySetCsr;
  private final Downcall setInfo;
  private final Downcall quantile;
  private final Downcall extMemQuantile;
  private final Downcall free;
  private final Downcall lastError;
  private final Downcall predict;
  private final Downcall allreduce;

  private XGBoostCApi(CLinker linker, SymbolLookup lookup) {
    this.linker = linker;
    FunctionDescriptor p1 = FunctionDescriptor.of(CLinker.C_INT, CLinker.C_POINTER);
    FunctionDescriptor p2 = FunctionDescriptor.of(CLinker.C_INT, CLinker.C_POINTER, CLinker.C_POINTER);
    FunctionDescriptor p3 = FunctionDescriptor.of(CLinker.C_INT, CLinker.C_POINTER, CLinker.C_POINTER,
        CLinker.C_POINTER);
    FunctionDescriptor csr = FunctionDescriptor.of(CLinker.C_INT, CLinker.C_POINTER, CLinker.C_POINTER,
        CLinker.C_POINTER, CLinker.C_POINTER, CLinker.C_LONG);
    FunctionDescriptor p7 = FunctionDescriptor.of(CLinker.C_INT, CLinker.C_POINTER, CLinker.C_POINTER,
        CLinker.C_POINTER, CLinker.C_POINTER, CLinker.C_POINTER, CLinker.C_POINTER, CLinker.C_POINTER);
    proxyCreate = new Downcall(linker, lookup, "XGProxyDMatrixCreate", p1);
    proxySetDense = new Downcall(linker, lookup, "XGProxyDMatrixSetDataDense", p2);
    proxySetCsr = new Downcall(linker, lookup, "XGProxyDMatrixSetDataCSR", csr);
    setInfo = new Downcall(linker, lookup, "XGDMatrixSetInfoFromInterface", p3);
    quantile = new Downcall(linker, lookup, "XGQuantileDMatrixCreateFromCallback", p7);
    extMemQuantile = new Downcall(linker, lookup, "XGExtMemQuantileDMatrixCreateFromCallback", p7);
    free = new Downcall(linker, lookup, "XGDMatrixFree", p1);
    lastError = new Downcall(linker, lookup, "XGBGetLastError", FunctionDescriptor.of(CLinker.C_POINTER));
    predict = new Downcall(linker, lookup, "XGBoosterPredict", FunctionDescriptor.of(CLinker.C_INT,
        CLinker.C_POINTER, CLinker.C_POINTER, CLinker.C_INT, CLinker.C_INT, CLinker.C_INT, CLinker.C_POINTER,
        CLinker.C_POINTER));
    allreduce = new Downcall(linker, lookup, "XGCommunicatorAllreduce",
        FunctionDescriptor.of(CLinker.C_INT, CLinker.C_POINTER, CLinker.C_LONG, CLinker.C_INT, CLinker.C_INT));
  }

  /**
   * The C math library's {@code expf}, which XGBoost's logistic transform calls, or null where the system lookup does
   * not find it. (For {@code LogisticTransform} to tell which rounding of the same algorithm this machine's library
   * has.)
   */
  public static java.util.function.IntUnaryOperator mathLibraryExpf() {
    try {
      Optional<MemoryAddress> symbol = CLinker.systemLookup().lookup("expf");
      if (symbol.isEmpty()) {
        return null;
      }
      MethodHandle expf = CLinker.getInstance().downcallHandle(symbol.get(),
          MethodType.methodType(float.class, float.class), FunctionDescriptor.of(CLinker.C_FLOAT, CLinker.C_FLOAT));
      return bits -> {
        try {
          return Float.floatToRawIntBits((float) expf.invokeExact(Float.intBitsToFloat(bits)));
        } catch (Throwable t) {
          throw new IllegalStateException("expf failed", t);
        }
      };
    } catch (RuntimeException | LinkageError e) {
      return null;
    }
  }

  /**
   * The C API, or empty with the reason given to {@code why} when this JVM cannot call it (the native-access flag
   * missing, or a symbol not found in the loaded library). Reached through {@link CApiAccess#open}, which first
   * checks that the module is there: this class cannot even be linked without it.
   */
  static Optional<XGBoostCApi> openLinked(Consumer<String> why) {
    try {
      XGBoostJNI.XGBGetLastError(); // loads libxgboost4j.so into this class loader
      return Optional.of(new XGBoostCApi(CLinker.getInstance(), SymbolLookup.loaderLookup()));
    } catch (IllegalCallerException e) {
      why.accept("the JVM runs without --enable-native-access=ALL-UNNAMED");
    } catch (RuntimeException | LinkageError e) {
      why.accept("XGBoost's C API is not reachable: " + e);
    }
    return Optional.empty();
  }

  /**
   * {@code XGCommunicatorAllreduce} on 32-bit floats, with its status checked: xgboost4j's own
   * {@code Communicator.allReduce} drops the status, so a failed reduction would come back as this host's values.
   *
   * @param op XGBoost's operation code ({@code Communicator.OpType#getOperand()})
   */
  public float[] allReduceFloats(float[] values, int floatType, int op) throws XGBoostError {
    try (ResourceScope scope = ResourceScope.newConfinedScope()) {
      MemorySegment buf = MemorySegment.allocateNative(4L * Math.max(1, values.length), 8, scope);
      buf.asSlice(0, 4L * values.length).copyFrom(MemorySegment.ofArray(values));
      check((int) allreduce.get().invokeExact(buf.address(), (long) values.length, floatType, op));
      float[] out = new float[values.length];
      MemorySegment.ofArray(out).copyFrom(buf.asSlice(0, 4L * values.length));
      return out;
    } catch (XGBoostError e) {
      throw e;
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  /** A new proxy matrix: the slot through which each callback batch is handed over. */
  public long createProxy() throws XGBoostError {
    try (ResourceScope scope = ResourceScope.newConfinedScope()) {
      MemorySegment out = MemorySegment.allocateNative(8, scope);
      check((int) proxyCreate.get().invokeExact(out.address()));
      return MemoryAccess.getLong(out);
    } catch (XGBoostError e) {
      throw e;
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  /** Points the proxy at {@code rows} x {@code cols} row-major floats at {@code address} (not copied). */
  public void setDense(long proxy, long address, int rows, int cols) throws XGBoostError {
    String json = arrayInterface(address, "<f4", rows + ", " + cols);
    try (ResourceScope scope = ResourceScope.newConfinedScope()) {
      check((int) proxySetDense.get().invokeExact(MemoryAddress.ofLong(proxy),
          CLinker.toCString(json, scope).address()));
    } catch (XGBoostError e) {
      throw e;
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  /**
   * Points the proxy at a CSR batch: {@code rows + 1} 64-bit row offsets, {@code nonZeros} 32-bit column indices and
   * float values, {@code cols} columns in all.
   */
  public void setCsr(long proxy, long offsets, long indices, long values, int rows, long nonZeros, int cols)
      throws XGBoostError {
    try (ResourceScope scope = ResourceScope.newConfinedScope()) {
      check((int) proxySetCsr.get().invokeExact(MemoryAddress.ofLong(proxy),
          CLinker.toCString(arrayInterface(offsets, "<u8", Long.toString(rows + 1L)), scope).address(),
          CLinker.toCString(arrayInterface(indices, "<u4", Long.toString(nonZeros)), scope).address(),
          CLinker.toCString(arrayInterface(values, "<f4", Long.toString(nonZeros)), scope).address(),
          (long) cols));
    } catch (XGBoostError e) {
      throw e;
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  /** Sets a float field ({@code label}, {@code weight}, {@code label_lower_bound}, ...) from {@code rows} floats. */
  public void setFloatInfo(long matrix, String field, long address, int rows) throws XGBoostError {
    try (ResourceScope scope = ResourceScope.newConfinedScope()) {
      check((int) setInfo.get().invokeExact(MemoryAddress.ofLong(matrix),
          CLinker.toCString(field, scope).address(),
          CLinker.toCString(arrayInterface(address, "<f4", Integer.toString(rows)), scope).address()));
    } catch (XGBoostError e) {
      throw e;
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  /**
   * Builds a quantile matrix by driving {@code batches} (reset, then next until it answers false), each batch set on
   * {@code proxy}. {@code reference}: 0, or the training matrix whose cuts a validation matrix reuses.
   * {@code config}: XGBoost's JSON ({@code missing}, {@code nthread}, {@code max_bin}; for external memory also
   * {@code cache_prefix} and {@code on_host}). The first exception a batch throws is rethrown here.
   */
  public long quantileMatrix(long proxy, long reference, Batches batches, String config, boolean externalMemory)
      throws XGBoostError, Exception {
    Callbacks callbacks = new Callbacks(batches);
    long handle;
    try (ResourceScope scope = ResourceScope.newConfinedScope()) {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      MemoryAddress reset = linker.upcallStub(lookup.findVirtual(Callbacks.class, "reset",
          MethodType.methodType(void.class, MemoryAddress.class)).bindTo(callbacks),
          FunctionDescriptor.ofVoid(CLinker.C_POINTER), scope);
      MemoryAddress next = linker.upcallStub(lookup.findVirtual(Callbacks.class, "next",
          MethodType.methodType(int.class, MemoryAddress.class)).bindTo(callbacks),
          FunctionDescriptor.of(CLinker.C_INT, CLinker.C_POINTER), scope);
      MemorySegment out = MemorySegment.allocateNative(8, scope);
      MethodHandle create = (externalMemory ? extMemQuantile : quantile).get();
      int rc = (int) create.invokeExact(MemoryAddress.NULL, MemoryAddress.ofLong(proxy),
          MemoryAddress.ofLong(reference), reset, next, CLinker.toCString(config, scope).address(), out.address());
      handle = rc == 0 ? MemoryAccess.getLong(out) : 0;
      if (callbacks.failure != null) {
        if (handle != 0) {
          free(handle);
        }
        if (callbacks.failure instanceof Error error) {
          throw error;
        }
        throw (Exception) callbacks.failure;
      }
      check(rc);
    } catch (XGBoostError e) {
      throw e;
    } catch (Exception e) {
      throw e;
    } catch (Throwable t) {
      throw unexpected(t);
    }
    return handle;
  }

  /**
   * XGBoost's predictions of {@code matrix} by every tree of {@code booster} ({@code XGBoosterPredict}, which serves
   * them from its prediction cache; {@code optionMask} 0: transformed values, 1: margins), copied into {@code into}
   * when its length fits, else into a new array; returns the array that holds them. Unlike xgboost4j's binding, it
   * allocates nothing on the heap when {@code into} fits, which matters when called every round on a million rows.
   */
  public float[] predict(long booster, long matrix, int optionMask, float[] into) throws XGBoostError {
    try (ResourceScope scope = ResourceScope.newConfinedScope()) {
      MemorySegment length = MemorySegment.allocateNative(8, scope);
      MemorySegment result = MemorySegment.allocateNative(8, scope);
      check((int) predict.get().invokeExact(MemoryAddress.ofLong(booster), MemoryAddress.ofLong(matrix), optionMask,
          0, 0, length.address(), result.address()));
      long n = MemoryAccess.getLong(length);
      float[] out = into != null && into.length == n ? into : new float[Math.toIntExact(n)];
      MemorySegment.ofArray(out).copyFrom(MemoryAccess.getAddress(result).asSegment(n * Float.BYTES, scope));
      return out;
    } catch (XGBoostError e) {
      throw e;
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  /** Frees a matrix made here (xgboost4j's {@code DMatrix.dispose} does the same for one it wraps). */
  public void free(long matrix) {
    try {
      int rc = (int) free.get().invokeExact(MemoryAddress.ofLong(matrix));
      if (rc != 0) {
        throw new IllegalStateException("XGDMatrixFree: " + error());
      }
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  private void check(int rc) throws XGBoostError {
    if (rc != 0) {
      throw new XGBoostError(error());
    }
  }

  private String error() {
    try {
      return CLinker.toJavaString((MemoryAddress) lastError.get().invokeExact());
    } catch (Throwable t) {
      return "(no message: " + t + ")";
    }
  }

  private static String arrayInterface(long address, String type, String shape) {
    return String.format(Locale.ROOT, "{\"data\": [%d, true], \"shape\": [%s], \"typestr\": \"%s\", \"version\": 3}",
        address, shape, type);
  }

  private static IllegalStateException unexpected(Throwable t) {
    return new IllegalStateException("calling XGBoost's C API failed: " + t, t);
  }

  /** The data source a quantile matrix is built from: XGBoost calls it again for each pass over the data. */
  public interface Batches {
    /** Back to the first batch. */
    void reset() throws Exception;

    /** Sets the next batch on the proxy and answers true, or answers false at the end of the data. */
    boolean next() throws Exception;
  }

  /**
   * The upcall targets. An exception must not cross back into native code, so the first one is kept, the data is
   * reported as ended, and {@link #quantileMatrix} rethrows it.
   */
  private static final class Callbacks {
    private final Batches batches;
    private Throwable failure;

    Callbacks(Batches batches) {
      this.batches = batches;
    }

    @SuppressWarnings("unused") // called from native code
    void reset(MemoryAddress ignored) {
      if (failure != null) {
        return;
      }
      try {
        batches.reset();
      } catch (Exception | Error e) {
        failure = e;
      }
    }

    @SuppressWarnings("unused") // called from native code
    int next(MemoryAddress ignored) {
      if (failure != null) {
        return 0;
      }
      try {
        return batches.next() ? 1 : 0;
      } catch (Exception | Error e) {
        failure = e;
        return 0;
      }
    }
  }
}
