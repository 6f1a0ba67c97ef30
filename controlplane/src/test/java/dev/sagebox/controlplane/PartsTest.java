package dev.sagebox.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API's parts that need no process: names, images, metrics, listing, state, failure reasons. */
class PartsTest {
  @TempDir
  Path tmp;

  @Test
  void namesFollowSageMakersPatternSoNoneLeavesItsFolder() {
    assertThat(new ResourceName("xgb-2024-01-01").value()).isEqualTo("xgb-2024-01-01");
    for (String bad : List.of("../etc", "a/b", "-lead", "trail-", "", "a_b", "a.b")) {
      assertThatThrownBy(() -> new ResourceName(bad)).isInstanceOf(ApiException.class)
          .hasMessageContaining("pattern").extracting(e -> ((ApiException) e).type()).isEqualTo("ValidationException");
    }
    // The length is checked on its own: inner hyphens repeat without bound in the pattern.
    for (String bad : List.of("a".repeat(64), "a" + "-".repeat(70) + "b")) {
      assertThatThrownBy(() -> new ResourceName(bad)).isInstanceOf(ApiException.class)
          .hasMessageContaining("length less than or equal to 63");
    }
  }

  @Test
  void ecrImagesMapToTheBuiltIns() {
    assertThat(ImageCatalog.algorithm("683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"))
        .contains("xgboost");
    assertThat(ImageCatalog.algorithm("811284229777.dkr.ecr.us-east-1.amazonaws.com/xgboost:latest"))
        .contains("xgboost");
    assertThat(ImageCatalog.algorithm("382416733822.dkr.ecr.us-east-1.amazonaws.com/linear-learner:1"))
        .contains("linear-learner");
    assertThat(ImageCatalog.algorithm("sagebox-lenet")).contains("lenet");
    assertThat(ImageCatalog.algorithm("sagebox:latest")).contains("");
    assertThat(ImageCatalog.algorithm("123.dkr.ecr.us-east-1.amazonaws.com/my-own:1")).isEmpty();
    assertThatThrownBy(() -> ImageCatalog.require("my-own:1", "AlgorithmSpecification.TrainingImage"))
        .hasMessageContaining("not a built-in").hasMessageContaining("linear-learner");
  }

  @Test
  void finalMetricsAreTheLastValueOfEachLine() throws Exception {
    Path log = tmp.resolve("log");
    Files.writeString(log, String.join("\n",
        "[0]\ttrain-auc:0.5\tvalidation-auc:0.4",
        "[1]#011train-auc:0.9#011validation-auc:0.8#011validation-error:1e-2",
        "#quality_metric: host=algo-1, epoch=3, validation binary_classification_accuracy <score>=0.97",
        "#quality_metric: host=algo-1, epoch=3, train objective_loss <loss>=0.25",
        "2026 INFO train - something else: 3"));
    assertThat(MetricScanner.finalValues(log, List.of())).containsExactlyInAnyOrderEntriesOf(Map.of(
        "train:auc", 0.9, "validation:auc", 0.8, "validation:error", 0.01,
        "validation:binary_classification_accuracy", 0.97, "train:objective_loss", 0.25));
    assertThat(MetricScanner.finalValues(log, List.of(new MetricScanner.Definition("my:auc",
        Pattern.compile("validation-auc:([0-9.]+)"))))).containsExactly(Map.entry("my:auc", 0.8));
  }

