package dev.sagebox.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;

/** With credentials configured, every call's SigV4 signature is checked (SageMaker, Runtime and the embedded S3). */
class SignedApiTest {
  @TempDir
  Path state;

  @Test
  void awsTestSuiteVectorGetVanilla() {
    String sig = SigV4Verifier.signature("GET", "/", null, Map.of("host", "example.amazonaws.com", "x-amz-date",
        "20150830T123600Z"), new byte[0], "host;x-amz-date", "20150830T123600Z",
        "20150830/us-east-1/service/aws4_request", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830",
        "us-east-1", "service");
    assertThat(sig).isEqualTo("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  }

  @Test
  void expiredOrUnsignedRequestsAreRefused() {
    SigV4Verifier v = new SigV4Verifier(Map.of("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"));
    Map<String, String> headers = Map.of("host", "example.amazonaws.com", "x-amz-date", "20150830T123600Z",
        "authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            + "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    v.verify("GET", "/", null, headers, new byte[0], Instant.parse("2015-08-30T12:40:00Z"));
    assertThatThrownBy(() -> v.verify("GET", "/", null, headers, new byte[0], Instant.parse("2015-08-30T13:00:00Z")))
        .hasMessageContaining("expired");
    assertThatThrownBy(() -> v.verify("POST", "/", null, headers, new byte[0], Instant.parse("2015-08-30T12:40:00Z")))
        .extracting(e -> ((ApiException) e).type()).isEqualTo("InvalidSignatureException");
    assertThatThrownBy(() -> v.verify("GET", "/", null, Map.of(), new byte[0], Instant.now()))
        .extracting(e -> ((ApiException) e).status()).isEqualTo(403);
  }

  @Test
  void theBodyIsCheckedAgainstItsOwnHashNotAClaimedOne() throws Exception {
    String secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    SigV4Verifier v = new SigV4Verifier(Map.of("AKIDEXAMPLE", secret));
    byte[] signedBody = "{\"ModelName\": \"legit\"}".getBytes(StandardCharsets.UTF_8);
    Map<String, String> base = Map.of("host", "localhost", "x-amz-date", "20150830T123600Z");
    String sig = SigV4Verifier.signature("POST", "/", null, base, signedBody, "host;x-amz-date", "20150830T123600Z",
        "20150830/us-east-1/sagemaker/aws4_request", secret, "20150830", "us-east-1", "sagemaker");
    java.util.Map<String, String> headers = new java.util.HashMap<>(base);
    headers.put("authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sagemaker/"
        + "aws4_request, SignedHeaders=host;x-amz-date, Signature=" + sig);
    Instant now = Instant.parse("2015-08-30T12:40:00Z");
    v.verify("POST", "/", null, headers, signedBody, now);
    // Another body, with an unsigned header claiming the signed body's hash: refused.
    headers.put("x-amz-content-sha256", java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(signedBody)));
    byte[] other = "{\"ModelName\": \"other\"}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> v.verify("POST", "/", null, headers, other, now))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(403);
          assertThat(e.getMessage()).contains("x-amz-content-sha256 does not match");
        });
    v.verify("POST", "/", null, headers, signedBody, now);
    assertThatThrownBy(() -> v.verify("POST", "/", "a=%zz", headers, signedBody, now))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
  }

  @Test
  void sdkCallsWithTheRightKeyPassOthersGet403() throws Exception {
    try (SageboxApi api = SageboxApi.start(ApiSettings.from(Map.of(ApiSettings.HOME, "..", ApiSettings.CREDENTIALS,
        "AKLOCAL:s3cret,AKOTHER:other"), new String[0]).with(0, state, 0))) {
      URI endpoint = URI.create("http://127.0.0.1:" + api.port());
      try (SageMakerClient good = sm(endpoint, "AKOTHER", "other");
          SageMakerClient wrongSecret = sm(endpoint, "AKLOCAL", "nope");
          SageMakerClient unknownKey = sm(endpoint, "AKWHO", "s3cret");
          SageMakerRuntimeClient rt = SageMakerRuntimeClient.builder().endpointOverride(endpoint)
              .region(Region.US_EAST_1).httpClient(ApacheHttpClient.create())
              .credentialsProvider(creds("AKLOCAL", "nope")).build();
          S3Client s3 = s3(api.s3Endpoint(), "AKLOCAL", "s3cret");
          S3Client s3Bad = s3(api.s3Endpoint(), "AKLOCAL", "nope")) {
        assertThat(good.listTrainingJobs(b -> b.maxResults(5)).trainingJobSummaries()).isEmpty();
        assertThatThrownBy(() -> wrongSecret.listModels(b -> b.maxResults(5)))
            .isInstanceOfSatisfying(SageMakerException.class, e -> {
              assertThat(e.statusCode()).isEqualTo(403);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
            });
        assertThatThrownBy(() -> unknownKey.listModels(b -> b.maxResults(5)))
            .isInstanceOfSatisfying(SageMakerException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                .isEqualTo("UnrecognizedClientException"));
        assertThatThrownBy(() -> rt.invokeEndpoint(b -> b.endpointName("e").contentType("text/csv")
            .body(SdkBytes.fromString("1", StandardCharsets.UTF_8))))
            .isInstanceOfSatisfying(SdkServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        s3.createBucket(b -> b.bucket("signed"));
        assertThatThrownBy(() -> s3Bad.listObjectsV2(b -> b.bucket("signed")))
            .isInstanceOfSatisfying(SdkServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(403));
      }
    }
  }

  private static StaticCredentialsProvider creds(String key, String secret) {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret));
  }

  private static SageMakerClient sm(URI endpoint, String key, String secret) {
    return SageMakerClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
        .httpClient(ApacheHttpClient.create()).credentialsProvider(creds(key, secret)).build();
  }

  private static S3Client s3(URI endpoint, String key, String secret) {
    return S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(Region.US_EAST_1)
        .httpClient(ApacheHttpClient.create()).credentialsProvider(creds(key, secret)).build();
  }
}
