package dev.sagebox.container.serve;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * A request body's {@code Content-Encoding}: {@code identity} (or none) as it is, {@code gzip} ({@code x-gzip}) and
 * {@code deflate} decompressed. The decompressed body is held to the same limit as a plain one, so a small
 * compressed body cannot grow past what the server reads.
 */
enum ContentEncoding {
  IDENTITY, GZIP, DEFLATE;

  static final String ACCEPTED = "gzip, deflate, identity";

  /** The encoding named by {@code header} (null or blank: identity), or null when it is not one of these. */
  static ContentEncoding of(String header) {
    if (header == null || header.isBlank()) {
      return IDENTITY;
    }
    return switch (header.strip().toLowerCase(Locale.ROOT)) {
      case "identity" -> IDENTITY;
      case "gzip", "x-gzip" -> GZIP;
      case "deflate" -> DEFLATE;
      default -> null;
    };
  }

  /** What decoding gave: the body, a body over the limit, or a body that is not in this encoding. */
  sealed interface Decoded permits Body, TooLarge, Corrupt {}

  record Body(byte[] bytes) implements Decoded {}

  record TooLarge(long limit) implements Decoded {}

  record Corrupt(String problem) implements Decoded {}

  Decoded decode(byte[] body, long limit) {
    if (this == IDENTITY) {
      return new Body(body);
    }
    try (InputStream in = this == GZIP ? new GZIPInputStream(new ByteArrayInputStream(body), 1 << 16)
        : new InflaterInputStream(new ByteArrayInputStream(body))) {
      byte[] out = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, limit + 1));
      return out.length > limit ? new TooLarge(limit) : new Body(out);
    } catch (IOException e) {
      return new Corrupt("the body is not valid " + name().toLowerCase(Locale.ROOT) + " data ("
          + e.getMessage() + ")");
    }
  }
}
