package dev.sagebox.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Reads and writes data and models: {@code s3://} through one S3 client (the embedded s3proxy or any endpoint),
 * {@code file://} on this machine. Every failure is an {@link IOException} whose message says which object.
 */
public final class ObjectStore {
  private final S3Client s3;

  public ObjectStore(S3Client s3) {
    this.s3 = s3;
  }

  /**
   * S3Prefix: every object whose key starts with the prefix (every file below a local folder, or the file itself),
   * into {@code dir}, keeping the path below the prefix's last '/'. Returns the number of objects.
   */
  public int downloadPrefix(ObjectUri from, Path dir) throws IOException {
    Files.createDirectories(dir);
    if (from instanceof ObjectUri.Local l) {
      Path src = l.path();
      if (Files.isRegularFile(src)) {
        Files.copy(src, dir.resolve(src.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
        return 1;
      }
      if (!Files.isDirectory(src)) {
        throw new IOException("no such file or folder: " + src);
      }
      int n = 0;
      try (Stream<Path> files = Files.walk(src)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          Path to = dir.resolve(src.relativize(f).toString());
          Files.createDirectories(to.getParent());
          Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
          n++;
        }
      }
      return n;
    }
    ObjectUri.S3 s = (ObjectUri.S3) from;
    String base = s.key().substring(0, s.key().lastIndexOf('/') + 1);
    List<S3Object> objects;
    try {
      objects = s3().listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(s.bucket()).prefix(s.key()).build())
          .contents().stream().filter(o -> !o.key().endsWith("/")).toList();
    } catch (S3Exception e) {
      throw new IOException("cannot list " + from + ": " + e.awsErrorDetails().errorMessage(), e);
    }
    for (S3Object o : objects) {
      get(new ObjectUri.S3(s.bucket(), o.key()), inside(dir, o.key().substring(base.length())));
    }
    return objects.size();
  }

  /**
   * ManifestFile: a JSON list whose first element is {@code {"prefix": "s3://..."}} and the rest keys relative to
   * it. Returns the number of objects.
   */
  public int downloadManifest(ObjectUri manifest, Path dir) throws IOException {
    Path tmp = Files.createTempFile("manifest", ".json");
    try {
      get(manifest, tmp);
      JsonNode list = Json.MAPPER.readTree(tmp.toFile());
      if (!list.isArray() || list.isEmpty() || !list.get(0).has("prefix")) {
        throw new IOException("manifest " + manifest + " is not a JSON list starting with {\"prefix\": \"s3://...\"}");
      }
      ObjectUri prefix = ObjectUri.parse(list.get(0).get("prefix").asText(), "the manifest's prefix");
      for (int i = 1; i < list.size(); i++) {
        String rel = list.get(i).asText();
        get(prefix.child(rel), inside(dir, rel));
      }
      return list.size() - 1;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** One object to a file. */
  public void get(ObjectUri from, Path to) throws IOException {
    Files.createDirectories(to.toAbsolutePath().getParent());
    if (from instanceof ObjectUri.Local l) {
      if (!Files.isRegularFile(l.path())) {
        throw new IOException("no such file: " + l.path());
      }
      Files.copy(l.path(), to, StandardCopyOption.REPLACE_EXISTING);
      return;
    }
    ObjectUri.S3 s = (ObjectUri.S3) from;
    try (InputStream in = s3().getObject(GetObjectRequest.builder().bucket(s.bucket()).key(s.key()).build())) {
      Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
    } catch (NoSuchKeyException e) {
      throw new IOException("no such object: " + from, e);
    } catch (S3Exception e) {
      throw new IOException("cannot read " + from + ": " + e.awsErrorDetails().errorMessage(), e);
    }
  }

  /** One file to an object. */
  public void put(Path from, ObjectUri to) throws IOException {
    if (to instanceof ObjectUri.Local l) {
      Files.createDirectories(l.path().getParent());
      Files.copy(from, l.path(), StandardCopyOption.REPLACE_EXISTING);
      return;
    }
    ObjectUri.S3 s = (ObjectUri.S3) to;
    try {
      s3().putObject(PutObjectRequest.builder().bucket(s.bucket()).key(s.key()).build(), RequestBody.fromFile(from));
    } catch (S3Exception e) {
      throw new IOException("cannot write " + to + ": " + e.awsErrorDetails().errorMessage(), e);
    }
  }

  /** Every file below {@code dir} to {@code to/<path below dir>}; the number of files. */
  public int putFolder(Path dir, ObjectUri to) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    for (Path f : files) {
      put(f, to.child(dir.relativize(f).toString().replace('\\', '/')));
    }
    return files.size();
  }

  private S3Client s3() throws IOException {
    if (s3 == null) {
      throw new IOException("s3:// URIs need S3: this API runs without one (start it with the embedded S3 or "
          + "SAGEBOX_API_S3_ENDPOINT)");
    }
    return s3;
  }

  /** {@code dir/rel}, refusing a key that would leave {@code dir} ('..' segments, absolute paths). */
  static Path inside(Path dir, String rel) throws IOException {
    Path p = dir.resolve(rel).normalize();
    if (rel.isEmpty() || !p.startsWith(dir.normalize())) {
      throw new IOException("object key '" + rel + "' would be written outside the channel folder; refused");
    }
    return p;
  }

  static UncheckedIOException unchecked(IOException e) {
    return new UncheckedIOException(e);
  }
}
