package dev.sagebox.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The parts of a CreateTrainingJob request SageMaker checks before it accepts the job, with its limits: a role ARN,
 * at most 100 hyperparameters (keys up to 256 characters, values up to 2500), at most 20 uniquely named channels,
 * the input modes and distribution types it knows, an ml.* instance type and a volume of at least 1 GB. A request
 * that breaks one is a ValidationException at once, not a job that fails later.
 */
final class TrainingRequestChecks {
  static final int MAX_HYPERPARAMETERS = 100;
  static final int MAX_KEY = 256;
  static final int MAX_VALUE = 2500;
  static final int MAX_CHANNELS = 20;
  private static final Pattern ROLE = Pattern.compile("arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+");
  private static final Pattern INSTANCE_TYPE = Pattern.compile("ml\\.[a-z0-9\\-]+\\.[a-z0-9]+");
  private static final List<String> INPUT_MODES = List.of("File", "Pipe", "FastFile");
  private static final List<String> DISTRIBUTIONS = List.of("FullyReplicated", "ShardedByS3Key");

  private TrainingRequestChecks() {}

  static void check(JsonNode req) {
    String role = Json.requiredText(req, "RoleArn", "");
    if (role.length() < 20 || role.length() > 2048 || !ROLE.matcher(role).matches()) {
      throw ApiException.validation("1 validation error detected: Value '" + role + "' at 'roleArn' failed to "
          + "satisfy constraint: Member must satisfy regular expression pattern: "
          + "^arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+$ (any 12-digit account works here, such "
          + "as arn:aws:iam::000000000000:role/local)");
    }
    inputMode(req.path("AlgorithmSpecification").path("TrainingInputMode"), "AlgorithmSpecification"
        + ".TrainingInputMode");
    hyperparameters(req.get("HyperParameters"));
    JsonNode resources = req.path("ResourceConfig");
    String type = resources.path("InstanceType").asText("");
    if (resources.has("InstanceType") && !INSTANCE_TYPE.matcher(type).matches()) {
      throw ApiException.validation("ResourceConfig.InstanceType '" + type + "' is not a SageMaker instance type "
          + "(ml.<family>.<size>, such as ml.m5.large)");
    }
    Json.intIn(resources, "VolumeSizeInGB", 1, 1, 16384);
    JsonNode channels = req.get("InputDataConfig");
    if (channels != null && !channels.isNull()) {
      if (!channels.isArray() || channels.size() > MAX_CHANNELS) {
        throw ApiException.validation("InputDataConfig must be a list of at most " + MAX_CHANNELS + " channels");
      }
      Set<String> names = new HashSet<>();
      for (JsonNode ch : channels) {
        String name = ch.path("ChannelName").asText("");
        if (!names.add(name)) {
          throw ApiException.validation("InputDataConfig: channel name '" + name + "' is used twice; each channel "
              + "needs its own name");
        }
        inputMode(ch.path("InputMode"), "channel '" + name + "' InputMode");
        JsonNode distribution = ch.path("DataSource").path("S3DataSource").path("S3DataDistributionType");
        if (!distribution.isMissingNode() && !DISTRIBUTIONS.contains(distribution.asText())) {
          throw ApiException.validation("channel '" + name + "': S3DataDistributionType '" + distribution.asText()
              + "' is invalid; accepted: " + String.join(", ", DISTRIBUTIONS));
        }
      }
    }
  }

  private static void inputMode(JsonNode mode, String where) {
    if (!mode.isMissingNode() && !mode.isNull() && !INPUT_MODES.contains(mode.asText())) {
      throw ApiException.validation(where + " '" + mode.asText() + "' is invalid; accepted: "
          + String.join(", ", INPUT_MODES));
    }
  }

  private static void hyperparameters(JsonNode hp) {
    if (hp == null || hp.isNull()) {
      return;
    }
    if (!hp.isObject()) {
      throw ApiException.validation("HyperParameters must be a map of names to string values, such as "
          + "{\"num_round\": \"10\"}");
    }
    if (hp.size() > MAX_HYPERPARAMETERS) {
      throw ApiException.validation("HyperParameters holds " + hp.size() + " entries; SageMaker allows at most "
          + MAX_HYPERPARAMETERS);
    }
    hp.fields().forEachRemaining(e -> {
      if (!e.getValue().isTextual()) {
        throw ApiException.validation("HyperParameters." + e.getKey() + " must be a string (SageMaker passes every "
            + "hyperparameter as a string: \"" + e.getValue() + "\")");
      }
      if (e.getKey().length() > MAX_KEY || e.getValue().asText().length() > MAX_VALUE) {
        throw ApiException.validation("HyperParameters." + (e.getKey().length() > 40 ? e.getKey().substring(0, 40)
            + "..." : e.getKey()) + ": keys may hold at most " + MAX_KEY + " characters and values at most "
            + MAX_VALUE);
      }
    });
  }
}
