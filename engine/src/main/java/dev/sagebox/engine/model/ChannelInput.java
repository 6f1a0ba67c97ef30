package dev.sagebox.engine.model;

import dev.sagebox.engine.data.TextFormat;
import java.nio.file.Path;
import java.util.List;

/**
 * One input channel: its name, its files, and its declared format ({@code null}: detect from the content). In Pipe
 * mode ({@code pipe}) the data arrives in named pipes {@code <channel>_0}, {@code <channel>_1}, ... beside where the
 * channel's folder would be, one per epoch, each readable once; {@code files} then holds the epoch-0 pipe.
 */
public record ChannelInput(String name, List<Path> files, TextFormat format, boolean pipe, boolean recordWrapped) {
  public ChannelInput {
    files = List.copyOf(files);
    if (pipe && files.size() != 1) {
      throw new IllegalArgumentException("a Pipe-mode channel has exactly one (epoch 0) pipe");
    }
    if (recordWrapped && !pipe) {
      throw new IllegalArgumentException("only Pipe-mode data comes wrapped in RecordIO records");
    }
  }

  /** A File-mode channel. */
  public ChannelInput(String name, List<Path> files, TextFormat format) {
    this(name, files, format, false, false);
  }

  /** A Pipe-mode channel whose pipes are {@code <dataDir>/<name>_<epoch>}. */
  public static ChannelInput pipe(String name, Path dataDir, TextFormat format) {
    return pipe(name, dataDir, format, false);
  }

  /**
   * As above; with {@code recordWrapped} ({@code RecordWrapperType: RecordIO}) each S3 object comes wrapped in a
   * RecordIO record, unwrapped before it is read.
   */
  public static ChannelInput pipe(String name, Path dataDir, TextFormat format, boolean recordWrapped) {
    return new ChannelInput(name, List.of(dataDir.resolve(name + "_0")), format, true, recordWrapped);
  }

  /** The pipe of {@code epoch} (Pipe mode only). */
  public Path pipeFor(int epoch) {
    return files.get(0).resolveSibling(name + "_" + epoch);
  }
}
