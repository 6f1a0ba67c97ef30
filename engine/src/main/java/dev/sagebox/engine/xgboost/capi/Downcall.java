package dev.sagebox.engine.xgboost.capi;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import jdk.incubator.foreign.CLinker;
import jdk.incubator.foreign.FunctionDescriptor;
import jdk.incubator.foreign.MemoryAddress;
import jdk.incubator.foreign.SymbolLookup;

/**
 * One C function of the loaded library, its symbol found at once and its downcall handle made on first use. Making a
 * handle is costly in Java 17's foreign linker (it generates and loads classes: ~0.1 s for the first in a fresh JVM,
 * and a few dozen more method-handle classes for each new signature); a training that only predicts makes one.
 */
final class Downcall {
  private final CLinker linker;
  private final MemoryAddress symbol;
  private final MethodType type;
  private final FunctionDescriptor descriptor;
  private volatile MethodHandle handle;

  /** {@code name} in {@code lookup} with C signature {@code fd}: {@code C_LONG} as long, {@code C_INT} as int. */
  Downcall(CLinker linker, SymbolLookup lookup, String name, FunctionDescriptor fd) {
    this.linker = linker;
    this.symbol = lookup.lookup(name).orElseThrow(() ->
        new IllegalStateException("symbol " + name + " not found in libxgboost4j.so"));
    Class<?>[] args = new Class<?>[fd.argumentLayouts().size()];
    for (int i = 0; i < args.length; i++) {
      args[i] = javaType(fd.argumentLayouts().get(i));
    }
    this.type = MethodType.methodType(javaType(fd.returnLayout().orElseThrow()), args);
    this.descriptor = fd;
  }

  /** The handle, made the first time it is asked for (two threads at once may both make one; either serves). */
  MethodHandle get() {
    MethodHandle h = handle;
    if (h == null) {
      h = linker.downcallHandle(symbol, type, descriptor);
      handle = h;
    }
    return h;
  }

  private static Class<?> javaType(Object layout) {
    return layout == CLinker.C_LONG ? long.class : layout == CLinker.C_INT ? int.class : MemoryAddress.class;
  }
}
