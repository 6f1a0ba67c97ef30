package dev.sagebox.engine.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.sagebox.engine.error.AlgorithmError;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Map;
import java.util.Set;

/**
 * Float tensors into an ONNX Runtime session and flat arrays out of its results. The caller closes what it gets
 * (try-with-resources on the {@link OnnxTensor} and the {@link OrtSession.Result}); a failure inside ONNX Runtime is
 * an {@link AlgorithmError} (inputs are validated before they get here).
 */
public final class OnnxTensors {
  private OnnxTensors() {}

  /** A float tensor of {@code shape} over the first (product of shape) values of {@code values}, row-major. */
  public static OnnxTensor floats(float[] values, long... shape) {
    long count = 1;
    for (long d : shape) {
      count *= d;
    }
    if (count > values.length) {
      throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape) + " needs " + count
          + " values, got " + values.length);
    }
    try {
      return OnnxTensor.createTensor(OnnxSessions.environment(), FloatBuffer.wrap(values, 0, (int) count), shape);
    } catch (OrtException e) {
      throw new AlgorithmError("ONNX Runtime cannot hold a tensor of shape " + java.util.Arrays.toString(shape)
          + ": " + OrtMessages.describe(e), e);
    }
  }

  /** Runs {@code session} on {@code inputs}, fetching only {@code outputs}. Close the result. */
  public static OrtSession.Result run(OrtSession session, Map<String, OnnxTensor> inputs, Set<String> outputs) {
    try {
      return session.run(inputs, outputs);
    } catch (OrtException e) {
      throw new AlgorithmError("ONNX Runtime failed to run the model: " + OrtMessages.describe(e), e);
    }
  }

  /** The float output {@code name} of {@code result}, flattened row-major. */
  public static float[] floats(OrtSession.Result result, String name) {
    FloatBuffer b = tensor(result, name).getFloatBuffer();
    if (b == null) {
      throw new AlgorithmError("ONNX output '" + name + "' is not a float tensor", null);
    }
    float[] out = new float[b.remaining()];
    b.get(out);
    return out;
  }

  /** The 64-bit integer output {@code name} of {@code result}, flattened row-major. */
  public static long[] longs(OrtSession.Result result, String name) {
    LongBuffer b = tensor(result, name).getLongBuffer();
    if (b == null) {
      throw new AlgorithmError("ONNX output '" + name + "' is not an int64 tensor", null);
    }
    long[] out = new long[b.remaining()];
    b.get(out);
    return out;
  }

  private static OnnxTensor tensor(OrtSession.Result result, String name) {
    OnnxValue v = result.get(name).orElseThrow(() -> new AlgorithmError("the ONNX model gave no output '" + name
        + "'", null));
    if (!(v instanceof OnnxTensor t)) {
      throw new AlgorithmError("ONNX output '" + name + "' is not a tensor", null);
    }
    return t;
  }
}
