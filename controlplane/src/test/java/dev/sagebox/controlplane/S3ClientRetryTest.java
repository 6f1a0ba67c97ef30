package dev.sagebox.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The control plane's own S3 client rides over a server that closes a connection without answering, as a server may
 * close a keep-alive connection at any moment. CI saw a PutObject fail on such a connection with the URL-connection
 * client ("Unexpected end of file from server", one attempt, no retry).
 */
class S3ClientRetryTest {
  @TempDir
  Path dir;

  @Test
  void aConnectionClosedWithoutAnAnswerIsRetriedOnANewOne() throws Exception {
    try (EmbeddedS3 store = EmbeddedS3.start(dir.resolve("s3"), "127.0.0.1", 0, null, null);
        DroppingProxy proxy = new DroppingProxy(store.port(), "PUT /data/a.csv ", 2)) {
      S3Client s3 = SageboxApi.s3Client(URI.create("http://127.0.0.1:" + proxy.port()), "us-east-1",
          StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
      try (s3) {
        s3.createBucket(b -> b.bucket("data"));
        s3.putObject(b -> b.bucket("data").key("a.csv"), RequestBody.fromString("1,2,3\n".repeat(5000)));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("data").key("a.csv")).asString(StandardCharsets.UTF_8))
            .startsWith("1,2,3\n").hasSize(30_000);
      }
      assertThat(proxy.dropped()).as("PUTs closed unanswered").isEqualTo(2);
    }
  }

  /**
   * Forwards loopback connections to {@code target}, but the first {@code drop} requests that start with
   * {@code dropRequestLine} close their connection unanswered, as a server closing a kept-alive connection does.
   */
  private static final class DroppingProxy implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final AtomicInteger dropped = new AtomicInteger();
    private final int target;
    private final String dropRequestLine;
    private final int drop;

    DroppingProxy(int target, String dropRequestLine, int drop) throws IOException {
      this.target = target;
      this.dropRequestLine = dropRequestLine;
      this.drop = drop;
      Thread t = new Thread(this::acceptLoop, "dropping-proxy");
      t.setDaemon(true);
      t.start();
    }

    int port() {
      return server.getLocalPort();
    }

    int dropped() {
      return Math.min(drop, dropped.get());
    }

    private void acceptLoop() {
      while (!server.isClosed()) {
        try {
          Socket client = server.accept();
          Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
          daemon(() -> requests(client, upstream));
          daemon(() -> responses(upstream, client));
        } catch (IOException e) {
          return;
        }
      }
    }

    /** Client to upstream; a request that starts with the line to drop closes both sides instead. */
    private void requests(Socket client, Socket upstream) {
      byte[] buf = new byte[65536];
      try (client; upstream) {
        InputStream in = client.getInputStream();
        OutputStream out = upstream.getOutputStream();
        for (int n; (n = in.read(buf)) > 0; ) {
          if (new String(buf, 0, Math.min(n, 200), StandardCharsets.ISO_8859_1).startsWith(dropRequestLine)
              && dropped.incrementAndGet() <= drop) {
            return;
          }
          out.write(buf, 0, n);
        }
      } catch (IOException ignored) {
        // either side went away; closing both ends the pair
      }
    }

    private static void responses(Socket upstream, Socket client) {
      try (upstream; client) {
        upstream.getInputStream().transferTo(client.getOutputStream());
      } catch (IOException ignored) {
        // either side went away; closing both ends the pair
      }
    }

    private static void daemon(Runnable r) {
      Thread t = new Thread(r, "dropping-proxy");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
