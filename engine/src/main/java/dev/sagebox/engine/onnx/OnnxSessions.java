package dev.sagebox.engine.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.sagebox.engine.error.PlatformError;
import dev.sagebox.engine.error.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Opens ONNX Runtime sessions the one way Sagebox uses them: all graph optimisations, intra-op threads as given,
 * one inter-op thread (requests already run in parallel), and the CUDA execution provider when this ONNX Runtime
 * build has it and a device answers (unverified here: the CPU build on Maven Central has no CUDA provider).
 */
public final class OnnxSessions {
  private OnnxSessions() {}

  /** The process-wide ONNX Runtime environment (ONNX Runtime itself allows only one). */
  public static OrtEnvironment environment() {
    return OrtEnvironment.getEnvironment();
  }

  /**
   * Opens {@code model} with {@code intraOpThreads} threads per run; {@code log} hears which execution provider was
   * chosen. A file ONNX Runtime cannot load is a {@link UserError} naming it.
   */
  public static OrtSession open(Path model, int intraOpThreads, Consumer<String> log) {
    if (!Files.isRegularFile(model)) {
      throw new UserError("ONNX model " + model + " does not exist");
    }
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setIntraOpNumThreads(Math.max(1, intraOpThreads));
      options.setInterOpNumThreads(1);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      String provider = "CPU";
      if (OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
        try {
          options.addCUDA(0);
          provider = "CUDA (device 0)";
        } catch (OrtException e) {
          log.accept("ONNX Runtime has the CUDA provider but it did not start (" + e.getMessage() + "); using CPU");
        }
      }
      OrtSession session = environment().createSession(model.toString(), options);
      log.accept("ONNX Runtime " + provider + ": " + model.getFileName() + ", " + Math.max(1, intraOpThreads)
          + " intra-op thread(s)");
      return session;
    } catch (OrtException e) {
      throw new UserError(model + " is not a model ONNX Runtime can load: " + OrtMessages.describe(e), e);
    } catch (UnsatisfiedLinkError | ExceptionInInitializerError e) {
      throw new PlatformError("ONNX Runtime's native library cannot be loaded: " + e, e);
    }
  }
}
