package dev.sagebox.controlplane;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks AWS Signature Version 4 on a request, as AWS does, against the configured access key / secret pairs:
 * the {@code Authorization} header's scope, signed headers and signature, and {@code X-Amz-Date} within 15 minutes.
 * Failures are AWS's 403 types (MissingAuthenticationToken, UnrecognizedClient, InvalidSignature).
 */
public final class SigV4Verifier {
  private static final Pattern AUTH = Pattern.compile("AWS4-HMAC-SHA256\\s+Credential=([^/\\s,]+)/(\\d{8})/([^/]+)/"
      + "([^/]+)/aws4_request,\\s*SignedHeaders=([^,\\s]+),\\s*Signature=([0-9a-f]{64})");
  private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);
  private static final Duration MAX_SKEW = Duration.ofMinutes(15);

  private final Map<String, String> secrets;

  /** @param secrets access key id to secret access key */
  public SigV4Verifier(Map<String, String> secrets) {
    this.secrets = Map.copyOf(secrets);
  }

  /**
   * @param rawPath the request path as sent (still percent-encoded)
   * @param rawQuery the query string as sent, or null
   * @param headers header values by lower-case name
   */
  public void verify(String method, String rawPath, String rawQuery, Map<String, String> headers, byte[] body,
      Instant now) {
    String auth = headers.get("authorization");
    if (auth == null) {
      throw denied("MissingAuthenticationTokenException", "Missing Authentication Token: this API checks AWS "
          + "Signature Version 4 (credentials are configured); sign the request with one of its access keys");
    }
    Matcher m = AUTH.matcher(auth);
    if (!m.find()) {
      throw new ApiException("IncompleteSignatureException", 400, "Authorization header is not a valid AWS4-HMAC-SHA256"
          + " signature: " + auth.replaceAll("Signature=\\S+", "Signature=..."));
    }
    String keyId = m.group(1);
    String date = m.group(2);
    String region = m.group(3);
    String service = m.group(4);
    String signedHeaders = m.group(5);
    String signature = m.group(6);
    String secret = secrets.get(keyId);
    if (secret == null) {
      throw denied("UnrecognizedClientException", "The security token included in the request is invalid: access "
          + "key '" + keyId + "' is not configured here");
    }
    String amzDate = headers.get("x-amz-date");
    if (amzDate == null) {
      throw denied("IncompleteSignatureException", "X-Amz-Date header is missing");
    }
    try {
      Instant sent = Instant.from(AMZ_DATE.parse(amzDate));
      if (Duration.between(sent, now).abs().compareTo(MAX_SKEW) > 0) {
        throw denied("InvalidSignatureException", "Signature expired: " + amzDate + " is more than 15 minutes from "
            + AMZ_DATE.format(now));
      }
    } catch (DateTimeParseException e) {
      throw denied("IncompleteSignatureException", "X-Amz-Date '" + amzDate + "' is not yyyyMMdd'T'HHmmss'Z'");
    }
    if (!amzDate.startsWith(date)) {
      throw denied("InvalidSignatureException", "the credential scope's date " + date + " does not match X-Amz-Date "
          + amzDate);
    }
    String expected = signature(method, rawPath, rawQuery, headers, body, signedHeaders, amzDate,
        date + "/" + region + "/" + service + "/aws4_request", secret, date, region, service);
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
        signature.getBytes(StandardCharsets.US_ASCII))) {
      throw denied("InvalidSignatureException", "The request signature we calculated does not match the signature "
          + "you provided. Check your AWS Secret Access Key and signing method.");
    }
  }

  static String signature(String method, String rawPath, String rawQuery, Map<String, String> headers, byte[] body,
      String signedHeaders, String amzDate, String scope, String secret, String date, String region,
      String service) {
    StringBuilder canonicalHeaders = new StringBuilder();
    for (String h : signedHeaders.split(";")) {
      String v = headers.get(h);
      if (v == null) {
        throw denied("IncompleteSignatureException", "signed header '" + h + "' is not in the request");
      }
      canonicalHeaders.append(h).append(':').append(v.strip().replaceAll("\\s+", " ")).append('\n');
    }
    // The body's own hash, always: a client-sent x-amz-content-sha256 is trusted only when it equals it (this API
    // is not S3; an unsigned header naming another body's hash must not let a different body through).
    String payloadHash = hex(sha256(body));
    String claimed = headers.get("x-amz-content-sha256");
    if (claimed != null && !claimed.equalsIgnoreCase(payloadHash)) {
      throw denied("InvalidSignatureException", "x-amz-content-sha256 does not match the SHA-256 of the request "
          + "body; this API signs the body itself");
    }
    String canonical = method + "\n" + canonicalPath(rawPath) + "\n" + canonicalQuery(rawQuery) + "\n"
        + canonicalHeaders + "\n" + signedHeaders + "\n" + payloadHash;
    String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
        + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    return hex(hmac(key, toSign));
  }

  /** Non-S3 services sign the path encoded twice: each segment of the (encoded) path is encoded again. */
  static String canonicalPath(String rawPath) {
    if (rawPath == null || rawPath.isEmpty()) {
      return "/";
    }
    List<String> out = new ArrayList<>();
    for (String seg : rawPath.split("/", -1)) {
      out.add(encode(seg));
    }
    return String.join("/", out);
  }

  static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    TreeMap<String, List<String>> params = new TreeMap<>();
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String k = encode(decode(eq < 0 ? pair : pair.substring(0, eq)));
      String v = eq < 0 ? "" : encode(decode(pair.substring(eq + 1)));
      params.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    List<String> out = new ArrayList<>();
    params.forEach((k, vs) -> vs.stream().sorted().forEach(v -> out.add(k + "=" + v)));
    return String.join("&", out);
  }

  private static String decode(String s) {
    try {
      return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ApiException("InvalidQueryParameter", 400, "the query string holds a malformed percent-escape in '"
          + s + "'; escapes are % and two hex digits");
    }
  }

  /** RFC 3986: unreserved characters as they are, every other byte as %XX (upper case). */
  static String encode(String s) {
    StringBuilder b = new StringBuilder();
    for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
          || c == '.' || c == '~') {
        b.append((char) c);
      } else {
        b.append('%').append(String.format("%02X", c & 0xff));
      }
    }
    return b.toString();
  }

  private static ApiException denied(String type, String message) {
    return new ApiException(type, 403, message);
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
