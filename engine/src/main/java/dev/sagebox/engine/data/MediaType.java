package dev.sagebox.engine.data;

import dev.sagebox.engine.error.UserError;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed media type: lower-cased {@code type/subtype} plus its parameters ({@code text/csv;label_size=1}).
 * Lookups compare {@link #essence()} only, so parameters never make a known type unknown.
 */
public record MediaType(String essence, Map<String, String> parameters) {
  public static final MediaType CSV = new MediaType("text/csv", Map.of());
  public static final MediaType LIBSVM = new MediaType("text/libsvm", Map.of());
  public static final MediaType JSON = new MediaType("application/json", Map.of());
  public static final MediaType JSON_LINES = new MediaType("application/jsonlines", Map.of());
  public static final MediaType PNG = new MediaType("image/png", Map.of());
  public static final MediaType JPEG = new MediaType("image/jpeg", Map.of());
  public static final MediaType RECORDIO_PROTOBUF = new MediaType("application/x-recordio-protobuf", Map.of());
  public static final MediaType PARQUET = new MediaType("application/x-parquet", Map.of());
  public static final MediaType NPY = new MediaType("application/x-npy", Map.of());

  /** Short names and synonyms SageMaker users send, mapped to the canonical essence. */
  private static final Map<String, String> SYNONYMS = Map.ofEntries(
      Map.entry("csv", "text/csv"),
      Map.entry("libsvm", "text/libsvm"),
      Map.entry("text/x-libsvm", "text/libsvm"),
      Map.entry("application/x-libsvm", "text/libsvm"),
      Map.entry("application/x-jsonlines", "application/jsonlines"),
      Map.entry("application/jsonl", "application/jsonlines"),
      Map.entry("application/x-ndjson", "application/jsonlines"),
      Map.entry("json", "application/json"),
      Map.entry("jsonlines", "application/jsonlines"),
      Map.entry("image/jpg", "image/jpeg"),
      Map.entry("recordio-protobuf", "application/x-recordio-protobuf"),
      Map.entry("parquet", "application/x-parquet"),
      Map.entry("npy", "application/x-npy"),
      Map.entry("application/npy", "application/x-npy"),
      Map.entry("application/parquet", "application/x-parquet"),
      Map.entry("application/vnd.apache.parquet", "application/x-parquet"));

  public MediaType {
    parameters = Map.copyOf(parameters);
  }

  /** Parses {@code type/subtype; k=v; ...}; short names such as {@code csv} are accepted. */
  public static MediaType parse(String text) {
    if (text == null || text.isBlank()) {
      throw new UserError("empty media type");
    }
    String[] parts = text.split(";");
    String essence = parts[0].trim().toLowerCase(Locale.ROOT);
    essence = SYNONYMS.getOrDefault(essence, essence);
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].trim();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw new UserError("malformed parameter '" + p + "' in media type '" + text + "'; expected key=value");
      }
      String value = p.substring(eq + 1).trim();
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1);
      }
      String key = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      if (params.put(key, value) != null) {
        throw new UserError("parameter '" + key + "' appears twice in media type '" + text + "'");
      }
    }
    return new MediaType(essence, params);
  }

  public boolean is(MediaType other) {
    return essence.equals(other.essence);
  }

  public String parameter(String name) {
    return parameters.get(name);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(essence);
    parameters.forEach((k, v) -> sb.append(';').append(k).append('=').append(v));
    return sb.toString();
  }
}
