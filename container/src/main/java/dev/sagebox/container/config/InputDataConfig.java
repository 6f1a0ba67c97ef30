package dev.sagebox.container.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sagebox.engine.data.MediaType;
import dev.sagebox.engine.error.UserError;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code inputdataconfig.json}: channel name to settings. Missing fields take SageMaker's defaults. */
public record InputDataConfig(Map<String, ChannelConfig> channels) {
  private static final Set<String> MODES = Set.of("File", "Pipe", "FastFile");
  private static final java.util.regex.Pattern CHANNEL_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");

  public InputDataConfig {
    channels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(channels));
  }

  /** Reads the file; a missing file yields an empty config (channels are then found on disk). */
  public static InputDataConfig read(Path file) {
    JsonNode root = ConfigFiles.readObject(file);
    return root == null ? new InputDataConfig(Map.of()) : parse(root, file.toString());
  }

  static InputDataConfig parse(JsonNode root, String name) {
    Map<String, ChannelConfig> channels = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = root.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode c = e.getValue();
      if (!CHANNEL_NAME.matcher(e.getKey()).matches() || e.getKey().equals(".") || e.getKey().equals("..")) {
        throw new UserError(name + ": channel name '" + e.getKey() + "' is invalid; SageMaker channel names are 1 to "
            + "64 letters, digits, '.', '-' or '_' (and not '.' or '..')");
      }
      if (!c.isObject()) {
        throw new UserError(name + ": channel '" + e.getKey() + "' must be an object such as "
            + "{\"ContentType\": \"text/csv\", \"TrainingInputMode\": \"File\"}");
      }
      String type = ConfigFiles.text(c, "ContentType");
      MediaType mediaType;
      try {
        mediaType = type == null || type.isBlank() ? null : MediaType.parse(type);
      } catch (UserError ex) {
        throw new UserError(name + ": channel '" + e.getKey() + "' ContentType: " + ex.getMessage());
      }
      String mode = ConfigFiles.text(c, "TrainingInputMode");
      if (mode == null) {
        mode = "File";
      }
      if (!MODES.contains(mode)) {
        throw new UserError(name + ": channel '" + e.getKey() + "' TrainingInputMode '" + mode
            + "' is invalid; accepted: File, Pipe, FastFile");
      }
      String wrapper = ConfigFiles.text(c, "RecordWrapperType");
      if (wrapper != null && !wrapper.equals("None") && !wrapper.equals("RecordIO")) {
        throw new UserError(name + ": channel '" + e.getKey() + "' RecordWrapperType '" + wrapper
            + "' is invalid; accepted: None, RecordIO");
      }
      channels.put(e.getKey(), new ChannelConfig(e.getKey(), mediaType, mode,
          ConfigFiles.text(c, "S3DistributionType"), "RecordIO".equals(wrapper)));
    }
    return new InputDataConfig(channels);
  }
}
