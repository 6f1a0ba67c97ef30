package dev.sagebox.controlplane;

/** {@code sagebox api}: the local SageMaker API until interrupted. */
public final class ApiMain {
  private ApiMain() {}

  public static void main(String[] args) throws Exception {
    ApiSettings settings;
    try {
      settings = ApiSettings.from(System.getenv(), args);
    } catch (IllegalArgumentException e) {
      System.err.println("sagebox api: " + e.getMessage());
      System.exit(2);
      return;
    }
    SageboxApi api;
    try {
      api = SageboxApi.start(settings);
    } catch (IllegalArgumentException e) {
      System.err.println("sagebox api: " + e.getMessage());
      System.exit(2);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        api.close();
      } catch (Exception e) {
        System.err.println("sagebox api: stopping: " + e);
      }
    }));
    System.out.println("sagebox api: SageMaker API and Runtime on http://" + settings.bind() + ":" + api.port()
        + ", S3 on " + api.s3Endpoint() + ", state in " + settings.stateDir());
    Thread.currentThread().join();
  }
}
