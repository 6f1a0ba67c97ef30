package dev.sagebox.controlplane;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The whole API, wired: S3 (embedded or external), the state folder, training, hosting and the HTTP server. */
public final class SageboxApi implements AutoCloseable {
  private final EmbeddedS3 embeddedS3;
  private final S3Client s3;
  private final ExecutorService runner;
  private final TrainingJobs training;
  private final Hosting hosting;
  private final ApiServer server;
  private final URI s3Endpoint;
  private final StateDatabase db;

  private SageboxApi(EmbeddedS3 embeddedS3, S3Client s3, ExecutorService runner, TrainingJobs training, Hosting hosting,
      ApiServer server, URI s3Endpoint, StateDatabase db) {
    this.db = db;
    this.training = training;
    this.embeddedS3 = embeddedS3;
    this.s3 = s3;
    this.runner = runner;
    this.hosting = hosting;
    this.server = server;
    this.s3Endpoint = s3Endpoint;
  }

  public static SageboxApi start(ApiSettings settings) throws Exception {
    if (!Files.isExecutable(settings.launcher())) {
      throw new IllegalArgumentException("the launcher " + settings.launcher() + " is missing or not executable; set "
          + ApiSettings.HOME + " to the folder holding bin/sagebox");
    }
    Path state = settings.stateDir();
    Files.createDirectories(state);
    StateDatabase db = StateDatabase.open(state);
    // This API holds the state folder now (the database is locked): what an earlier, killed one left running goes.
    for (String run : new String[] {"jobs", "endpoints-run", "transform-jobs-run"}) {
      ChildProcess.reapOrphans(state.resolve(run));
    }
    EmbeddedS3 embedded = null;
    URI endpoint = settings.s3Endpoint();
    S3Client s3;
    if (endpoint == null) {
      var first = settings.credentials().entrySet().stream().findFirst();
      embedded = EmbeddedS3.start(state.resolve("s3"), settings.bind(), settings.s3Port(),
          first.map(Map.Entry::getKey).orElse(null), first.map(Map.Entry::getValue).orElse(null));
      endpoint = URI.create("http://" + settings.bind() + ":" + embedded.port());
      s3 = s3Client(endpoint, settings.region(), first.<AwsCredentialsProvider>map(e -> StaticCredentialsProvider
          .create(AwsBasicCredentials.create(e.getKey(), e.getValue()))).orElse(AnonymousCredentialsProvider
          .create()));
    } else {
      s3 = s3Client(endpoint, settings.region(), DefaultCredentialsProvider.builder().build());
    }
    ExecutorService runner = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "sagebox-api-worker");
      t.setDaemon(true);
      return t;
    });
    ObjectStore objects = new ObjectStore(s3);
    Arns arns = new Arns(settings.region(), settings.account());
    ResourceStore jobs = new ResourceStore(db, "training-jobs");
    TrainingJobs training = new TrainingJobs(jobs, state.resolve("jobs"),
        objects, settings.launcher(), arns, runner, settings.maxTrainingJobs());
    Hosting hosting = new Hosting(new ResourceStore(db, "models"), new ResourceStore(db, "endpoint-configs"),
        new ResourceStore(db, "endpoints"), state.resolve("endpoints-run"), objects, settings.launcher(), arns,
        runner, settings.endpointStartupTimeout());
    TransformJobs transforms = new TransformJobs(new ResourceStore(db, "transform-jobs"), hosting,
        state.resolve("transform-jobs-run"), objects, settings.launcher(), arns, runner,
        settings.endpointStartupTimeout());
    training.recover();
    transforms.recover();
    hosting.recover();
    ApiServer server = new ApiServer(training, hosting, transforms,
        new TrainingLogs(jobs, state.resolve("jobs")), settings.credentials().isEmpty() ? null
        : new SigV4Verifier(settings.credentials()), settings.bind(), settings.port());
    return new SageboxApi(embedded, s3, runner, training, hosting, server, endpoint, db);
  }

  /**
   * The Apache client, not the URL-connection one: a keep-alive connection the S3 server has closed made the
   * URL-connection client fail a PutObject with "Unexpected end of file from server" and no retry (CI, 2026-12-03).
   * The Apache client checks idle connections before reuse and its I/O errors go through the SDK's retries. Given
   * as a builder, the client is the S3 client's own and closes with it (its connection pool and reaper too).
   */
  static S3Client s3Client(URI endpoint, String region, AwsCredentialsProvider credentials) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.of(region))
        .forcePathStyle(true)
        .credentialsProvider(credentials)
        .httpClientBuilder(ApacheHttpClient.builder())
        .build();
  }

  public int port() {
    return server.port();
  }

  /** The S3 endpoint jobs and models are read from and written to. */
  public URI s3Endpoint() {
    return s3Endpoint;
  }

  @Override
  public void close() throws Exception {
    server.close();
    training.stopAll();
    hosting.stopAll();
    runner.shutdownNow();
    runner.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
    s3.close();
    if (embeddedS3 != null) {
      embeddedS3.close();
    }
    db.close();
  }
}
