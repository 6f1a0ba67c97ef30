package dev.sagebox.engine.xgboost;

import dev.sagebox.engine.error.UserError;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the regular files of a tar archive held in memory (ustar, with GNU long names and PAX {@code path}
 * records), for a {@code model.tar.gz} given as the {@code model} channel: SageMaker hands channel files over as they
 * are in S3, and a previous job's model arrives as that archive.
 */
final class TarEntries {
  private TarEntries() {}

  private static final int BLOCK = 512;

  /** Whether {@code bytes} look like a tar archive (the ustar magic of the first header). */
  static boolean isTar(byte[] bytes) {
    return bytes.length >= BLOCK && new String(bytes, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
  }

  /** File path (as stored, without a leading {@code ./}) to content, in archive order. */
  static Map<String, byte[]> read(byte[] tar, String source) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    int at = 0;
    String longName = null;
    while (at + BLOCK <= tar.length) {
      if (isZero(tar, at)) {
        break;
      }
      String name = text(tar, at, 100);
      long size = octal(tar, at + 124, 12, source);
      char type = (char) tar[at + 156];
      String prefix = text(tar, at + 345, 155);
      int data = at + BLOCK;
      if (size < 0 || data + size > tar.length) {
        throw new UserError(source + " is a truncated tar archive (entry '" + name + "' runs past the end)");
      }
      switch (type) {
        case 'L' -> longName = text(tar, data, (int) size);
        case 'x' -> longName = paxPath(new String(tar, data, (int) size, StandardCharsets.UTF_8), longName);
        case '0', '\0', '7' -> {
          String path = longName != null ? longName : (prefix.isEmpty() ? name : prefix + "/" + name);
          byte[] content = new byte[(int) size];
          System.arraycopy(tar, data, content, 0, (int) size);
          files.put(path.startsWith("./") ? path.substring(2) : path, content);
          longName = null;
        }
        default -> longName = null;
      }
      at = data + (int) ((size + BLOCK - 1) / BLOCK * BLOCK);
    }
    return files;
  }

  private static String paxPath(String records, String fallback) {
    for (String line : records.split("\n")) {
      int space = line.indexOf(' ');
      if (space > 0 && line.startsWith("path=", space + 1)) {
        return line.substring(space + 1 + "path=".length());
      }
    }
    return fallback;
  }

  private static boolean isZero(byte[] b, int at) {
    for (int i = at; i < at + BLOCK; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static String text(byte[] b, int at, int max) {
    int end = at;
    while (end < at + max && end < b.length && b[end] != 0) {
      end++;
    }
    return new String(b, at, end - at, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] b, int at, int len, String source) {
    String s = text(b, at, len).strip();
    try {
      return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    } catch (NumberFormatException e) {
      throw new UserError(source + " is not a tar archive Sagebox can read (entry size '" + s + "')");
    }
  }
}
