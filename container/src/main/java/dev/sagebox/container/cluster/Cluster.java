package dev.sagebox.container.cluster;

import dev.sagebox.container.SageMakerEnv;
import dev.sagebox.container.config.ResourceConfig;
import dev.sagebox.engine.collective.Collective;
import dev.sagebox.engine.collective.Tracker;
import dev.sagebox.engine.collective.XGBoostCollective;
import dev.sagebox.engine.error.PlatformError;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This host as one of the job's hosts: the leader (first in sorted order) starts XGBoost's tracker, then every host
 * joins the collective through it. Joining has a deadline: when the cluster has not formed by then, {@code onTimeout}
 * is called with the reason (it must end the process: the join blocks in native code and cannot be interrupted).
 */
public final class Cluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("sagebox.cluster");

  private final XGBoostCollective collective;
  private final Tracker tracker;

  private Cluster(XGBoostCollective collective, Tracker tracker) {
    this.collective = collective;
    this.tracker = tracker;
  }

  public static Cluster join(ResourceConfig resources, ClusterSettings settings, Consumer<String> onTimeout) {
    List<String> hosts = resources.hosts();
    String leader = hosts.get(0);
    int index = hosts.indexOf(resources.currentHost());
    long deadline = System.nanoTime() + settings.joinSeconds() * 1_000_000_000L;
    String phase = "resolving the leader's name " + leader;
    Watchdog watchdog = new Watchdog(settings.joinSeconds(), () -> onTimeout.accept(timeoutMessage(resources,
        settings)));
    Tracker tracker = null;
    try {
      String leaderAddress = resolve(leader, settings, deadline);
      if (index == 0) {
        phase = "starting the tracker";
        tracker = Tracker.start(hosts.size(), leaderAddress, settings.trackerPort(), settings.joinSeconds() + 5);
        LOG.info("tracker for {} hosts listening on {}:{}", hosts.size(), leaderAddress, settings.trackerPort());
      }
      phase = "joining through the tracker at " + leader + " (" + leaderAddress + "):" + settings.trackerPort();
      LOG.info("host {} ({} of {}) {}", resources.currentHost(), index + 1, hosts.size(), phase);
      long t0 = System.nanoTime();
      XGBoostCollective collective = joinWithRetry(hosts, index, leaderAddress, settings, deadline);
      watchdog.cancel();
      LOG.info(String.format(java.util.Locale.ROOT, "host %s joined the collective of %d hosts %s in %.2f s; "
          + "leader %s", resources.currentHost(), hosts.size(), hosts, (System.nanoTime() - t0) / 1e9, leader));
      return new Cluster(collective, tracker);
    } catch (RuntimeException e) {
      watchdog.cancel();
      if (tracker != null) {
        tracker.close();
      }
      throw new PlatformError("host " + resources.currentHost() + " could not join the hosts " + hosts + " while "
          + phase + ": " + e.getMessage(), e);
    }
  }

  private static XGBoostCollective joinWithRetry(List<String> hosts, int index, String leaderAddress,
      ClusterSettings settings, long deadline) {
    while (true) {
      try {
        return XGBoostCollective.join(hosts, index, leaderAddress, settings.trackerPort(),
            settings.collectiveSeconds());
      } catch (PlatformError e) {
        // The tracker may not listen yet (the leader starts later): try again until the deadline.
        if (System.nanoTime() > deadline) {
          throw e;
        }
        LOG.info("joining failed ({}); retrying", e.getMessage());
        sleep(1000);
      }
    }
  }

  /**
   * The IP address of {@code host}: SAGEBOX_HOSTS maps it to an address or another name (a Kubernetes pod's DNS
   * name, say), else the name itself; names are resolved by DNS, retried until the deadline (they may come late).
   */
  static String resolve(String host, ClusterSettings settings, long deadline) {
    String target = settings.addresses().getOrDefault(host, host);
    long wait = 250;
    while (true) {
      try {
        return InetAddress.getByName(target).getHostAddress();
      } catch (UnknownHostException e) {
        if (System.nanoTime() > deadline) {
          throw new PlatformError("the name " + target + (target.equals(host) ? "" : " (" + host + ")")
              + " does not resolve (set " + SageMakerEnv.HOSTS + "=name=address,... where names are not in DNS)",
              e);
        }
        sleep(wait);
        wait = Math.min(wait * 2, 5000);
      }
    }
  }

  private static String timeoutMessage(ResourceConfig resources, ClusterSettings settings) {
    return "host " + resources.currentHost() + ": the " + resources.hosts().size() + " hosts " + resources.hosts()
        + " did not all join within " + settings.joinSeconds() + " s (phase: joining through the tracker on "
        + resources.hosts().get(0) + ":" + settings.trackerPort() + "); a host did not start, failed before "
        + "joining (see its output/failure), or cannot reach the leader; " + SageMakerEnv.CLUSTER_TIMEOUT
        + " sets the wait";
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlatformError("interrupted while joining the other hosts", e);
    }
  }

  public Collective collective() {
    return collective;
  }

  /** Leaves the collective; the leader then waits a little for the others to leave and stops its tracker. */
  @Override
  public void close() {
    collective.close();
    if (tracker != null) {
      tracker.finish(10_000);
    }
  }

  /** Calls its action once after a delay unless cancelled first. */
  static final class Watchdog {
    private final Thread thread;
    private volatile boolean cancelled;

    Watchdog(int seconds, Runnable action) {
      thread = new Thread(() -> {
        try {
          Thread.sleep(seconds * 1000L);
        } catch (InterruptedException e) {
          return;
        }
        if (!cancelled) {
          action.run();
        }
      }, "sagebox-join-deadline");
      thread.setDaemon(true);
      thread.start();
    }

    void cancel() {
      cancelled = true;
      thread.interrupt();
    }
  }
}
