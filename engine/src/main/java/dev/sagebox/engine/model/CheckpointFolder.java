package dev.sagebox.engine.model;

import dev.sagebox.engine.error.IoFailures;
import dev.sagebox.engine.error.PlatformError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * A folder of numbered checkpoints ({@code <prefix><n><suffix>}): finds the newest, writes a new one through a
 * temporary file and an atomic rename (a crash never leaves half a checkpoint), and keeps only the newest few.
 */
public final class CheckpointFolder {
  private final Path dir;
  private final String prefix;
  private final String suffix;
  private final int keep;

  /** Writes one checkpoint's content to the given (temporary) file. */
  @FunctionalInterface
  public interface Writer {
    void write(Path file) throws IOException;
  }

  public CheckpointFolder(Path dir, String prefix, String suffix, int keep) {
    this.dir = dir;
    this.prefix = prefix;
    this.suffix = suffix;
    this.keep = keep;
  }

  public Path file(int number) {
    return dir.resolve(prefix + number + suffix);
  }

  /** The highest checkpoint number present, if any. */
  public OptionalInt newest() {
    if (!Files.isDirectory(dir)) {
      return OptionalInt.empty();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.mapToInt(this::number).filter(n -> n >= 0).max();
    } catch (IOException e) {
      throw new PlatformError("cannot list checkpoints in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Saves checkpoint {@code number} and deletes those {@code keep} or more numbers older. */
  public void save(int number, Writer writer) {
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve(".tmp-" + prefix + number + suffix);
      try {
        writer.write(tmp);
        ModelFolder.sync(tmp);
        Files.move(tmp, file(number), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          int n = number(f);
          if (n >= 0 && n <= number - keep) {
            Files.deleteIfExists(f);
          }
        }
      }
    } catch (IOException e) {
      throw IoFailures.of("cannot write a checkpoint in", dir, e);
    }
  }

  private int number(Path f) {
    String name = f.getFileName().toString();
    if (!name.startsWith(prefix) || !name.endsWith(suffix) || name.length() == prefix.length() + suffix.length()) {
      return -1;
    }
    String digits = name.substring(prefix.length(), name.length() - suffix.length());
    // Only the names this class writes: ASCII digits without a sign or leading zeros ('029', '+29' and other
    // scripts' digits named another file than file(29)), and far from the int range (number + 1 must not wrap).
    if (digits.length() > 9 || (digits.length() > 1 && digits.charAt(0) == '0')) {
      return -1;
    }
    for (int i = 0; i < digits.length(); i++) {
      if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
        return -1;
      }
    }
    return Integer.parseInt(digits);
  }
}
