package dev.sagebox.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sagebox.engine.error.PlatformError;
import dev.sagebox.engine.error.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code sagebox-model.json}, written beside every model: which algorithm made it, the format version, the feature
 * count and the task, so that {@code serve} needs nothing else. Loaders reject versions they do not know.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelManifest(
    @JsonProperty("format_version") int formatVersion,
    @JsonProperty("algorithm") String algorithm,
    @JsonProperty("model_file") String modelFile,
    @JsonProperty("feature_count") int featureCount,
    @JsonProperty("objective") String objective,
    @JsonProperty("class_count") Integer classCount,
    @JsonProperty("sagebox_version") String sageboxVersion,
    @JsonProperty("details") Map<String, String> details,
    @JsonProperty("files") Map<String, FileDigest> files) {

  /** Size and SHA-256 of one model file, recorded at save and checked at load. */
  public record FileDigest(@JsonProperty("size") long size, @JsonProperty("sha256") String sha256) {}

  public static final String FILE_NAME = "sagebox-model.json";
  public static final int CURRENT_FORMAT = 1;
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public ModelManifest {
    details = details == null ? Map.of() : Map.copyOf(details);
    files = files == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(files));
  }

  /** A manifest without file checksums (they are added when the model folder is committed). */
  public ModelManifest(int formatVersion, String algorithm, String modelFile, int featureCount, String objective,
      Integer classCount, String sageboxVersion, Map<String, String> details) {
    this(formatVersion, algorithm, modelFile, featureCount, objective, classCount, sageboxVersion, details, null);
  }

  public ModelManifest withFiles(Map<String, FileDigest> digests) {
    return new ModelManifest(formatVersion, algorithm, modelFile, featureCount, objective, classCount,
        sageboxVersion, details, digests);
  }

  /**
   * Builds the JSON writer and reader of this record ahead of their first use (in a fresh JVM that first use took
   * ~40 ms to write and ~25 ms to read, mostly Jackson looking over the record), e.g. on an idle thread while a model
   * trains. Jackson keeps them in the mapper, so {@link #write} and {@link #readIfPresent} find them ready.
   */
  public static void prepareJson() {
    JSON.writerFor(ModelManifest.class);
    JSON.readerFor(ModelManifest.class);
  }

  public void write(Path modelDir) {
    try {
      Files.write(modelDir.resolve(FILE_NAME), JSON.writeValueAsBytes(this));
    } catch (IOException e) {
      throw new PlatformError("cannot write " + modelDir.resolve(FILE_NAME) + ": " + e.getMessage(), e);
    }
  }

  /**
   * Resolves a file name the manifest gives ({@code model_file} or a listed file) inside {@code modelDir}; only a
   * plain file name is accepted, so a manifest can never point outside its folder.
   */
  public static Path fileIn(Path modelDir, String name, String field) {
    if (name == null || name.isBlank() || name.equals(".") || name.equals("..") || name.contains("/")
        || name.contains("\\") || name.indexOf('\0') >= 0) {
      throw new UserError(FILE_NAME + " field '" + field + "' must be a plain file name inside the model folder, "
          + "not '" + name + "'");
    }
    return modelDir.resolve(name);
  }

  /** Reads the manifest of {@code modelDir}, or returns {@code null} if there is none. */
  public static ModelManifest readIfPresent(Path modelDir) {
    Path file = modelDir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    ModelManifest m;
    try {
      m = JSON.readValue(file.toFile(), ModelManifest.class);
    } catch (IOException e) {
      // Said without Jackson's internals (class names, settings): the field at fault and the problem.
      String field = e instanceof com.fasterxml.jackson.databind.JsonMappingException jm && !jm.getPath().isEmpty()
          ? "field '" + String.join(".", jm.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
          : "[" + r.getIndex() + "]").toList()) + "': " : "";
      throw new UserError(file + " is not a valid Sagebox manifest: " + field
          + dev.sagebox.engine.codec.JsonProblems.describe(e), e);
    }
    if (m == null) {
      throw new UserError(file + " is not a valid Sagebox manifest: it holds no JSON object");
    }
    if (m.formatVersion() < 1 || m.formatVersion() > CURRENT_FORMAT) {
      throw new UserError(file + " has format_version " + m.formatVersion() + "; this Sagebox reads versions 1 to "
          + CURRENT_FORMAT + ": upgrade Sagebox to serve this model");
    }
    if (m.algorithm() == null || m.modelFile() == null) {
      throw new UserError(file + " lacks 'algorithm' or 'model_file'");
    }
    return m;
  }
}
