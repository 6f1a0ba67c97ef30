package dev.sagebox.engine.collective;

import dev.sagebox.engine.error.UserError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Checks every host runs before training together, so that a host whose data or state differs is named in every
 * host's failure instead of skewing the model or leaving the others waiting. Each check is one collective operation:
 * every host must call the same checks in the same order, whatever its own outcome.
 */
public final class HostChecks {
  private HostChecks() {}

  /**
   * Called by every host after it tried to load its data: {@code failure} is what went wrong here, or null. When any
   * host failed, every host throws: the failed one its own error, the others an error naming it.
   */
  public static void loaded(Collective c, RuntimeException failure) {
    if (!c.distributed()) {
      if (failure != null) {
        throw failure;
      }
      return;
    }
    long[] failed = c.gather(failure == null ? 0 : 1);
    if (failure != null) {
      throw failure;
    }
    List<String> names = hostsWhere(c, failed, 1);
    if (!names.isEmpty()) {
      throw new UserError("host " + String.join(", ", names) + " could not load its data (its output/failure says "
          + "why); host " + c.host() + " stops with it");
    }
  }

  /** Every host has the same {@code what} (a feature count, a round to start from), or a user error naming them. */
  public static void same(Collective c, String what, long value, String hint) {
    if (!c.distributed()) {
      return;
    }
    long[] all = c.gather(value);
    for (long v : all) {
      if (v != all[0]) {
        throw new UserError("the hosts disagree on " + what + ": " + perHost(c, all) + "; " + hint);
      }
    }
  }

  /** Every host has rows in {@code channel}; logs the rows per host. */
  public static void rows(Collective c, String channel, long rows, Consumer<String> info) {
    if (!c.distributed()) {
      return;
    }
    long[] all = c.gather(rows);
    info.accept("channel '" + channel + "' rows per host: " + perHost(c, all));
    List<String> empty = hostsWhere(c, all, 0);
    if (!empty.isEmpty()) {
      throw new UserError("host " + String.join(", ", empty) + " has no rows in channel '" + channel + "' ("
          + perHost(c, all) + "); give every host a part of the data (ShardedByS3Key with at least as many files as "
          + "hosts), or train on fewer hosts");
    }
  }

  /** Every host has the channel, or none has. */
  public static void sameChannels(Collective c, String channel, boolean present) {
    if (!c.distributed()) {
      return;
    }
    long[] all = c.gather(present ? 1 : 0);
    List<String> with = hostsWhere(c, all, 1);
    if (!with.isEmpty() && with.size() != c.size()) {
      throw new UserError("channel '" + channel + "' exists on host " + String.join(", ", with) + " but not on "
          + String.join(", ", hostsWhere(c, all, 0)) + "; every host needs it, or none");
    }
  }

  /** The smallest and largest label on each host, for the log (label rules are checked on each host). */
  public static String labelRanges(Collective c, float min, float max) {
    float[] lo = c.gather(min);
    float[] hi = c.gather(max);
    StringBuilder s = new StringBuilder();
    for (int h = 0; h < c.size(); h++) {
      s.append(h == 0 ? "" : ", ").append(c.hosts().get(h)).append(String.format(Locale.ROOT, " [%s, %s]",
          lo[h], hi[h]));
    }
    return s.toString();
  }

  static String perHost(Collective c, long[] values) {
    StringBuilder s = new StringBuilder();
    for (int h = 0; h < values.length; h++) {
      s.append(h == 0 ? "" : ", ").append(c.hosts().get(h)).append(' ').append(values[h]);
    }
    return s.toString();
  }

  private static List<String> hostsWhere(Collective c, long[] values, long wanted) {
    List<String> out = new ArrayList<>();
    for (int h = 0; h < values.length; h++) {
      if (values[h] == wanted) {
        out.add(c.hosts().get(h));
      }
    }
    return out;
  }
}
