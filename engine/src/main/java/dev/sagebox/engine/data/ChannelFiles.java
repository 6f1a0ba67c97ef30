package dev.sagebox.engine.data;

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
      throw new PlatformError("cannot list channel folder " + dir + ": " + e.getMessage(), e);
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
    try {
      long size = Files.size(file);
      if (isGzip(file)) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
          return in.readAllBytes();
        }
      }
      if (size > Integer.MAX_VALUE - 16) {
        throw new UserError(file + " is " + size + " bytes; files over 2 GiB are not supported: split the data "
            + "into several files in the same channel");
      }
      return Files.readAllBytes(file);
    } catch (OutOfMemoryError e) {
      throw new PlatformError("out of memory reading " + file + "; give the JVM more memory", e);
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      throw new UserError(file + ": corrupt or truncated gzip data (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new PlatformError("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Opens a file for streaming, gunzipping it on the fly when it starts with the gzip magic bytes. */
  public static InputStream open(Path file) {
    try {
      InputStream raw = Files.newInputStream(file);
      return isGzip(file) ? new GZIPInputStream(raw, 1 << 16) : raw;
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      throw new UserError(file + ": corrupt or truncated gzip data (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new PlatformError("cannot open " + file + ": " + e.getMessage(), e);
    }
  }

  /** The first {@code max} bytes of the (decompressed) content, for format detection. */
  public static byte[] head(Path file, int max) {
    try (InputStream in = open(file)) {
      return in.readNBytes(max);
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      throw new UserError(file + ": corrupt or truncated gzip data (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new PlatformError("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The file's size on disk (compressed size for gzip files). */
  public static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new PlatformError("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static boolean isGzip(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.read() == 0x1f && in.read() == 0x8b;
    }
  }
}
