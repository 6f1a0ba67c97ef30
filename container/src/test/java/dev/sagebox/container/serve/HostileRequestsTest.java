package dev.sagebox.container.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagebox.container.ContainerSettings;
import dev.sagebox.container.SampleTrees;
import dev.sagebox.container.train.TrainCommand;
import dev.sagebox.engine.codec.Codecs;
import dev.sagebox.engine.model.AlgorithmRegistry;
import dev.sagebox.engine.model.PredictorOptions;
import dev.sagebox.engine.xgboost.XGBoostAlgorithm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests a hostile or careless client sends, over raw sockets: every answer is a JSON 4xx, never a 500. */
class HostileRequestsTest {
  @TempDir
  static Path shared;
  static Path base;
  static String row;
  private final List<InferenceServer> servers = new ArrayList<>();

  @BeforeAll
  static void trainOnce() throws IOException {
    base = SampleTrees.copy("xgboost", shared.resolve("ml"));
    AlgorithmRegistry registry = new AlgorithmRegistry(List.of(new XGBoostAlgorithm("test", w -> { })));
    assertThat(new TrainCommand(SampleTrees.settings(base), registry,
        new PrintStream(OutputStream.nullOutputStream()), () -> false).run()).isZero();
    row = Files.readAllLines(base.resolve("request.csv")).get(0);
  }

  @AfterEach
  void stop() {
    servers.forEach(InferenceServer::close);
  }

  private int start(String... env) {
    return start(SlowClientGuard.standard(), env);
  }

  private int start(SlowClientGuard guard, String... env) {
    ContainerSettings settings = SampleTrees.settings(base, env);
    ModelSlot slot = new ModelSlot();
    AlgorithmRegistry registry = new AlgorithmRegistry(List.of(new XGBoostAlgorithm("test", w -> { })));
    slot.load(() -> new ModelLoader(registry).load(settings.modelDir(), PredictorOptions.defaults()));
    InferenceServer server = new InferenceServer(settings, Codecs.standard(), slot, null, null, guard);
    servers.add(server);
    return server.start();
  }

