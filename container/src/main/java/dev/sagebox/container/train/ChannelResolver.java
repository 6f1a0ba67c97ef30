package dev.sagebox.container.train;

import dev.sagebox.container.OptMlLayout;
import dev.sagebox.container.config.ChannelConfig;
import dev.sagebox.container.config.InputDataConfig;
import dev.sagebox.engine.data.ChannelFiles;
import dev.sagebox.engine.data.MediaType;
import dev.sagebox.engine.data.TextFormat;
import dev.sagebox.engine.error.PlatformError;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.ChannelInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Matches the channels of {@code inputdataconfig.json} with the folders under {@code input/data}: declared
 * channels must exist; folders without a declaration are read with format detection.
 */
final class ChannelResolver {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ChannelResolver.class);

  private ChannelResolver() {}

  static Map<String, ChannelInput> resolve(OptMlLayout layout, InputDataConfig config) {
    TreeSet<String> names = new TreeSet<>(config.channels().keySet());
    Path data = layout.dataDir();
    if (Files.isDirectory(data)) {
      try (var s = Files.list(data)) {
        s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
            .forEach(names::add);
      } catch (IOException e) {
        throw new PlatformError("cannot list " + data + ": " + e.getMessage(), e);
      }
    }
    Map<String, ChannelInput> out = new LinkedHashMap<>();
    for (String name : names) {
      ChannelConfig c = config.channels().get(name);
      Path dir = layout.channel(name);
      if (c != null && "Pipe".equals(c.inputMode())) {
        // Data arrives in pipes input/data/<name>_<epoch>; the loader waits for each one to appear.
        out.put(name, ChannelInput.pipe(name, data, format(c), c.recordWrapped()));
        continue;
      }
      if (c != null && c.recordWrapped()) {
        LOG.warn("channel '{}' has RecordWrapperType RecordIO in {} mode; SageMaker wraps records only in Pipe "
            + "mode, so its files are read as they are", name, c.inputMode());
      }
      if (!Files.isDirectory(dir)) {
        throw new UserError("channel '" + name + "' is declared in inputdataconfig.json but its folder " + dir
            + " does not exist");
      }
      // The 'model' channel (SageMaker's name for incremental training) holds a model, not data: its
      // ContentType (application/x-sagemaker-model, ...) says nothing about a data format.
      out.put(name, new ChannelInput(name, ChannelFiles.list(dir), name.equals("model") ? null : format(c)));
    }
    return out;
  }

  private static TextFormat format(ChannelConfig c) {
    if (c == null || c.contentType() == null) {
      return null;
    }
    MediaType t = c.contentType();
    if (t.is(MediaType.CSV)) {
      String labelSize = t.parameter("label_size");
      if (labelSize != null && !labelSize.strip().equals("1")) {
        throw new UserError("channel '" + c.name() + "': ContentType '" + t + "' has label_size=" + labelSize
            + "; only label_size=1 (one label column, first) is supported");
      }
      return TextFormat.CSV;
    }
    if (t.is(MediaType.LIBSVM)) {
      return TextFormat.LIBSVM;
    }
    if (t.is(MediaType.RECORDIO_PROTOBUF)) {
      return TextFormat.RECORDIO_PROTOBUF;
    }
    if (t.is(MediaType.PARQUET)) {
      return TextFormat.PARQUET;
    }
    throw new UserError("channel '" + c.name() + "': ContentType '" + t + "' is not supported; accepted: text/csv, "
        + "text/libsvm, application/x-recordio-protobuf, application/x-parquet (or leave ContentType out to detect "
        + "the format)");
  }
}
