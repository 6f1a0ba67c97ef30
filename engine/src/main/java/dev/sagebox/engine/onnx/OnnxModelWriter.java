package dev.sagebox.engine.onnx;

import dev.sagebox.engine.error.IoFailures;
import dev.sagebox.engine.onnx.proto.OnnxProtos.ModelProto;
import dev.sagebox.engine.onnx.proto.OnnxProtos.OperatorSetIdProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Wraps an {@link OnnxGraph} into an ONNX model file: IR version 8 with the default-domain operator set 17 (ONNX
 * 1.12, read by every ONNX Runtime since 1.12), producer "sagebox".
 */
public final class OnnxModelWriter {
  /** The name of the ONNX model that Sagebox writes beside its native model file. */
  public static final String FILE_NAME = "model.onnx";
  public static final long IR_VERSION = 8;
  public static final long OPSET = 17;
  public static final String PRODUCER = "sagebox";

  private OnnxModelWriter() {}

  /** The model around {@code graph}; {@code description} becomes its doc string. */
  public static ModelProto model(OnnxGraph graph, String description) {
    return ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName(PRODUCER)
        .setDocString(description)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setGraph(graph.proto())
        .build();
  }

  /** Writes the model around {@code graph} to {@code file} (replaced if present). */
  public static void write(OnnxGraph graph, String description, Path file) {
    byte[] bytes = model(graph, description).toByteArray();
    try {
      Files.write(file, bytes);
    } catch (IOException e) {
      throw IoFailures.of("cannot write", file, e);
    }
  }
}
