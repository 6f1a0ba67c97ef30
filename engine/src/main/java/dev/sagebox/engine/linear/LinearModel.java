package dev.sagebox.engine.linear;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagebox.engine.error.PlatformError;
import dev.sagebox.engine.error.UserError;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A trained linear model: weights ({@code features x outputs}, row-major), biases, the feature scaler (missing
 * values become the mean), the label scaler (regression) and the binary decision threshold. Written as JSON.
 */
public record LinearModel(
    @JsonProperty("predictor_type") String predictorType,
    @JsonProperty("loss") String loss,
    @JsonProperty("features") int features,
    @JsonProperty("outputs") int outputs,
    @JsonProperty("weights") float[] weights,
    @JsonProperty("bias") float[] bias,
    @JsonProperty("feature_mean") float[] featureMean,
    @JsonProperty("feature_scale") float[] featureScale,
    @JsonProperty("label_mean") float labelMean,
    @JsonProperty("label_scale") float labelScale,
    @JsonProperty("threshold") float threshold) {

  public static final String FILE_NAME = "linear-learner-model.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  public PredictorType type() {
    return PredictorType.of(predictorType);
  }

  void write(Path dir) {
    try {
      JSON.writeValue(dir.resolve(FILE_NAME).toFile(), this);
    } catch (IOException e) {
      throw new PlatformError("cannot write " + dir.resolve(FILE_NAME) + ": " + e.getMessage(), e);
    }
  }

  static LinearModel read(Path file) {
    LinearModel m;
    try {
      m = JSON.readValue(file.toFile(), LinearModel.class);
    } catch (IOException e) {
      throw new UserError(file + " is not a Sagebox linear-learner model: " + e.getMessage(), e);
    }
    if (m.weights().length != m.features() * m.outputs() || m.bias().length != m.outputs()
        || m.featureMean().length != m.features() || m.featureScale().length != m.features()) {
      throw new UserError(file + " is inconsistent: array sizes do not match features x outputs");
    }
    return m;
  }

  /** Raw outputs z = b + W'((x - mean) / scale) for one row starting at {@code offset}; missing counts as mean. */
  void rawOutputs(float[] x, int offset, float[] z) {
    System.arraycopy(bias, 0, z, 0, outputs);
    for (int j = 0; j < features; j++) {
      float v = x[offset + j];
      if (Float.isNaN(v)) {
        continue;
      }
      float xn = (v - featureMean[j]) / featureScale[j];
      int w = j * outputs;
      for (int k = 0; k < outputs; k++) {
        z[k] += xn * weights[w + k];
      }
    }
  }
}
