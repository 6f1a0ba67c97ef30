package dev.sagebox.engine.onnx;

import ai.onnxruntime.OnnxJavaType;
/** The element types a served tensor can have, with their NumPy names and sizes. */
public enum ElementType {
  FLOAT32("float32", 'f', 4),
  FLOAT64("float64", 'f', 8),
  INT32("int32", 'i', 4),
  INT64("int64", 'i', 8);

  private final String label;
  private final char kind;
  private final int bytes;

  ElementType(String label, char kind, int bytes) {
    this.label = label;
    this.kind = kind;
    this.bytes = bytes;
  }

  /** The NumPy name ({@code float32}, ...). */
  public String label() {
    return label;
  }

  /** The NumPy kind character: {@code f} or {@code i}. */
  public char kind() {
    return kind;
  }

  public int bytes() {
    return bytes;
  }

  public boolean isFloating() {
    return kind == 'f';
  }

  /** The NumPy little-endian descriptor ({@code <f4}, ...). */
  public String npyDescriptor() {
    return "<" + kind + bytes;
  }

  /** The type of an ONNX Runtime tensor, or null when Sagebox does not serve it. */
  public static ElementType of(OnnxJavaType type) {
    return switch (type) {
      case FLOAT -> FLOAT32;
      case DOUBLE -> FLOAT64;
      case INT32 -> INT32;
      case INT64 -> INT64;
      default -> null;
    };
  }

  @Override
  public String toString() {
    return label;
  }
}
