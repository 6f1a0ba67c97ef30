package dev.sagebox.engine.data.recordio;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.LabeledData;
import dev.sagebox.engine.data.recordio.proto.RecordProtos.Record;
import dev.sagebox.engine.data.recordio.proto.RecordProtos.Value;
import dev.sagebox.engine.data.text.GrowableFloats;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads {@code application/x-recordio-protobuf}: RecordIO-framed {@code aialgs.data.Record} messages, one row each.
 * The features are {@code features["values"]}, a Float32, Float64 or Int32 tensor, dense or sparse (see
 * {@link FeatureRows} for the rules); a training label is {@code label["values"]}, a tensor of exactly one value of
 * any of those types. The stream is read one record at a time, so a file of any size needs memory only for the rows.
 */
public final class RecordIOProtobufReader {
  static final String FEATURES = "features['values']";
  static final String LABEL = "label['values']";

  private RecordIOProtobufReader() {}

  /** Training rows from a stream of unknown size; see {@link #readLabeled(InputStream, long, String)}. */
  public static LabeledData readLabeled(InputStream in, String source) {
    return readLabeled(in, -1, source);
  }

  /**
   * Reads every record of a training file: features and a label per record. The result is a {@link DenseBatch}
   * when every record is dense, a CSR {@link dev.sagebox.engine.data.SparseBatch} as soon as one is sparse; all
   * rows have the width of the first. No weights (the format has no convention for them).
   *
   * @param in the file's content (plain; gunzip first if needed); not closed here
   * @param sizeHint the stream's size in bytes, or -1 when unknown: sizes the arrays from the first record
   * @param source the name errors give, such as {@code train/part-0.rec}
   */
  public static LabeledData readLabeled(InputStream in, long sizeHint, String source) {
    RecordIOReader reader = new RecordIOReader(in, source);
    RecordScanner scanner = new RecordScanner();
    TensorBuffer features = new TensorBuffer(FEATURES);
    TensorBuffer label = new TensorBuffer(LABEL);
    FeatureRows rows = null;
    GrowableFloats labels = null;
    while (reader.next()) {
      if (!scanner.scan(reader.payload(), reader.length(), features, label) || !scanner.labelFound()) {
        Record record = parse(reader);
        features.fill(featureValue(record, reader), reader);
        label.fill(labelValue(record, reader), reader);
      }
      if (rows == null) {
        long expected = expectedRecords(sizeHint, reader);
        rows = new FeatureRows(-1, capped(expected * Math.max(1, features.valueCount)));
        labels = new GrowableFloats(capped(expected));
      }
      rows.add(features, reader);
      labels.add(scalar(label, reader));
    }
    if (rows == null) {
      return new LabeledData(source, new DenseBatch(0, 0, new float[0]), new float[0], null);
    }
    return new LabeledData(source, rows.batch(), labels.toArray(), null);
  }

  /**
   * Reads the records of a request body: features only (a label in a record is ignored). Dense rows must have
   * exactly {@code featureCount} values; sparse rows may declare fewer features, not more.
   *
   * @param source the name errors give, such as {@code request body}
   */
  public static Batch readFeatures(byte[] body, String source, int featureCount) {
    return readFeatures(body, source, featureCount, false);
  }

  /** As {@link #readFeatures(byte[], String, int)}; with {@code lenient}, narrower dense rows are padded (missing). */
  public static Batch readFeatures(byte[] body, String source, int featureCount, boolean lenient) {
    RecordIOReader reader = new RecordIOReader(new ByteArrayInputStream(body), source);
    RecordScanner scanner = new RecordScanner();
    TensorBuffer features = new TensorBuffer(FEATURES);
    TensorBuffer ignoredLabel = new TensorBuffer(LABEL);
    FeatureRows rows = null;
    while (reader.next()) {
      if (!scanner.scan(reader.payload(), reader.length(), features, ignoredLabel)) {
        features.fill(featureValue(parse(reader), reader), reader);
      }
      if (rows == null) {
        long expected = expectedRecords(body.length, reader);
        rows = new FeatureRows(featureCount, capped(expected * Math.max(1, features.valueCount)), lenient);
      }
      rows.add(features, reader);
    }
    return rows == null ? new DenseBatch(0, featureCount, new float[0]) : rows.batch();
  }

  /** The slow path: the whole record through the generated classes (unusual encodings, and every error). */
  private static Record parse(RecordIOReader reader) {
    try {
      return Record.parser().parseFrom(reader.payload(), 0, reader.length());
    } catch (InvalidProtocolBufferException e) {
      throw reader.error("the payload (" + reader.length() + " bytes) is not a protobuf aialgs.data.Record: "
          + e.getMessage());
    }
  }

  private static Value featureValue(Record record, RecordIOReader at) {
    Value v = record.getFeaturesOrDefault("values", null);
    if (v == null) {
      throw at.error(record.getFeaturesCount() == 0
          ? "the record has no features; put the feature vector in " + FEATURES
          : "features has no 'values' entry (found " + keys(record.getFeaturesMap()) + "); put the feature vector "
              + "in " + FEATURES);
    }
    return v;
  }

  private static Value labelValue(Record record, RecordIOReader at) {
    Value v = record.getLabelOrDefault("values", null);
    if (v == null) {
      throw at.error(record.getLabelCount() == 0
          ? "the record has no label; a training record needs " + LABEL + " holding one value"
          : "label has no 'values' entry (found " + keys(record.getLabelMap()) + "); a training record needs "
              + LABEL + " holding one value");
    }
    return v;
  }

  private static float scalar(TensorBuffer t, RecordIOReader at) {
    if (t.keyCount > 0 || t.valueCount != 1) {
      throw at.error(LABEL + " (" + t.typeName() + ") has " + t.valueCount + " value(s)"
          + (t.keyCount > 0 ? " and " + t.keyCount + " key(s)" : "") + "; a label is exactly one dense value");
    }
    return t.values[0];
  }

  private static String keys(Map<String, Value> map) {
    return map.keySet().stream().sorted().map(k -> "'" + k + "'").collect(Collectors.joining(", "));
  }

  /** Records to expect from the stream's size and the first record's size (1 when the size is unknown). */
  private static long expectedRecords(long sizeHint, RecordIOReader first) {
    return sizeHint > 0 ? sizeHint / Math.max(1, first.recordBytes()) + 1 : 1;
  }

  private static int capped(long n) {
    return (int) Math.min(n, Integer.MAX_VALUE - 16);
  }
}
