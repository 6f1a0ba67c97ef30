package dev.sagebox.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CloudWatch Logs subset over the training jobs' logs, as the SageMaker SDK reads them ({@code logs=True}):
 * group {@code /aws/sagemaker/TrainingJobs}, one stream per job, {@code <job>/algo-1-<creation epoch seconds>};
 * DescribeLogStreams, GetLogEvents and FilterLogEvents (a plain-text filter pattern). An event is one line of the
 * job's {@code training.log}; its timestamp is the line's own (the container's log prefix), or the one before it.
 */
public final class TrainingLogs {
  public static final String GROUP = "/aws/sagemaker/TrainingJobs";
  private static final Pattern STAMP = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+[+-]\\d{4})");
  private static final DateTimeFormatter STAMP_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx");

  /** One log line with its time in epoch milliseconds. */
  record Event(long timestamp, String message) {}

  private final ResourceStore jobs;
  private final Path workDir;

  public TrainingLogs(ResourceStore jobs, Path workDir) {
    this.jobs = jobs;
    this.workDir = workDir;
  }

  public ObjectNode describeLogStreams(JsonNode req) {
    group(req);
    String prefix = req.path("logStreamNamePrefix").asText("");
    ObjectNode out = Json.object();
    ArrayNode streams = out.putArray("logStreams");
    jobs.all().stream().sorted(java.util.Comparator.comparing(d -> d.path("TrainingJobName").asText()))
        .forEach(d -> {
          String stream = streamName(d);
          Path log = workDir.resolve(d.path("TrainingJobName").asText()).resolve("training.log");
          if (stream.startsWith(prefix) && Files.exists(log)) {
            List<Event> events = events(log, created(d));
            ObjectNode s = streams.addObject();
            s.put("logStreamName", stream);
            s.put("creationTime", created(d));
            if (!events.isEmpty()) {
              s.put("firstEventTimestamp", events.get(0).timestamp());
              s.put("lastEventTimestamp", events.get(events.size() - 1).timestamp());
              s.put("lastIngestionTime", events.get(events.size() - 1).timestamp());
            }
            s.put("storedBytes", 0);
          }
        });
    return out;
  }

  public ObjectNode getLogEvents(JsonNode req) {
    group(req);
    String stream = Json.requiredText(req, "logStreamName", "");
    ObjectNode job = jobForStream(stream);
    List<Event> events = events(workDir.resolve(job.path("TrainingJobName").asText()).resolve("training.log"),
        created(job));
    int limit = Json.intIn(req, "limit", 10000, 1, 10000);
    long start = req.path("startTime").asLong(Long.MIN_VALUE);
    long end = req.path("endTime").asLong(Long.MAX_VALUE);
    String token = req.path("nextToken").asText("");
    boolean fromHead = req.path("startFromHead").asBoolean(false) || token.startsWith("f/");
    List<Event> window = events.stream().filter(e -> e.timestamp() >= start && e.timestamp() < end).toList();
    int from;
    if (token.isEmpty()) {
      from = fromHead ? 0 : Math.max(0, window.size() - limit);
    } else {
      from = position(token, window.size());
    }
    int to = Math.min(window.size(), from + limit);
    if (token.startsWith("b/")) {
      to = from;
      from = Math.max(0, to - limit);
    }
    ObjectNode out = Json.object();
    ArrayNode list = out.putArray("events");
    for (Event e : window.subList(from, to)) {
      ObjectNode o = list.addObject();
      o.put("timestamp", e.timestamp());
      o.put("message", e.message());
      o.put("ingestionTime", e.timestamp());
    }
    out.put("nextForwardToken", "f/" + to);
    out.put("nextBackwardToken", "b/" + from);
    return out;
  }

  public ObjectNode filterLogEvents(JsonNode req) {
    group(req);
    String prefix = req.path("logStreamNamePrefix").asText("");
    List<String> names = new ArrayList<>();
    req.path("logStreamNames").forEach(n -> names.add(n.asText()));
    String pattern = req.path("filterPattern").asText("").replace("\"", "").strip();
    long start = req.path("startTime").asLong(Long.MIN_VALUE);
    long end = req.path("endTime").asLong(Long.MAX_VALUE);
    int limit = Json.intIn(req, "limit", 10000, 1, 10000);
    int skip = req.has("nextToken") ? position(req.get("nextToken").asText(), Integer.MAX_VALUE) : 0;
    List<ObjectNode> matched = new ArrayList<>();
    jobs.all().stream().sorted(java.util.Comparator.comparing(d -> d.path("TrainingJobName").asText()))
        .forEach(d -> {
          String stream = streamName(d);
          if (!stream.startsWith(prefix) || (!names.isEmpty() && !names.contains(stream))) {
            return;
          }
          Path log = workDir.resolve(d.path("TrainingJobName").asText()).resolve("training.log");
          int i = 0;
          for (Event e : events(log, created(d))) {
            i++;
            if (e.timestamp() >= start && e.timestamp() < end && e.message().contains(pattern)) {
              ObjectNode o = Json.object();
              o.put("logStreamName", stream);
              o.put("timestamp", e.timestamp());
              o.put("message", e.message());
              o.put("ingestionTime", e.timestamp());
              o.put("eventId", stream + "/" + i);
              matched.add(o);
            }
          }
        });
    ObjectNode out = Json.object();
    ArrayNode list = out.putArray("events");
    matched.stream().skip(skip).limit(limit).forEach(list::add);
    if (skip + limit < matched.size()) {
      out.put("nextToken", "f/" + (skip + limit));
    }
    out.putArray("searchedLogStreams");
    return out;
  }

  private static void group(JsonNode req) {
    String group = req.path("logGroupName").asText("");
    if (!group.equals(GROUP)) {
      throw new ApiException("ResourceNotFoundException", 400, "The specified log group does not exist: '" + group
          + "'; this API keeps only " + GROUP);
    }
  }

  private ObjectNode jobForStream(String stream) {
    int slash = stream.indexOf('/');
    String job = slash < 0 ? stream : stream.substring(0, slash);
    ObjectNode doc;
    try {
      doc = jobs.get(new ResourceName(job)).orElse(null);
    } catch (ApiException e) {
      doc = null;
    }
    if (doc == null || !streamName(doc).equals(stream)) {
      throw new ApiException("ResourceNotFoundException", 400, "The specified log stream does not exist: '" + stream
          + "'");
    }
    return doc;
  }

  static String streamName(ObjectNode job) {
    return job.path("TrainingJobName").asText() + "/algo-1-" + (created(job) / 1000);
  }

  private static long created(ObjectNode job) {
    return Math.round(job.path("CreationTime").asDouble() * 1000);
  }

  private static int position(String token, int size) {
    try {
      int p = Integer.parseInt(token.substring(2));
      if ((token.startsWith("f/") || token.startsWith("b/")) && p >= 0) {
        return Math.min(p, size);
      }
    } catch (RuntimeException e) {
      // falls through
    }
    throw new ApiException("InvalidParameterException", 400, "The specified nextToken is invalid: '" + token + "'");
  }

  static List<Event> events(Path log, long fallback) {
    if (!Files.exists(log)) {
      return List.of();
    }
    List<String> lines;
    try {
      lines = List.of(new String(Files.readAllBytes(log), StandardCharsets.UTF_8).split("\n"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Event> out = new ArrayList<>();
    long t = fallback;
    for (String line : lines) {
      if (line.isEmpty()) {
        continue;
      }
      Matcher m = STAMP.matcher(line);
      if (m.find()) {
        try {
          t = OffsetDateTime.parse(m.group(1), STAMP_FORMAT).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
          // keeps the previous time
        }
      }
      out.add(new Event(t, line));
    }
    return out;
  }
}
