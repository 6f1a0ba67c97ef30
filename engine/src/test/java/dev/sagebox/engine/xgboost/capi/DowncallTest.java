package dev.sagebox.engine.xgboost.capi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import jdk.incubator.foreign.CLinker;
import jdk.incubator.foreign.FunctionDescriptor;
import jdk.incubator.foreign.MemoryAddress;
import jdk.incubator.foreign.SymbolLookup;
import ml.dmlc.xgboost4j.java.XGBoostJNI;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DowncallTest {
  @BeforeAll
  static void loadLibrary() {
    XGBoostJNI.XGBGetLastError(); // loads libxgboost4j.so, whose symbols the loader lookup then finds
  }

  @Test
  void aMissingSymbolFailsWhenTheCallIsDeclaredNotWhenFirstUsed() {
    assertThatThrownBy(() -> new Downcall(CLinker.getInstance(), SymbolLookup.loaderLookup(), "XGNoSuchFunction",
        FunctionDescriptor.of(CLinker.C_INT, CLinker.C_POINTER)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("XGNoSuchFunction");
  }

  @Test
  void theHandleIsMadeOnceWithTheJavaTypesOfItsCSignatureAndCalls() throws Throwable {
    Downcall lastError = new Downcall(CLinker.getInstance(), SymbolLookup.loaderLookup(), "XGBGetLastError",
        FunctionDescriptor.of(CLinker.C_POINTER));
    MethodHandle h = lastError.get();
    assertThat(lastError.get()).isSameAs(h);
    assertThat(h.type()).isEqualTo(MethodType.methodType(MemoryAddress.class));
    MemoryAddress message = (MemoryAddress) h.invokeExact();
    assertThat(message).isNotEqualTo(MemoryAddress.NULL);
    Downcall allreduce = new Downcall(CLinker.getInstance(), SymbolLookup.loaderLookup(), "XGCommunicatorAllreduce",
        FunctionDescriptor.of(CLinker.C_INT, CLinker.C_POINTER, CLinker.C_LONG, CLinker.C_INT, CLinker.C_INT));
    assertThat(allreduce.get().type()).isEqualTo(
        MethodType.methodType(int.class, MemoryAddress.class, long.class, int.class, int.class));
  }
}
