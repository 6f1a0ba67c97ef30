package dev.sagebox.engine.data;

import dev.sagebox.engine.error.IoFailures;
import dev.sagebox.engine.error.PlatformError;
import dev.sagebox.engine.error.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of one input channel: every regular file below its folder, plain or gzip, except those whose name (or
 * a folder above them) starts with {@code .} or {@code _}: hidden files, and the markers Spark, Hadoop and other
 * writers leave beside their output ({@code _SUCCESS}, {@code _metadata}, {@code _temporary/}), which SageMaker's
 * XGBoost and stock XGBoost skip too.
 */
public final class ChannelFiles {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelFiles.class);

  private ChannelFiles() {}

  /** Lists the data files below {@code dir} in name order; skipped files are logged by name. */
  public static List<Path> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new UserError("channel folder " + dir + " does not exist or is not a folder");
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw IoFailures.of("cannot list channel folder", dir, e);
    }
    List<Path> kept = new java.util.ArrayList<>(files.size());
    for (Path p : files) {
      if (isSkipped(dir, p)) {
        LOG.info("{}: skipped {} (names starting with '.' or '_' are not data)", dir.getFileName(),
            dir.relativize(p));
      } else {
        kept.add(p);
      }
    }
    return List.copyOf(kept);
  }

  private static boolean isSkipped(Path root, Path file) {
    for (Path part : root.relativize(file)) {
      String name = part.toString();
      if (name.startsWith(".") || name.startsWith("_")) {
        return true;
      }
    }
    return false;
  }

  /** Reads a whole file, gunzipping it when it starts with the gzip magic bytes. */
  public static byte[] read(Path file) {
    try (Peekable in = openPeekable(file, 0)) {
      return in.readAll();
    }
  }

  /** A file opened once: gunzipped when it starts with the gzip magic, with its first bytes available to peek. */
  public static final class Peekable implements AutoCloseable {
    private final Path file;
    private final java.io.BufferedInputStream in;
    private final byte[] head;
    private final boolean gzip;
    private final long size;

    private Peekable(Path file, java.io.BufferedInputStream in, byte[] head, boolean gzip, long size) {
      this.file = file;
      this.in = in;
      this.head = head;
      this.gzip = gzip;
      this.size = size;
    }

    /** The first bytes of the (decompressed) content; reading {@link #stream()} still starts at byte 0. */
    public byte[] head() {
      return head;
    }

    public InputStream stream() {
      return in;
    }

    public boolean gzip() {
      return gzip;
    }

    /** The size on disk (compressed size for gzip). */
    public long size() {
      return size;
    }

    /** The whole (decompressed) content; files over 2 GiB are a user error. */
    public byte[] readAll() {
      try {
        if (!gzip && size > Integer.MAX_VALUE - 16) {
          throw new UserError(file + " is " + size + " bytes; files over 2 GiB are not supported in this format: "
              + "split the data into several files in the same channel");
        }
        return in.readAllBytes();
      } catch (IOException e) {
        throw IoFailures.of("cannot read", file, e);
      }
    }

    @Override
    public void close() {
      try {
        in.close();
      } catch (IOException e) {
        // nothing was written; a failed close of a file we only read loses nothing
      }
    }
  }

  /** Opens {@code file} once, detecting gzip, and peeks its first {@code headBytes} (decompressed) bytes. */
  public static Peekable openPeekable(Path file, int headBytes) {
    InputStream raw = null;
    try {
      long size = Files.size(file);
      raw = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 12);
      raw.mark(2);
      boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
      raw.reset();
      InputStream content = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
      int buffer = (int) Math.max(1 << 12, Math.min(headBytes, gzip ? headBytes : size + 1));
      java.io.BufferedInputStream in = new java.io.BufferedInputStream(content, Math.max(buffer, headBytes));
      in.mark(headBytes);
      byte[] head = in.readNBytes(headBytes);
      in.reset();
      return new Peekable(file, in, head, gzip, size);
    } catch (IOException e) {
      if (raw != null) {
        try {
          raw.close();
        } catch (IOException ignored) {
          // reporting the first failure
        }
      }
      throw IoFailures.of("cannot read", file, e);
    }
  }

}
