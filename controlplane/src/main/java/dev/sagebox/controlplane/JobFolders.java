package dev.sagebox.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A training job's {@code /opt/ml}-shaped folders: the config files the container reads, the channels downloaded
 * once into a staging folder and handed to each host (all files, or ShardedByS3Key's share), and the checkpoint
 * location.
 */
final class JobFolders {
  private JobFolders() {}

  /** The three config files the container reads, from the request. */
  static void writeConfig(ObjectNode doc, Path ml, int host, int hosts) throws IOException {
    Path config = ml.resolve("input/config");
    ObjectNode hp = doc.has("HyperParameters") ? (ObjectNode) doc.get("HyperParameters") : Json.object();
    Json.MAPPER.writeValue(config.resolve("hyperparameters.json").toFile(), hp);
    ObjectNode idc = Json.object();
    String defaultMode = doc.path("AlgorithmSpecification").path("TrainingInputMode").asText("File");
    for (JsonNode ch : doc.path("InputDataConfig")) {
      ObjectNode c = idc.putObject(ch.path("ChannelName").asText());
      if (ch.has("ContentType")) {
        c.put("ContentType", ch.get("ContentType").asText());
      }
      c.put("TrainingInputMode", ch.path("InputMode").asText(defaultMode));
      c.put("S3DistributionType", ch.path("DataSource").path("S3DataSource").path("S3DataDistributionType")
          .asText("FullyReplicated"));
      c.put("RecordWrapperType", ch.path("RecordWrapperType").asText("None"));
    }
    Json.MAPPER.writeValue(config.resolve("inputdataconfig.json").toFile(), idc);
    ObjectNode rc = Json.object();
    rc.put("current_host", "algo-" + host);
    ArrayNode all = rc.putArray("hosts");
    for (int h = 1; h <= hosts; h++) {
      all.add("algo-" + h);
    }
    rc.put("network_interface_name", "lo");
    rc.put("current_instance_type", doc.path("ResourceConfig").path("InstanceType").asText("local"));
    rc.put("current_group_name", "homogeneousCluster");
    Json.MAPPER.writeValue(config.resolve("resourceconfig.json").toFile(), rc);
    if (doc.has("CheckpointConfig")) {
      ObjectNode cc = Json.object();
      cc.put("LocalPath", ml.resolve("checkpoints").toString());
      Json.MAPPER.writeValue(config.resolve("checkpointconfig.json").toFile(), cc);
    }
  }

  /** CheckpointConfig.S3Uri as a folder (a trailing '/'), or null. */
  static ObjectUri checkpointUri(ObjectNode doc) {
    String uri = doc.path("CheckpointConfig").path("S3Uri").asText("");
    if (uri.isEmpty()) {
      return null;
    }
    return ObjectUri.parse(uri.endsWith("/") ? uri : uri + "/", "CheckpointConfig.S3Uri");
  }

  /** Downloads every channel into {@code root/<channel>}; the number of objects. */
  static int stage(ObjectStore objects, ObjectNode doc, Path root) throws IOException {
    int n = 0;
    for (JsonNode ch : doc.path("InputDataConfig")) {
      String channel = ch.path("ChannelName").asText();
      JsonNode s3 = ch.path("DataSource").path("S3DataSource");
      ObjectUri uri = ObjectUri.parse(s3.path("S3Uri").asText(), "S3Uri");
      Path dir = root.resolve(channel);
      int got = s3.path("S3DataType").asText("S3Prefix").equals("ManifestFile")
          ? objects.downloadManifest(uri, dir) : objects.downloadPrefix(uri, dir);
      if (got == 0) {
        throw new IOException("channel '" + channel + "': no objects under " + uri);
      }
      n += got;
    }
    return n;
  }

  /**
   * Gives each host its channels' files (hard links into {@code input/data/<channel>}): all of them, or with
   * ShardedByS3Key the objects in key order dealt out one by one across the hosts, as SageMaker shards them.
   */
  static void distribute(ObjectNode doc, Path staged, List<Path> mls) throws IOException {
    int hosts = mls.size();
    for (JsonNode ch : doc.path("InputDataConfig")) {
      String channel = ch.path("ChannelName").asText();
      boolean sharded = ch.path("DataSource").path("S3DataSource").path("S3DataDistributionType").asText("")
          .equals("ShardedByS3Key");
      Path from = staged.resolve(channel);
      List<Path> files;
      try (java.util.stream.Stream<Path> walk = Files.walk(from)) {
        files = walk.filter(Files::isRegularFile).sorted().toList();
      }
      if (sharded && files.size() < hosts) {
        throw new IOException("channel '" + channel + "' is ShardedByS3Key over " + hosts + " instances but has only "
            + files.size() + " object(s): give it at least one object per instance, or use FullyReplicated");
      }
      for (int i = 0; i < files.size(); i++) {
        for (int h = 0; h < hosts; h++) {
          if (!sharded || i % hosts == h) {
            Path to = mls.get(h).resolve("input/data").resolve(channel).resolve(from.relativize(files.get(i))
                .toString());
            Files.createDirectories(to.getParent());
            try {
              Files.createLink(to, files.get(i));
            } catch (IOException | UnsupportedOperationException e) {
              Files.copy(files.get(i), to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
          }
        }
      }
    }
  }
}
