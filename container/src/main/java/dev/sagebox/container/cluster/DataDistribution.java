package dev.sagebox.container.cluster;

import dev.sagebox.container.config.ChannelConfig;
import dev.sagebox.container.config.InputDataConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each host trains on, said in the log. Every host trains on the files in its own channel folders, as AWS's
 * XGBoost does: with {@code ShardedByS3Key} each host has a different part; with {@code FullyReplicated} (the
 * default) every host has all of it, so every row is counted once per host.
 */
public final class DataDistribution {
  private static final Logger LOG = LoggerFactory.getLogger("sagebox.cluster");

  private DataDistribution() {}

  public static void log(InputDataConfig inputs, int hosts) {
    for (ChannelConfig c : inputs.channels().values()) {
      if (c.name().equals("model")) {
        continue;
      }
      String distribution = c.distribution() == null ? "FullyReplicated" : c.distribution();
      if (c.name().equals("validation") && !distribution.equals("ShardedByS3Key")) {
        LOG.info("channel 'validation' is {}: each of the {} hosts evaluates all of its rows, so the metrics count "
            + "every row {} times (averages and rank metrics such as auc and logloss are unchanged)", distribution,
            hosts, hosts);
      } else if (distribution.equals("ShardedByS3Key")) {
        LOG.info("channel '{}' is ShardedByS3Key: each of the {} hosts trains on its own part", c.name(), hosts);
      } else {
        LOG.warn("channel '{}' is {}: each of the {} hosts has all of its rows and trains on them, so every row "
            + "counts {} times (as in SageMaker's XGBoost); use ShardedByS3Key to give each host a part",
            c.name(), distribution, hosts, hosts);
      }
    }
  }
}
