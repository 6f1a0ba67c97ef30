package dev.sagebox.controlplane;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * s3proxy over a local folder (one sub-folder per bucket), on loopback. Without configured credentials it accepts
 * any: it is a local store for one user, bound to 127.0.0.1.
 */
public final class EmbeddedS3 implements AutoCloseable {
  private final S3Proxy proxy;

  private EmbeddedS3(S3Proxy proxy) {
    this.proxy = proxy;
  }

  /**
   * Starts on {@code host:port} (0: any free port) and waits until it answers. With {@code keyId} (not null), only
   * requests signed with that key and {@code secret} are served.
   */
  public static EmbeddedS3 start(Path folder, String host, int port, String keyId, String secret) throws Exception {
    Files.createDirectories(folder);
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(new FilesystemNio2BlobStore(folder.toAbsolutePath().toString()))
        .endpoint(URI.create("http://" + host + ":" + port))
        .awsAuthentication(keyId == null ? AuthenticationType.NONE : AuthenticationType.AWS_V2_OR_V4, keyId, secret)
        .ignoreUnknownHeaders(true)
        .build();
    proxy.start();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IOException("the embedded S3 did not start on " + host + ":" + port + " within 30 s");
      }
      Thread.sleep(20);
    }
    return new EmbeddedS3(proxy);
  }

  public int port() {
    return proxy.getPort();
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
  }
}
