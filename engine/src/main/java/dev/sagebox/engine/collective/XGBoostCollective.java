package dev.sagebox.engine.collective;

import dev.sagebox.engine.error.PlatformError;
import dev.sagebox.engine.xgboost.capi.CApiAccess;
import dev.sagebox.engine.xgboost.capi.XGBoostCApi;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Communicator;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * This process as one worker of XGBoost's collective (the communicator xgboost4j ships, which AWS's XGBoost
 * container also uses). While it is open, XGBoost's own training is distributed: the quantile sketch, histograms and
 * metrics are reduced over all hosts. The communicator is process-wide, so at most one is open at a time.
 */
public final class XGBoostCollective implements Collective, AutoCloseable {
  private final List<String> hosts;
  private final int hostIndex;
  private final XGBoostCApi api;
  private boolean open;

  private XGBoostCollective(List<String> hosts, int hostIndex, XGBoostCApi api) {
    this.hosts = List.copyOf(hosts);
    this.hostIndex = hostIndex;
    this.api = api;
    this.open = true;
  }

  /**
   * Joins the collective through the tracker at {@code trackerAddress:trackerPort}; returns once every host has
   * joined. Blocks meanwhile: the caller bounds the wait.
   *
   * @param timeoutSeconds XGBoost's own socket timeout ({@code dmlc_timeout}). An operation that waits longer for a
   *     peer may end with a partial result instead of an error (seen with xgboost4j 3.4.0), so this must be longer
   *     than any legitimate wait between hosts: the caller's own deadlines come first.
   */
  public static XGBoostCollective join(List<String> hosts, int hostIndex, String trackerAddress, int trackerPort,
      int timeoutSeconds) {
    StringBuilder why = new StringBuilder();
    XGBoostCApi api = CApiAccess.open(why::append).orElseThrow(() -> new PlatformError("training on several hosts "
        + "needs XGBoost's C API (" + why + "); run through bin/sagebox, which passes --add-modules "
        + CApiAccess.MODULE + " --enable-native-access=ALL-UNNAMED", null));
    Map<String, Object> args = new HashMap<>();
    args.put("dmlc_communicator", "rabit");
    args.put("dmlc_tracker_uri", trackerAddress);
    args.put("dmlc_tracker_port", trackerPort);
    args.put("dmlc_timeout", timeoutSeconds);
    // The tracker orders workers by task id: with the host names, XGBoost's ranks follow the sorted host list.
    args.put("dmlc_task_id", hosts.get(hostIndex));
    try {
      Communicator.init(args);
      int world = Communicator.getWorldSize();
      if (world != hosts.size()) {
        Communicator.shutdown();
        throw new PlatformError("the collective has " + world + " workers, resourceconfig.json lists "
            + hosts.size() + " hosts " + hosts, null);
      }
    } catch (XGBoostError e) {
      throw new PlatformError("host " + hosts.get(hostIndex) + " could not join the collective through the tracker "
          + "at " + trackerAddress + ":" + trackerPort + ": " + firstLine(e.getMessage()), e);
    }
    return new XGBoostCollective(hosts, hostIndex, api);
  }

  @Override
  public List<String> hosts() {
    return hosts;
  }

  @Override
  public int hostIndex() {
    return hostIndex;
  }

  @Override
  public float[] allReduce(float[] values, Op op) {
    Communicator.OpType type = switch (op) {
      case SUM -> Communicator.OpType.SUM;
      case MAX -> Communicator.OpType.MAX;
      case MIN -> Communicator.OpType.MIN;
    };
    try {
      return api.allReduceFloats(values, Communicator.DataType.FLOAT32.getEnumOp(), type.getOperand());
    } catch (XGBoostError e) {
      throw new PlatformError("host " + host() + ": an operation of the collective failed (another host exited "
          + "or cannot be reached; its output/failure says why): " + firstLine(e.getMessage()), e);
    }
  }

  /** Leaves the collective. */
  @Override
  public synchronized void close() {
    if (open) {
      open = false;
      try {
        Communicator.shutdown();
      } catch (XGBoostError e) {
        // Leaving after a peer failed: nothing left to tell the others.
      }
    }
  }

  static String firstLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    String m = message.strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
