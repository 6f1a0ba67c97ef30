package dev.sagebox.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * A List operation's common part: NameContains, StatusEquals, CreationTimeAfter/Before, SortBy (Name,
 * CreationTime, Status), SortOrder, MaxResults (1..100, default 10) and NextToken (the offset of the next page).
 */
public final class Listing {
  private static final List<String> JOB_STATUSES = List.of("InProgress", "Completed", "Failed", "Stopping",
      "Stopped");
  /** StatusEquals values SageMaker accepts, by the document's status member. */
  private static final java.util.Map<String, List<String>> STATUSES = java.util.Map.of(
      "TrainingJobStatus", JOB_STATUSES, "TransformJobStatus", JOB_STATUSES,
      "EndpointStatus", List.of("OutOfService", "Creating", "Updating", "SystemUpdating", "RollingBack", "InService",
          "Deleting", "Failed", "UpdateRollbackFailed"));

  private Listing() {}

  /**
   * @param docs the Describe documents
   * @param nameMember the document's name member (e.g. TrainingJobName)
   * @param statusMember its status member, or null
   * @param summary turns a document into the list's summary shape
   * @param listMember the response's list member (e.g. TrainingJobSummaries)
   */
  public static ObjectNode page(JsonNode request, List<ObjectNode> docs, String nameMember, String statusMember,
      Function<ObjectNode, ObjectNode> summary, String listMember) {
    int max = Json.intIn(request, "MaxResults", 10, 1, 100);
    String contains = request.path("NameContains").asText("").toLowerCase(java.util.Locale.ROOT);
    String status = request.path("StatusEquals").asText("");
    List<String> statuses = statusMember == null ? null : STATUSES.get(statusMember);
    if (!status.isEmpty() && (statuses == null || !statuses.contains(status))) {
      throw ApiException.validation("StatusEquals '" + status + "' is invalid"
          + (statuses == null ? ": this list has no status" : "; accepted: " + String.join(", ", statuses)));
    }
    double after = request.path("CreationTimeAfter").asDouble(Double.NEGATIVE_INFINITY);
    double before = request.path("CreationTimeBefore").asDouble(Double.POSITIVE_INFINITY);
    String sortBy = request.path("SortBy").asText("CreationTime");
    Comparator<ObjectNode> order = switch (sortBy) {
      case "Name" -> Comparator.comparing(d -> d.path(nameMember).asText());
      case "Status" -> {
        if (statusMember == null) {
          throw ApiException.validation("SortBy 'Status' is invalid here; accepted: Name, CreationTime");
        }
        yield Comparator.comparing(d -> d.path(statusMember).asText());
      }
      case "CreationTime" -> Comparator.comparingDouble(d -> d.path("CreationTime").asDouble());
      default -> throw ApiException.validation("SortBy '" + sortBy + "' is invalid; accepted: Name, CreationTime"
          + (statusMember == null ? "" : ", Status"));
    };
    String sortOrder = request.path("SortOrder").asText("Descending");
    if (sortOrder.equals("Descending")) {
      order = order.reversed();
    } else if (!sortOrder.equals("Ascending")) {
      throw ApiException.validation("SortOrder '" + sortOrder + "' is invalid; accepted: Ascending, Descending");
    }
    List<ObjectNode> selected = docs.stream()
        .filter(d -> d.path(nameMember).asText().toLowerCase(java.util.Locale.ROOT).contains(contains))
        .filter(d -> status.isEmpty() || statusMember == null || d.path(statusMember).asText().equals(status))
        .filter(d -> d.path("CreationTime").asDouble() > after && d.path("CreationTime").asDouble() < before)
        .sorted(order).toList();
    int from = offset(request.path("NextToken").asText(""));
    ObjectNode out = Json.object();
    ArrayNode items = out.putArray(listMember);
    selected.stream().skip(from).limit(max).forEach(d -> items.add(summary.apply(d)));
    if ((long) from + max < selected.size()) {
      out.put("NextToken", Integer.toString(from + max));
    }
    return out;
  }

  private static int offset(String token) {
    if (token.isEmpty()) {
      return 0;
    }
    try {
      int v = Integer.parseInt(token);
      if (v >= 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // falls through
    }
    throw ApiException.validation("NextToken '" + token + "' is invalid: pass the NextToken of the previous answer");
  }

  /** The members of {@code doc} named in {@code members} (those present), as a summary. */
  public static ObjectNode pick(ObjectNode doc, String... members) {
    ObjectNode s = Json.object();
    for (String m : members) {
      if (doc.has(m)) {
        s.set(m, doc.get(m));
      }
    }
    return s;
  }
}
