package dev.sagebox.engine.onnx;

import com.google.protobuf.ByteString;
import dev.sagebox.engine.onnx.proto.OnnxProtos.AttributeProto;
import dev.sagebox.engine.onnx.proto.OnnxProtos.GraphProto;
import dev.sagebox.engine.onnx.proto.OnnxProtos.NodeProto;
import dev.sagebox.engine.onnx.proto.OnnxProtos.TensorProto;
import dev.sagebox.engine.onnx.proto.OnnxProtos.TensorShapeProto;
import dev.sagebox.engine.onnx.proto.OnnxProtos.TypeProto;
import dev.sagebox.engine.onnx.proto.OnnxProtos.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds an ONNX graph one step at a time: constant tensors (initializers), typed graph inputs, nodes in the order
 * they run, and typed graph outputs. Every name is checked as it is added (unique, and a node may only read values
 * defined before it), so a graph that builds is topologically sorted. {@link OnnxModelWriter} wraps it into a model
 * file. Not thread-safe: one graph is built by one thread.
 */
public final class OnnxGraph {
  /** The symbolic batch dimension used by Sagebox's graphs. */
  public static final Dim BATCH = new Dim.Named("N");

  /** One dimension of a graph input or output: a fixed size, or a name for a size known only at run time. */
  public sealed interface Dim {
    /** A dimension of exactly {@code size} elements. */
    record Fixed(long size) implements Dim {
      public Fixed {
        if (size < 0) {
          throw new IllegalArgumentException("a dimension cannot be negative: " + size);
        }
      }
    }

    /** A dynamic dimension (for example the batch size); dimensions with the same name must agree. */
    record Named(String name) implements Dim {
      public Named {
        if (name == null || name.isBlank()) {
          throw new IllegalArgumentException("a named dimension needs a name");
        }
      }
    }

    static Dim of(long size) {
      return new Fixed(size);
    }
  }

  /** A node attribute: one integer, a list of integers, or one float ({@code Real}). */
  public sealed interface Attribute {
    String name();

    record Int(String name, long value) implements Attribute {}

    record Ints(String name, long... values) implements Attribute {}

    record Real(String name, float value) implements Attribute {}
  }

  private final GraphProto.Builder graph;
  private final Set<String> defined = new HashSet<>();
  private final Set<String> outputs = new HashSet<>();
  private final Map<String, Integer> opCounts = new HashMap<>();

  public OnnxGraph(String name) {
    this.graph = GraphProto.newBuilder().setName(name);
  }

  /** Adds a float constant of shape {@code dims} (row-major values); returns its name. */
  public String floats(String name, float[] values, long... dims) {
    checkCount(name, values.length, dims);
    ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(values);
    return initializer(name, TensorProto.DataType.FLOAT, raw.array(), dims);
  }

  /** Adds a 64-bit integer constant of shape {@code dims}; returns its name. */
  public String longs(String name, long[] values, long... dims) {
    checkCount(name, values.length, dims);
    ByteBuffer raw = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asLongBuffer().put(values);
    return initializer(name, TensorProto.DataType.INT64, raw.array(), dims);
  }

  /** Declares a graph input of element type {@code type} and the given shape; returns its name. */
  public String input(String name, TensorProto.DataType type, Dim... shape) {
    define(name);
    graph.addInput(valueInfo(name, type, shape));
    return name;
  }

  /**
   * Adds a node that runs {@code opType} (default ONNX domain) on {@code inputs} and writes one value named
   * {@code output}; returns that name. An empty string in {@code inputs} leaves an optional input out.
   */
  public String node(String opType, List<String> inputs, String output, Attribute... attributes) {
    for (String in : inputs) {
      if (!in.isEmpty() && !defined.contains(in)) {
        throw new IllegalArgumentException(opType + " reads '" + in + "', which no earlier step defines");
      }
    }
    define(output);
    int index = opCounts.merge(opType, 1, Integer::sum) - 1;
    NodeProto.Builder node = NodeProto.newBuilder().setOpType(opType).setName(opType + "_" + index)
        .addAllInput(inputs).addOutput(output);
    for (Attribute a : attributes) {
      node.addAttribute(attribute(a));
    }
    graph.addNode(node);
    return output;
  }

  /** Declares the already defined value {@code name} a graph output of element type {@code type}. */
  public void output(String name, TensorProto.DataType type, Dim... shape) {
    if (!defined.contains(name)) {
      throw new IllegalArgumentException("output '" + name + "' is not defined by any step");
    }
    if (!outputs.add(name)) {
      throw new IllegalArgumentException("output '" + name + "' is declared twice");
    }
    graph.addOutput(valueInfo(name, type, shape));
  }

  /** The graph as built so far. */
  public GraphProto proto() {
    if (graph.getOutputCount() == 0) {
      throw new IllegalStateException("graph '" + graph.getName() + "' has no outputs");
    }
    return graph.build();
  }

  private String initializer(String name, TensorProto.DataType type, byte[] raw, long[] dims) {
    define(name);
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber())
        .setRawData(ByteString.copyFrom(raw));
    for (long d : dims) {
      t.addDims(d);
    }
    graph.addInitializer(t);
    return name;
  }

  private void define(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("every value in an ONNX graph needs a name");
    }
    if (!defined.add(name)) {
      throw new IllegalArgumentException("'" + name + "' is defined twice");
    }
  }

  private static void checkCount(String name, int count, long[] dims) {
    long expected = 1;
    for (long d : dims) {
      expected *= d;
    }
    if (expected != count) {
      throw new IllegalArgumentException(name + " has " + count + " values but shape " + java.util.Arrays.toString(
          dims) + " holds " + expected);
    }
  }

  private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, Dim[] shape) {
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    for (Dim d : shape) {
      TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
      if (d instanceof Dim.Fixed f) {
        dim.setDimValue(f.size());
      } else {
        dim.setDimParam(((Dim.Named) d).name());
      }
      s.addDim(dim);
    }
    TypeProto.Tensor tensor = TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(s).build();
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(tensor)).build();
  }

  private static AttributeProto attribute(Attribute a) {
    AttributeProto.Builder b = AttributeProto.newBuilder().setName(a.name());
    if (a instanceof Attribute.Int i) {
      b.setType(AttributeProto.AttributeType.INT).setI(i.value());
    } else if (a instanceof Attribute.Ints is) {
      b.setType(AttributeProto.AttributeType.INTS);
      for (long v : is.values()) {
        b.addInts(v);
      }
    } else {
      b.setType(AttributeProto.AttributeType.FLOAT).setF(((Attribute.Real) a).value());
    }
    return b.build();
  }
}
