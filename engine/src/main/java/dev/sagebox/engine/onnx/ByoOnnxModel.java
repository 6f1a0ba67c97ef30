package dev.sagebox.engine.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.sagebox.engine.error.AlgorithmError;
import dev.sagebox.engine.error.UserError;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A bring-your-own ONNX model served through ONNX Runtime: its inputs and outputs come from the session's metadata.
 * Inputs are converted to the declared element type and shape-checked; a model whose first axis is fixed at 1 is run
 * one row at a time and the outputs joined. Outputs that are not float32/float64/int32/int64 tensors (sequences,
 * maps, strings) are not served; the first output must be one that is.
 */
public final class ByoOnnxModel implements TensorModel {
  private final OrtSession session;
  private final String fileName;
  private final List<TensorSpec> inputs;
  private final List<TensorSpec> outputs;
  private final List<String> skippedOutputs;

  private ByoOnnxModel(OrtSession session, String fileName) throws OrtException {
    this.session = session;
    this.fileName = fileName;
    List<TensorSpec> in = new ArrayList<>();
    for (NodeInfo node : session.getInputInfo().values()) {
      TensorSpec spec = specOf(node);
      if (spec == null) {
        throw new UserError(fileName + ": input '" + node.getName() + "' is " + OrtMessages.describe(node)
            + "; Sagebox serves "
            + "inputs that are float32, float64, int32 or int64 tensors");
      }
      in.add(spec);
    }
    List<TensorSpec> out = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (NodeInfo node : session.getOutputInfo().values()) {
      TensorSpec spec = specOf(node);
      if (spec == null) {
        if (out.isEmpty()) {
          throw new UserError(fileName + ": the first output '" + node.getName() + "' is " + OrtMessages.describe(node)
              + "; Sagebox answers with float32, float64, int32 or int64 tensors");
        }
        skipped.add(node.getName());
      } else {
        out.add(spec);
      }
    }
    if (in.isEmpty()) {
      throw new UserError(fileName + " has no inputs to feed");
    }
    this.inputs = List.copyOf(in);
    this.outputs = List.copyOf(out);
    this.skippedOutputs = List.copyOf(skipped);
  }

  /** Opens {@code file} with {@code threads} intra-op threads; {@code log} hears the execution provider. */
  public static ByoOnnxModel open(Path file, int threads, Consumer<String> log) {
    OrtSession session = OnnxSessions.open(file, threads, log);
    try {
      return new ByoOnnxModel(session, file.getFileName().toString());
    } catch (OrtException | RuntimeException e) {
      closeQuietly(session);
      if (e instanceof UserError u) {
        throw u;
      }
      throw new UserError(file + ": cannot read the model's inputs and outputs: " + (e instanceof OrtException
          ? OrtMessages.describe(e) : e.getMessage()), e);
    }
  }

  private static TensorSpec specOf(NodeInfo node) {
    if (!(node.getInfo() instanceof TensorInfo info)) {
      return null;
    }
    ElementType type = ElementType.of(info.type);
    return type == null ? null : new TensorSpec(node.getName(), type, info.getShape(), info.getDimensionNames());
  }

  @Override
  public List<TensorSpec> inputs() {
    return inputs;
  }

  @Override
  public List<TensorSpec> outputs() {
    return outputs;
  }

  @Override
  public String description() {
    return "ONNX " + fileName + ": inputs " + inputs + ", outputs " + outputs
        + (skippedOutputs.isEmpty() ? "" : " (not served: " + skippedOutputs + ")");
  }

