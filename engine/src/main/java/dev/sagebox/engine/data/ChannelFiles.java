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

/** The files of one input channel: every regular, non-hidden file below its folder, plain or gzip. */
public final class ChannelFiles {
  private ChannelFiles() {}

  /** Lists the data files below {@code dir} in name order; hidden files and folders are skipped. */
  public static List<Path> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new UserError("channel folder " + dir + " does not exist or is not a folder");
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> !isHidden(dir, p))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new PlatformError("cannot list channel folder " + dir + ": " + e.getMessage(), e);
    }
  }

  private static boolean isHidden(Path root, Path file) {
    for (Path part : root.relativize(file)) {
      if (part.toString().startsWith(".")) {
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