  /** Sends raw bytes, half-closes, and returns the whole answer (status line, headers, body). */
  private static String raw(int port, byte[] request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      out.write(request);
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0) {
        got.write(buf, 0, n);
        String text = got.toString(StandardCharsets.UTF_8);
        int head = text.indexOf("\r\n\r\n");
        if (head > 0 && text.substring(head + 4).contains("}\n")) {
          break;
        }
      }
      return got.toString(StandardCharsets.UTF_8);
    }
  }

  private static String raw(int port, String request) throws IOException {
    return raw(port, request.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static String post(String headers, String body) {
    return "POST /invocations HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + headers + "Content-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
  }

  private static void assertJsonError(String answer, int status) {
    assertThat(answer).startsWith("HTTP/1.1 " + status);
    assertThat(answer).containsIgnoringCase("Content-Type: application/json");
    assertThat(answer).contains("\"status\":" + status);
    assertThat(answer).doesNotContain("<html").doesNotContain("Exception").doesNotContain("java.")
        .doesNotContain("/tmp/").doesNotContain("/opt/ml");
  }

  @Test
  void malformedAcceptIs406() throws Exception {
    assertJsonError(raw(start(), post("Content-Type: text/csv\r\nAccept: ;\r\n", row)), 406);
  }

  @Test
  void wrongMethodIs405WithAllow() throws Exception {
    String a = raw(start(), "GET /invocations HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertJsonError(a, 405);
    assertThat(a).contains("Allow: POST");
  }

  @Test
  void jettysOwnErrorsAreJsonToo() throws Exception {
    int port = start();
    assertJsonError(raw(port, "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414);
    assertJsonError(raw(port, "GET /ping HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n"), 431);
    assertJsonError(raw(port, post("Content-Type: text/csv\r\nExpect: 100-banana\r\n", row)), 417);
  }

  @Test
  void malformedChunkingAndUnsupportedTransferEncodingAre4xxOr501NotA500() throws Exception {
    int port = start();
    String badChunk = "POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked"
        + "\r\nConnection: close\r\n\r\nzz\r\nabc\r\n0\r\n\r\n";
    String a = raw(port, badChunk);
    assertJsonError(a, 400);
    assertThat(a).contains("well-formed chunks").doesNotContain("<html").doesNotContain("Exception");
    String gzip = "POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nTransfer-Encoding: gzip, "
        + "chunked\r\nConnection: close\r\n\r\n5\r\n1,2,3\r\n0\r\n\r\n";
    assertJsonError(raw(port, gzip), 501);
  }

  @Test
  void infiniteValuesAre400InEveryCodec() throws Exception {
    int port = start();
    String inf = row.replaceFirst("^[^,]*", "inf");
    assertJsonError(raw(port, post("Content-Type: text/csv\r\n", inf)), 400);
    assertJsonError(raw(port, post("Content-Type: text/csv\r\n", row.replaceFirst("^[^,]*", "3.5e38"))), 400);
    assertJsonError(raw(port, post("Content-Type: text/libsvm\r\n", "1:inf 2:1e400")), 400);
    assertJsonError(raw(port, post("Content-Type: application/json\r\n", "[" + row.replaceFirst("^[^,]*",
        "1e400") + "]")), 400);
    assertThat(raw(port, post("Content-Type: text/csv\r\n", row.replaceFirst("^[^,]*", "nan"))))
        .startsWith("HTTP/1.1 200");
  }

  @Test
  void oversizedBodyIsReadBeforeThe413SoAClientThatWritesItAllSeesTheAnswer() throws Exception {
    int port = start("SAGEMAKER_MAX_PAYLOAD_IN_MB", "1");
    String body = (row + "\n").repeat(2_000_000 / row.length());
    String a = raw(port, post("Content-Type: text/csv\r\n", body));
    assertJsonError(a, 413);
    assertThat(a).contains("exceeds the limit of 1048576 bytes");
  }

  @Test
  void aClientThatDisconnectsMidBodyIsNotAServerError() throws Exception {
    int port = start();
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.getOutputStream().write(("POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n"
          + "Content-Length: 100000\r\n\r\n" + row).getBytes(StandardCharsets.UTF_8));
      s.getOutputStream().flush();
    }
    // The server keeps answering normally.
    assertThat(raw(port, post("Content-Type: text/csv\r\n", row))).startsWith("HTTP/1.1 200");
  }

  @Test
  void controlBytesInRequestIdsNeverReachTheAnswerRaw() throws Exception {
    String a = raw(start(), post("Content-Type: text/csv\r\nX-Amzn-SageMaker-Inference-Id: a\u0001b\r\n", "x,y"));
    assertJsonError(a, 400);
    assertThat(a).doesNotContain("\u0001");
  }

  @Test
  void pingAnswersWhileHundredsOfClientsTrickleTheirBodies() throws Exception {
    int port = start();
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 300; i++) {
        Socket s = new Socket("127.0.0.1", port);
        s.getOutputStream().write(("POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n"
            + "Content-Length: 100000\r\n\r\n1").getBytes(StandardCharsets.UTF_8));
        slow.add(s);
      }
      java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
      for (int i = 0; i < 5; i++) {
        long t0 = System.nanoTime();
        var r = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
            + "/ping")).timeout(java.time.Duration.ofSeconds(5)).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat((System.nanoTime() - t0) / 1e6).as("ping ms with 300 slow uploads open").isLessThan(2_000);
        for (Socket s : slow) {
          if (!s.isClosed()) {
            try {
              s.getOutputStream().write('2');
            } catch (IOException closedByServer) {
              s.close();
            }
          }
        }
        Thread.sleep(500);
      }
    } finally {
      for (Socket s : slow) {
        s.close();
      }
    }
  }

  @Test
  void aStalledBodyGetsAJson408SayingHowMuchCame() throws Exception {
    int port = start(new SlowClientGuard(1_000, 100));
    long t0 = System.nanoTime();
    String a = raw(port, "POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n"
        + "Content-Length: 100000\r\n\r\n" + row);
    assertJsonError(a, 408);
    assertThat(a).contains("the request body stalled: nothing arrived for 1 s after " + row.length()
        + " of 100000 bytes");
    assertThat((System.nanoTime() - t0) / 1e9).isLessThan(10);
  }

  @Test
  void anOversizedBodyAnnouncedWithExpectContinueIsRefusedBeforeAnyIsSent() throws Exception {
    int port = start("SAGEMAKER_MAX_PAYLOAD_IN_MB", "1");
    String a = raw(port, "POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n"
        + "Expect: 100-continue\r\nContent-Length: 5000000\r\n\r\n");
    assertJsonError(a, 413);
    assertThat(a).doesNotContain("100 Continue").contains("declared 5000000 bytes").contains("Connection: close");
  }

  @Test
  void clientsBeyondTheBodyReaderLimitGet503AndPingStillAnswers() throws Exception {
    int port = start(new SlowClientGuard(30_000, 2));
    List<Socket> stalled = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        Socket s = new Socket("127.0.0.1", port);
        s.getOutputStream().write(("POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n"
            + "Content-Length: 100000\r\n\r\n1").getBytes(StandardCharsets.UTF_8));
        stalled.add(s);
      }
      Thread.sleep(500);
      String busy = raw(port, post("Content-Type: text/csv\r\n", row));
      assertJsonError(busy, 503);
      assertThat(busy).contains("Retry-After: 1").contains("already reading 2 request bodies");
      assertThat(raw(port, "GET /ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
          .startsWith("HTTP/1.1 200");
      stalled.get(0).close();
      Thread.sleep(500);
      assertThat(raw(port, post("Content-Type: text/csv\r\n", row))).startsWith("HTTP/1.1 200");
    } finally {
      for (Socket s : stalled) {
        s.close();
      }
    }
  }

  @Test
  void compressedBodiesAreDecodedAndUnknownEncodingsRefused() throws Exception {
    int port = start("SAGEMAKER_MAX_PAYLOAD_IN_MB", "1");
    String plain = raw(port, post("Content-Type: text/csv\r\n", row));
    assertThat(plain).startsWith("HTTP/1.1 200");
    String prediction = plain.substring(plain.indexOf("\r\n\r\n"));
    for (String encoding : new String[] {"gzip", "deflate"}) {
      java.io.ByteArrayOutputStream z = new java.io.ByteArrayOutputStream();
      try (OutputStream out = encoding.equals("gzip") ? new java.util.zip.GZIPOutputStream(z)
          : new java.util.zip.DeflaterOutputStream(z)) {
        out.write(row.getBytes(StandardCharsets.UTF_8));
      }
      String a = raw(port, compressed(encoding, z.toByteArray()));
      assertThat(a).as(encoding).startsWith("HTTP/1.1 200");
      assertThat(a.substring(a.indexOf("\r\n\r\n"))).isEqualTo(prediction);
    }
    String br = raw(port, post("Content-Type: text/csv\r\nContent-Encoding: br\r\n", row));
    assertJsonError(br, 415);
    assertThat(br).contains("Content-Encoding 'br' is not supported; accepted: gzip, deflate, identity");
    String notGzip = raw(port, compressed("gzip", row.getBytes(StandardCharsets.UTF_8)));
    assertJsonError(notGzip, 400);
    assertThat(notGzip).contains("Content-Encoding: gzip, but the body is not valid gzip data");
    java.io.ByteArrayOutputStream bomb = new java.io.ByteArrayOutputStream();
    try (OutputStream out = new java.util.zip.GZIPOutputStream(bomb)) {
      out.write(new byte[3_000_000]);
    }
    assertThat(bomb.size()).isLessThan(10_000);
    String big = raw(port, compressed("gzip", bomb.toByteArray()));
    assertJsonError(big, 413);
    assertThat(big).contains("the body decompressed (Content-Encoding: gzip) is larger");
  }

  private static byte[] compressed(String encoding, byte[] body) {
    byte[] head = ("POST /invocations HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: text/csv\r\n"
        + "Content-Encoding: " + encoding + "\r\nContent-Length: " + body.length + "\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = java.util.Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  @Test
  void headOnInvocationsIs405() throws Exception {
    String a = raw(start(), "HEAD /invocations HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(a).startsWith("HTTP/1.1 405").contains("Allow: POST");
  }

  @Test
  void pythonClientsSeeThe413() throws Exception {
    Path python = Path.of("/usr/bin/python3");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(python), "no /usr/bin/python3");
    int port = start("SAGEMAKER_MAX_PAYLOAD_IN_MB", "1");
    String script = "import http.client, urllib.request, urllib.error\n"
        + "body = b'1,2,3\\n' * 400000\n"
        + "c = http.client.HTTPConnection('127.0.0.1', " + port + ", timeout=30)\n"
        + "c.request('POST', '/invocations', body=body, headers={'Content-Type': 'text/csv'})\n"
        + "print('http.client', c.getresponse().status)\n"
        + "try:\n"
        + "    urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:" + port + "/invocations', data=body,"
        + " headers={'Content-Type': 'text/csv'}), timeout=30)\n"
        + "except urllib.error.HTTPError as e:\n"
        + "    print('urllib', e.code)\n";
    Process p = new ProcessBuilder(python.toString(), "-c", script).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    assertThat(out).contains("http.client 413").contains("urllib 413");
  }

  @Test
  void anUnusableDefaultAcceptIsRefusedAtStartNotOnEveryRequest() {
    ContainerSettings settings = SampleTrees.settings(base, "SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT", "image/png");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new InferenceServer(settings, Codecs.standard(),
        new ModelSlot()))
        .isInstanceOf(dev.sagebox.engine.error.UserError.class)
        .hasMessageContaining("SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT='image/png'")
        .hasMessageContaining("text/csv");
  }
}