  @Override
  public Map<String, Tensor> run(Map<String, Tensor> given, List<String> wanted) {
    Map<String, Tensor> feed = new LinkedHashMap<>();
    for (TensorSpec spec : inputs) {
      Tensor t = given.get(spec.name());
      if (t == null) {
        throw new UserError("input '" + spec.name() + "' is missing; the model's inputs are " + names(inputs));
      }
      spec.check(t.shape());
      feed.put(spec.name(), t.to(spec.type(), spec.name()));
    }
    for (String name : given.keySet()) {
      if (feed.get(name) == null) {
        throw new UserError("the model has no input '" + name + "'; its inputs are " + names(inputs));
      }
    }
    checkSharedAxes(feed);
    for (String name : wanted) {
      if (outputs.stream().noneMatch(o -> o.name().equals(name))) {
        throw new UserError("the model has no output '" + name + "'; its outputs are " + names(outputs));
      }
    }
    long rows = rowsForOneAtATime(feed);
    if (rows < 0) {
      return runOnce(feed, wanted);
    }
    List<Map<String, Tensor>> parts = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      Map<String, Tensor> one = new LinkedHashMap<>();
      for (Map.Entry<String, Tensor> e : feed.entrySet()) {
        one.put(e.getKey(), e.getValue().row(r));
      }
      parts.add(runOnce(one, wanted));
    }
    Map<String, Tensor> joined = new LinkedHashMap<>();
    for (String name : wanted) {
      joined.put(name, Tensor.concat(parts.stream().map(p -> p.get(name)).toList()));
    }
    return joined;
  }

  /**
   * The row count when the model takes one row per run (first axis fixed at 1) and more rows came; -1 when the
   * inputs go in as they are.
   */
  private long rowsForOneAtATime(Map<String, Tensor> feed) {
    long rows = -1;
    for (TensorSpec spec : inputs) {
      if (!spec.batchOfOne()) {
        return -1;
      }
      long n = feed.get(spec.name()).shape()[0];
      if (rows >= 0 && n != rows) {
        throw new UserError("inputs " + names(inputs) + " must have the same number of rows; input '" + spec.name()
            + "' has " + n + ", another " + rows);
      }
      rows = n;
    }
    return rows == 1 ? -1 : rows;
  }

  /** Axes that share a symbolic name ("batch") must have the same length in every input. */
  private void checkSharedAxes(Map<String, Tensor> feed) {
    Map<String, long[]> seen = new HashMap<>();
    for (TensorSpec spec : inputs) {
      long[] shape = feed.get(spec.name()).shape();
      for (int i = 0; i < spec.rank(); i++) {
        String symbol = spec.dimensionNames()[i];
        if (spec.dim(i) >= 0 || symbol == null || symbol.isBlank()) {
          continue;
        }
        long[] first = seen.putIfAbsent(symbol, new long[] {shape[i], i});
        if (first != null && first[0] != shape[i]) {
          throw new UserError("input '" + spec.name() + "' has " + shape[i] + " along axis '" + symbol + "' but "
              + "another input has " + first[0] + "; expected shapes: " + describeAll(inputs) + "; received "
              + spec.name() + " " + Tensor.describe(shape));
        }
      }
    }
  }

  private Map<String, Tensor> runOnce(Map<String, Tensor> feed, List<String> wanted) {
    OrtEnvironment env = OnnxSessions.environment();
    Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, Tensor> e : feed.entrySet()) {
        tensors.put(e.getKey(), toOrt(env, e.getValue()));
      }
      try (OrtSession.Result result = session.run(tensors, new LinkedHashSet<>(wanted))) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : wanted) {
          OnnxValue v = result.get(name).orElseThrow(() -> new AlgorithmError("ONNX Runtime gave no output '"
              + name + "'", null));
          out.put(name, fromOrt(name, (OnnxTensor) v));
        }
        return out;
      }
    } catch (OrtException e) {
      throw new AlgorithmError("ONNX Runtime failed to run " + fileName + " on inputs " + shapes(feed) + ": "
          + OrtMessages.describe(e), e);
    } finally {
      tensors.values().forEach(OnnxTensor::close);
    }
  }

  private static OnnxTensor toOrt(OrtEnvironment env, Tensor t) throws OrtException {
    if (t instanceof Tensor.Floats f) {
      return OnnxTensor.createTensor(env, FloatBuffer.wrap(f.values()), f.shape());
    }
    if (t instanceof Tensor.Doubles d) {
      return OnnxTensor.createTensor(env, DoubleBuffer.wrap(d.values()), d.shape());
    }
    if (t instanceof Tensor.Ints i) {
      return OnnxTensor.createTensor(env, IntBuffer.wrap(i.values()), i.shape());
    }
    Tensor.Longs l = (Tensor.Longs) t;
    return OnnxTensor.createTensor(env, LongBuffer.wrap(l.values()), l.shape());
  }

  private static Tensor fromOrt(String name, OnnxTensor t) {
    TensorInfo info = t.getInfo();
    long[] shape = info.getShape();
    ElementType type = ElementType.of(info.type);
    if (type == null) {
      throw new AlgorithmError("output '" + name + "' is " + info.type + "; Sagebox answers with float32, float64, "
          + "int32 or int64 tensors", null);
    }
    return switch (type) {
      case FLOAT32 -> {
        FloatBuffer b = t.getFloatBuffer();
        float[] v = new float[b.remaining()];
        b.get(v);
        yield new Tensor.Floats(shape, v);
      }
      case FLOAT64 -> {
        DoubleBuffer b = t.getDoubleBuffer();
        double[] v = new double[b.remaining()];
        b.get(v);
        yield new Tensor.Doubles(shape, v);
      }
      case INT32 -> {
        IntBuffer b = t.getIntBuffer();
        int[] v = new int[b.remaining()];
        b.get(v);
        yield new Tensor.Ints(shape, v);
      }
      case INT64 -> {
        LongBuffer b = t.getLongBuffer();
        long[] v = new long[b.remaining()];
        b.get(v);
        yield new Tensor.Longs(shape, v);
      }
    };
  }

  private static String names(List<TensorSpec> specs) {
    return specs.stream().map(TensorSpec::name).toList().toString();
  }

  /** Every input as {@code name [batch,4] float32}, for shape errors. */
  static String describeAll(List<TensorSpec> specs) {
    return String.join(", ", specs.stream().map(s -> s.name() + " " + s.describe() + " " + s.type()).toList());
  }

  private static String shapes(Map<String, Tensor> feed) {
    List<String> parts = new ArrayList<>();
    feed.forEach((k, v) -> parts.add(k + " " + Tensor.describe(v.shape()) + " " + v.type()));
    return String.join(", ", parts);
  }

  @Override
  public void close() {
    closeQuietly(session);
  }

  private static void closeQuietly(OrtSession s) {
    try {
      s.close();
    } catch (OrtException e) {
      // Closing releases native memory; nothing more can be done when it fails.
    }
  }
}
