package dev.sagebox.engine.data;

import dev.sagebox.engine.error.IoFailures;
import dev.sagebox.engine.error.PlatformError;
import dev.sagebox.engine.error.UserError;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
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
    List<Path> notFiles = new java.util.ArrayList<>();
    // The walk's own attributes say what is a regular file (one stat per entry, not two). Links are followed, to
    // files and to folders (the channel folder itself may be one); what is neither (a link to nothing, a pipe, a
    // device) is skipped and logged, never dropped silently.
    try (Stream<Path> walk = Files.find(dir, Integer.MAX_VALUE, (p, attrs) -> {
      if (!attrs.isRegularFile() && !attrs.isDirectory()) {
        notFiles.add(p);
      }
      return attrs.isRegularFile();
    }, FileVisitOption.FOLLOW_LINKS)) {
      files = walk.sorted().toList();
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof FileSystemLoopException loop) {
        throw new UserError("channel folder " + dir + ": the link " + loop.getFile() + " leads back to a folder "
            + "that contains it (a loop); remove the link or point it elsewhere");
      }
      throw IoFailures.of("cannot list channel folder", dir, e.getCause());
    } catch (IOException e) {
      throw IoFailures.of("cannot list channel folder", dir, e);
    }
    for (Path p : notFiles) {
      LOG.warn("{}: skipped {} (not a regular file: a link to nothing, a pipe or a device)", dir.getFileName(),
          dir.relativize(p));
    }
    List<Path> kept = new java.util.ArrayList<>(files.size());
    String root = dir.toString();
    for (Path p : files) {
      if (isSkipped(root, dir, p)) {
        LOG.info("{}: skipped {} (names starting with '.' or '_' are not data)", dir.getFileName(),
            dir.relativize(p));
      } else {
        kept.add(p);
      }
    }
    return List.copyOf(kept);
  }

  /**
   * Whether a name below {@code root} starts with {@code .} or {@code _}. Checked on the path's text: splitting
   * each of 100,000 paths into name elements costs more memory than their data.
   */
  private static boolean isSkipped(String rootText, Path root, Path file) {
    String text = file.toString();
    int from = rootText.endsWith("/") ? rootText.length() : rootText.length() + 1;
    if (!text.startsWith(rootText) || from > text.length() || from > rootText.length()
        && text.charAt(rootText.length()) != '/') {
      for (Path part : root.relativize(file)) {
        String name = part.toString();
        if (name.startsWith(".") || name.startsWith("_")) {
          return true;
        }
      }
      return false;
    }
    for (int i = from; i < text.length(); i++) {
      boolean nameStarts = i == from || text.charAt(i - 1) == '/';
      if (nameStarts && (text.charAt(i) == '.' || text.charAt(i) == '_')) {
        return true;
      }
    }
    return false;
  }

  /**
   * How messages name a file of a channel: its path under the channel's folder ({@code train/2024/part-0.csv},
   * subfolders included, so two files of one name stay apart); the file name alone when no folder above it is named
   * after the channel.
   */
  public static String displayName(String channel, Path file) {
    for (Path p = file.getParent(); p != null; p = p.getParent()) {
      if (p.getFileName() != null && p.getFileName().toString().equals(channel)) {
        return channel + "/" + p.relativize(file).toString().replace(java.io.File.separatorChar, '/');
      }
    }
    return channel + "/" + file.getFileName();
  }

  /** Reads a whole file, gunzipping it when it starts with the gzip magic bytes. */
  public static byte[] read(Path file) {
    Whole whole = readWhole(file, Integer.MAX_VALUE - 16, Integer.MAX_VALUE - 16);
    if (whole.content() == null) {
      throw new UserError(file + " holds more than 2 GiB; files over 2 GiB are not supported in this format: "
          + "split the data into several files in the same channel");
    }
    return whole.content();
  }

  /**
   * A file read whole: {@code content} is exactly its bytes, gunzipped when the file was gzip; {@code null} when the
   * file was too large to hold whole (it is then read as a stream, see {@link #openPeekable}).
   */
  public record Whole(Path file, byte[] content, boolean gzip) {
    static Whole tooLarge(Path file) {
      return new Whole(file, null, false);
    }
  }

  /**
   * Opens {@code file} once and reads it whole into an array of its size when it holds at most {@code maxStored}
   * bytes on disk and, gunzipped, at most {@code maxContent} bytes; otherwise answers {@link Whole#tooLarge}.
   */
  public static Whole readWhole(Path file, long maxStored, int maxContent) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > maxStored || size > Integer.MAX_VALUE - 16) {
        return Whole.tooLarge(file);
      }
      byte[] stored = new byte[(int) size];
      ByteBuffer into = ByteBuffer.wrap(stored);
      while (into.hasRemaining() && ch.read(into) >= 0) {
        // reads until the array is full or the file ends
      }
      if (into.hasRemaining()) {
        stored = Arrays.copyOf(stored, into.position());
      } else if (ch.read(ByteBuffer.allocate(1)) > 0) {
        return Whole.tooLarge(file);
      }
      boolean gzip = stored.length >= 2 && stored[0] == (byte) 0x1f && stored[1] == (byte) 0x8b;
      if (!gzip) {
        return stored.length <= maxContent ? new Whole(file, stored, false) : Whole.tooLarge(file);
      }
      byte[] content = gunzip(stored, maxContent);
      return content == null ? Whole.tooLarge(file) : new Whole(file, content, true);
    } catch (IOException e) {
      throw IoFailures.of("cannot read", file, e);
    }
  }

  /** The gunzipped bytes of {@code stored}, or {@code null} when they are more than {@code max}. */
  private static byte[] gunzip(byte[] stored, int max) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(stored),
        Math.max(512, Math.min(stored.length, 1 << 16)))) {
      byte[] out = new byte[(int) Math.min(max + 1L, Math.max(1 << 12, stored.length * 4L))];
      int len = 0;
      while (true) {
        if (len == out.length) {
          if (len > max) {
            return null;
          }
          out = Arrays.copyOf(out, (int) Math.min(max + 1L, out.length * 2L));
        }
        int n = in.read(out, len, out.length - len);
        if (n < 0) {
          break;
        }
        len += n;
      }
      return len > max ? null : Arrays.copyOf(out, len);
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
