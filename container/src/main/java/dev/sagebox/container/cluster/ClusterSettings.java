package dev.sagebox.container.cluster;

import dev.sagebox.container.SageMakerEnv;
import dev.sagebox.engine.error.UserError;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the hosts of a job find each other, from the environment.
 *
 * @param addresses host name to address ({@code SAGEBOX_HOSTS=algo-1=127.0.0.1,algo-2=127.0.0.1}); names not in it
 *     are resolved by DNS, as on a docker network or on SageMaker
 * @param trackerPort the leader's tracker port ({@code SAGEBOX_TRACKER_PORT}, default 9099 as AWS's XGBoost)
 * @param joinSeconds how long every host waits for the others to join ({@code SAGEBOX_CLUSTER_TIMEOUT}, default 60)
 * @param collectiveSeconds XGBoost's socket timeout between hosts once joined ({@code SAGEBOX_COLLECTIVE_TIMEOUT},
 *     default 1800): a host that exits is noticed at once, one whose machine vanished after this long
 */
public record ClusterSettings(Map<String, String> addresses, int trackerPort, int joinSeconds,
    int collectiveSeconds) {

  public static final int DEFAULT_TRACKER_PORT = 9099;

  public ClusterSettings {
    addresses = Map.copyOf(addresses);
  }

  public static ClusterSettings fromEnv(Map<String, String> env) {
    return new ClusterSettings(addresses(env.getOrDefault(SageMakerEnv.HOSTS, "")),
        integer(env, SageMakerEnv.TRACKER_PORT, DEFAULT_TRACKER_PORT, 1, 65535),
        integer(env, SageMakerEnv.CLUSTER_TIMEOUT, 60, 1, 86_400),
        integer(env, SageMakerEnv.COLLECTIVE_TIMEOUT, 1800, 10, 86_400 * 7));
  }

  static Map<String, String> addresses(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String part : raw.split(",")) {
      String p = part.strip();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      if (eq <= 0 || eq == p.length() - 1) {
        throw new UserError(SageMakerEnv.HOSTS + ": '" + p + "' is not name=address; expected for example "
            + "algo-1=127.0.0.1,algo-2=127.0.0.1");
      }
      out.put(p.substring(0, eq).strip(), p.substring(eq + 1).strip());
    }
    return out;
  }

  private static int integer(Map<String, String> env, String name, int dflt, int min, int max) {
    return dev.sagebox.container.ContainerSettings.intVar(env, name, dflt, min, max);
  }
}
