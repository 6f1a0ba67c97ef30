package dev.sagebox.engine.data.parquet;

import dev.sagebox.engine.error.DataFormatError;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Decides whether a file's columns can be training data, as SageMaker's XGBoost reads Parquet: the first column is
 * the label, every other column a feature, each a flat number column. Anything else is refused with the column's
 * position, name and type and the list of what is accepted.
 */
final class ParquetSchema {
  static final String ACCEPTED = "accepted: flat columns of type boolean, int32, int64, float or double (signed or "
      + "unsigned integers and DECIMAL stored as int32/int64 included), the label first and then the features; "
      + "a null feature is read as a missing value";

  private ParquetSchema() {}

  /** Checks every column of {@code schema} and says how to read each; throws on the first that cannot be read. */
  static List<ColumnPlan> plan(MessageType schema, String source) {
    List<Type> fields = schema.getFields();
    if (fields.size() < 2) {
      throw new DataFormatError(source, 0, 0, "has " + fields.size() + " column(s) " + names(fields)
          + " but training data needs the label in the first column and at least one feature column after it");
    }
    List<ColumnPlan> plans = new ArrayList<>(fields.size());
    for (int i = 0; i < fields.size(); i++) {
      Type field = fields.get(i);
      String where = ColumnPlan.where(i, field.getName());
      if (!field.isPrimitive()) {
        throw refuse(source, where, "is a nested column (" + describe(field) + ")");
      }
      if (field.isRepetition(Type.Repetition.REPEATED)) {
        throw refuse(source, where, "is a repeated column (" + describe(field) + ")");
      }
      PrimitiveType p = field.asPrimitiveType();
      ValueKind kind = kindOf(p);
      if (kind == null) {
        throw refuse(source, where, "has type " + describe(field) + ", " + whyNot(p));
      }
      double divisor = 1;
      if (p.getLogicalTypeAnnotation() instanceof DecimalLogicalTypeAnnotation d) {
        divisor = Math.pow(10, d.getScale());
      }
      // Every field is flat here, so the i-th leaf column is the i-th field (even if two share a name).
      plans.add(new ColumnPlan(i, field.getName(), schema.getColumns().get(i), kind, divisor));
    }
    return plans;
  }

  /** The value kind of a flat column, or {@code null} when it is not a number this reader takes. */
  private static ValueKind kindOf(PrimitiveType p) {
    LogicalTypeAnnotation logical = p.getLogicalTypeAnnotation();
    switch (p.getPrimitiveTypeName()) {
      case BOOLEAN:
        return logical == null ? ValueKind.BOOLEAN : null;
      case FLOAT:
        return logical == null ? ValueKind.FLOAT : null;
      case DOUBLE:
        return logical == null ? ValueKind.DOUBLE : null;
      case INT32:
        if (logical == null) {
          return ValueKind.INT32;
        } else if (logical instanceof IntLogicalTypeAnnotation a) {
          return a.isSigned() ? ValueKind.INT32 : ValueKind.UINT32;
        } else if (logical instanceof DecimalLogicalTypeAnnotation) {
          return ValueKind.DECIMAL32;
        }
        return null;
      case INT64:
        if (logical == null) {
          return ValueKind.INT64;
        } else if (logical instanceof IntLogicalTypeAnnotation a) {
          return a.isSigned() ? ValueKind.INT64 : ValueKind.UINT64;
        } else if (logical instanceof DecimalLogicalTypeAnnotation) {
          return ValueKind.DECIMAL64;
        }
        return null;
      default:
        return null;
    }
  }

  private static String whyNot(PrimitiveType p) {
    LogicalTypeAnnotation logical = p.getLogicalTypeAnnotation();
    if (logical instanceof DecimalLogicalTypeAnnotation) {
      return "a decimal too wide for int32/int64 (precision above 18)";
    } else if (logical instanceof LogicalTypeAnnotation.Float16LogicalTypeAnnotation) {
      return "a half-precision float, which is not read (write it as float32)";
    } else if (logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation
        || logical instanceof LogicalTypeAnnotation.TimeLogicalTypeAnnotation
        || logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation
        || p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT96) {
      return "a date or time, not a number";
    }
    return "which is not a number";
  }

  private static DataFormatError refuse(String source, String where, String problem) {
    return new DataFormatError(source, 0, 0, where + " " + problem + "; " + ACCEPTED
        + ". Cast it to a number or drop it before writing the file");
  }

  /** "binary (STRING)", "int64 (TIMESTAMP(MICROS,true))", "group (LIST)", "group (struct)". */
  static String describe(Type field) {
    LogicalTypeAnnotation logical = field.getLogicalTypeAnnotation();
    String base = "group";
    if (field.isPrimitive()) {
      PrimitiveType p = field.asPrimitiveType();
      base = p.getPrimitiveTypeName().name().toLowerCase(java.util.Locale.ROOT);
      if (p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY) {
        base += "(" + p.getTypeLength() + ")";
      }
    }
    String annotation = logical != null ? logical.toString() : field.isPrimitive() ? null : "struct";
    String repeated = field.isRepetition(Type.Repetition.REPEATED) ? "repeated " : "";
    return repeated + base + (annotation != null ? " (" + annotation + ")" : "");
  }

  private static String names(List<Type> fields) {
    List<String> names = new ArrayList<>();
    for (Type f : fields) {
      names.add("'" + f.getName() + "'");
    }
    return names.toString();
  }
}
