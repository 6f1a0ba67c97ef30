package dev.sagebox.engine.onnx;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * ONNX Runtime's errors and type descriptions, said without its internals: its messages carry C++ source locations
 * ({@code tensorprotoutils.cc:426}) and qualified signatures ({@code onnxruntime::Model::Model(onnx::ModelProto&&,
 * ...)}), and its Java types print as {@code TensorInfo(javaType=STRING,...)}; a client or a failure file gets the
 * problem in one line.
 */
public final class OrtMessages {
  private static final Pattern CODE = Pattern.compile("^Error code - \\w+ - message: ");
  private static final Pattern SOURCE = Pattern.compile("[\\w./-]*\\.(?:cc|cpp|cxx|h|hpp|cu):\\d+\\s*");
  private static final Pattern SIGNATURE = Pattern.compile("(?:\\w+::)+~?\\w+(?:<[^>]*>)?\\([^()]*\\)(?:\\s*const)?"
      + "\\s*");
  private static final Pattern QUALIFIED = Pattern.compile("\\b(?:\\w+::)+(\\w+)");

  private OrtMessages() {}

  /** The problem in one line. */
  public static String describe(Exception e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return "ONNX Runtime gave no reason";
    }
    m = m.strip();
    int nl = m.indexOf('\n');
    m = nl < 0 ? m : m.substring(0, nl);
    m = CODE.matcher(m).replaceFirst("");
    m = SOURCE.matcher(m).replaceAll("");
    m = SIGNATURE.matcher(m).replaceAll("");
    m = QUALIFIED.matcher(m).replaceAll("$1");
    return m.strip();
  }

  /** What a graph input or output is, in words: {@code a tensor of string}, {@code a sequence}, {@code a map}. */
  public static String describe(NodeInfo node) {
    if (node.getInfo() instanceof TensorInfo t) {
      return "a tensor of " + t.type.name().toLowerCase(Locale.ROOT) + " with shape " + Arrays.toString(t.getShape());
    }
    if (node.getInfo() instanceof SequenceInfo) {
      return "a sequence";
    }
    return node.getInfo() instanceof MapInfo ? "a map" : "of a kind ONNX Runtime's Java API does not describe";
  }
}
