package dev.sagebox.controlplane;

import java.nio.file.Path;

/** An {@code s3://bucket/key} or {@code file:///absolute/path} location, parsed once. */
public sealed interface ObjectUri {
  record S3(String bucket, String key) implements ObjectUri {
    @Override
    public String toString() {
      return "s3://" + bucket + "/" + key;
    }
  }

  record Local(Path path) implements ObjectUri {
    @Override
    public String toString() {
      return path.toUri().toString();
    }
  }

  /** {@code member} names the request field, for the error. */
  static ObjectUri parse(String uri, String member) {
    if (uri != null && uri.startsWith("s3://")) {
      String rest = uri.substring(5);
      int slash = rest.indexOf('/');
      String bucket = slash < 0 ? rest : rest.substring(0, slash);
      String key = slash < 0 ? "" : rest.substring(slash + 1);
      if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
        throw ApiException.validation(member + " '" + uri + "' names an invalid bucket '" + bucket + "'");
      }
      return new S3(bucket, key);
    }
    if (uri != null && uri.startsWith("file://")) {
      try {
        return new Local(Path.of(new java.net.URI(uri)).normalize());
      } catch (java.net.URISyntaxException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
        throw ApiException.validation(member + " '" + uri + "' is not a usable file URI (" + (e instanceof
            java.net.URISyntaxException u ? u.getReason() : e.getMessage()) + "); write file:///absolute/path, "
            + "with spaces and other special characters percent-encoded (%20)");
      }
    }
    throw ApiException.validation(member + " '" + uri + "' is invalid; accepted: s3://bucket/key (the API's S3) or "
        + "file:///absolute/path (this machine)");
  }

  /** This location with {@code suffix} appended as a sub-path. */
  default ObjectUri child(String suffix) {
    if (this instanceof S3 s) {
      String k = s.key().isEmpty() || s.key().endsWith("/") ? s.key() + suffix : s.key() + "/" + suffix;
      return new S3(s.bucket(), k);
    }
    return new Local(((Local) this).path().resolve(suffix));
  }
}