  @Test
  void listingPagesSortsAndFilters() {
    List<ObjectNode> docs = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      ObjectNode d = Json.object();
      d.put("TrainingJobName", "job-" + i);
      d.put("CreationTime", 1000.0 + i);
      d.put("TrainingJobStatus", i % 2 == 0 ? "Completed" : "Failed");
      docs.add(d);
    }
    ObjectNode req = Json.object();
    req.put("MaxResults", 10);
    ObjectNode first = Listing.page(req, docs, "TrainingJobName", "TrainingJobStatus", d -> d, "S");
    assertThat(first.get("S")).hasSize(10);
    assertThat(first.get("S").get(0).get("TrainingJobName").asText()).isEqualTo("job-24");
    req.put("NextToken", first.get("NextToken").asText());
    ObjectNode second = Listing.page(req, docs, "TrainingJobName", "TrainingJobStatus", d -> d, "S");
    assertThat(second.get("S").get(0).get("TrainingJobName").asText()).isEqualTo("job-14");
    req.put("NextToken", second.get("NextToken").asText());
    ObjectNode last = Listing.page(req, docs, "TrainingJobName", "TrainingJobStatus", d -> d, "S");
    assertThat(last.get("S")).hasSize(5);
    assertThat(last.has("NextToken")).isFalse();
    ObjectNode failed = Json.object();
    failed.put("StatusEquals", "Failed");
    failed.put("NameContains", "JOB-1");
    failed.put("SortOrder", "Ascending");
    assertThat(Listing.page(failed, docs, "TrainingJobName", "TrainingJobStatus", d -> d, "S").get("S"))
        .extracting(n -> n.get("TrainingJobName").asText()).containsExactly("job-1", "job-11", "job-13", "job-15",
            "job-17", "job-19");
    ObjectNode badToken = Json.object();
    badToken.put("NextToken", "x");
    assertThatThrownBy(() -> Listing.page(badToken, docs, "TrainingJobName", null, d -> d, "S"))
        .hasMessageContaining("NextToken");
  }

  @Test
  void stateSurvivesReopeningTheDatabase() throws Exception {
    StateDatabase db = StateDatabase.open(tmp);
    ResourceStore a = new ResourceStore(db, "models");
    ObjectNode doc = Json.object();
    doc.put("ModelName", "m1");
    assertThat(a.create(new ResourceName("m1"), doc)).isTrue();
    assertThat(a.create(new ResourceName("m1"), doc)).isFalse();
    assertThat(new ResourceStore(db, "endpoints").all()).isEmpty();
    db.close();
    db = StateDatabase.open(tmp);
    assertThat(db.migrate()).isEqualTo(StateDatabase.MIGRATIONS.size());
    ResourceStore b = new ResourceStore(db, "models");
    assertThat(b.get(new ResourceName("m1"))).get().extracting(d -> d.get("ModelName").asText()).isEqualTo("m1");
    assertThat(b.delete(new ResourceName("m1"))).isTrue();
    assertThat(new ResourceStore(db, "models").all()).isEmpty();
    db.close();
  }

  @Test
  void failureReasonTakesTheKindFromTheFailureFile() throws Exception {
    Path ml = tmp.resolve("ml");
    Files.createDirectories(ml.resolve("output"));
    Files.writeString(ml.resolve("output/failure"), "hyperparameter 'eta': bad\nClientError\n");
    assertThat(TrainingJobs.failureReason(ml, 1, tmp.resolve("log")))
        .isEqualTo("ClientError: hyperparameter 'eta': bad");
    Files.delete(ml.resolve("output/failure"));
    assertThat(TrainingJobs.failureReason(ml, 137, tmp.resolve("log"))).startsWith("AlgorithmError:")
        .contains("status 137");
  }

  @Test
  void objectKeysCannotLeaveTheChannelFolder() {
    assertThatThrownBy(() -> ObjectStore.inside(tmp, "../../etc/passwd")).hasMessageContaining("outside");
    assertThatThrownBy(() -> ObjectStore.inside(tmp, "/etc/passwd")).hasMessageContaining("outside");
  }

  @Test
  void transformInputIsCutIntoRequestsAsSageMakerCutsIt() throws Exception {
    byte[] csv = "1,2\n3,4\r\n\n5,6".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(RecordSplitter.requests(csv, "Line", false, 100)).extracting(String::new)
        .containsExactly("1,2\n", "3,4\r\n", "5,6\n");
    assertThat(RecordSplitter.requests(csv, "Line", true, 10)).extracting(String::new)
        .containsExactly("1,2\n3,4\r\n", "5,6\n");
    assertThat(RecordSplitter.requests(csv, "None", true, 100)).extracting(String::new)
        .containsExactly(new String(csv, java.nio.charset.StandardCharsets.UTF_8));
    assertThatThrownBy(() -> RecordSplitter.requests(csv, "Line", false, 3)).hasMessageContaining("MaxPayloadInMB");
    java.nio.ByteBuffer rio = java.nio.ByteBuffer.allocate(8 + 4 + 8 + 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    rio.putInt(0xced7230a).putInt(3).put(new byte[] {1, 2, 3, 0}).putInt(0xced7230a).putInt(8).putLong(7L);
    List<byte[]> records = RecordSplitter.requests(rio.array(), "RecordIO", false, 100);
    assertThat(records).extracting(r -> r.length).containsExactly(12, 16);
    assertThat(RecordSplitter.requests(rio.array(), "RecordIO", true, 100)).hasSize(1);
    assertThatThrownBy(() -> RecordSplitter.requests(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, "RecordIO", true, 100))
        .hasMessageContaining("magic");
  }

  @Test
  void trainingLogsPageForwardAndFilter() throws Exception {
    try (StateDatabase db = StateDatabase.open(tmp)) {
      ResourceStore jobs = new ResourceStore(db, "training-jobs");
      ObjectNode job = Json.object();
      job.put("TrainingJobName", "j1");
      job.put("CreationTime", 1_700_000_000.5);
      jobs.create(new ResourceName("j1"), job);
      Path log = tmp.resolve("jobs/j1/training.log");
      Files.createDirectories(log.getParent());
      Files.writeString(log, "WARNING: first\n2026-12-02T00:16:09.094+0000 INFO train - start\n[0]\ttrain-auc:0.9\n"
          + "2026-12-02T00:16:24.880+0000 INFO train - training finished\n");
      TrainingLogs logs = new TrainingLogs(jobs, tmp.resolve("jobs"));
      ObjectNode req = Json.object();
      req.put("logGroupName", TrainingLogs.GROUP);
      String stream = logs.describeLogStreams(req).get("logStreams").get(0).get("logStreamName").asText();
      assertThat(stream).isEqualTo("j1/algo-1-1700000000");
      req.put("logStreamName", stream);
      req.put("startFromHead", true);
      req.put("limit", 3);
      ObjectNode page = logs.getLogEvents(req);
      assertThat(page.get("events")).extracting(e -> e.get("message").asText())
          .containsExactly("WARNING: first", "2026-12-02T00:16:09.094+0000 INFO train - start", "[0]\ttrain-auc:0.9");
      assertThat(page.get("events").get(0).get("timestamp").asLong()).isEqualTo(1_700_000_000_500L);
      assertThat(page.get("events").get(2).get("timestamp").asLong())
          .isEqualTo(java.time.Instant.parse("2026-12-02T00:16:09.094Z").toEpochMilli());
      req.put("nextToken", page.get("nextForwardToken").asText());
      assertThat(logs.getLogEvents(req).get("events")).extracting(e -> e.get("message").asText())
          .containsExactly("2026-12-02T00:16:24.880+0000 INFO train - training finished");
      ObjectNode filter = Json.object();
      filter.put("logGroupName", TrainingLogs.GROUP);
      filter.put("filterPattern", "train-auc");
      assertThat(logs.filterLogEvents(filter).get("events")).hasSize(1);
      ObjectNode other = Json.object();
      other.put("logGroupName", "/aws/lambda/x");
      assertThatThrownBy(() -> logs.describeLogStreams(other)).extracting(e -> ((ApiException) e).type())
          .isEqualTo("ResourceNotFoundException");
    }
  }

  @Test
  void uriParsing() {
    assertThat(ObjectUri.parse("s3://bucket-1/a/b", "x")).isEqualTo(new ObjectUri.S3("bucket-1", "a/b"));
    assertThat(ObjectUri.parse("s3://bucket-1/a", "x").child("j/output/model.tar.gz"))
        .isEqualTo(new ObjectUri.S3("bucket-1", "a/j/output/model.tar.gz"));
    assertThatThrownBy(() -> ObjectUri.parse("http://x/y", "S3Uri")).hasMessageContaining("accepted: s3://");
  }

  @Test
  void processesLeftByAKilledApiAreStoppedAndOthersLeftAlone() throws Exception {
    java.nio.file.Path ours = java.nio.file.Files.createDirectories(tmp.resolve("jobs/j1/algo-1"));
    java.nio.file.Path theirs = java.nio.file.Files.createDirectories(tmp.resolve("jobs/j2"));
    // Shaped as bin/sagebox's java command line: it names the container jar and ends with the command.
    Process left = new ProcessBuilder("bash", "-c", "sleep 300; :", "sagebox-container.jar", "serve").start();
    Process other = new ProcessBuilder("sleep", "300").start();
    try {
      java.nio.file.Files.writeString(ChildProcess.pidFile(ours.resolve("serve.log")), Long.toString(left.pid()));
      java.nio.file.Files.writeString(ChildProcess.pidFile(theirs.resolve("training.log")),
          Long.toString(other.pid()));
      assertThat(ChildProcess.reapOrphans(tmp.resolve("jobs"))).isEqualTo(1);
      assertThat(left.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(other.isAlive()).as("a pid now used by another program").isTrue();
      assertThat(ChildProcess.pidFile(ours.resolve("serve.log"))).doesNotExist();
      assertThat(ChildProcess.reapOrphans(tmp.resolve("nothing-here"))).isZero();
    } finally {
      left.destroyForcibly();
      other.destroyForcibly();
    }
  }
}
