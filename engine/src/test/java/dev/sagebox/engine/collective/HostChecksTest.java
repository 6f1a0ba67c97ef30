package dev.sagebox.engine.collective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.error.DataFormatError;
import dev.sagebox.engine.error.UserError;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostChecksTest {
  private final ThreadedCollective three = new ThreadedCollective(List.of("algo-1", "algo-2", "algo-3"));

  @Test
  void gatherIsExactForLargeCountsAndFloats() throws Exception {
    List<Object> out = three.run(c -> c.gather(5_000_000_000L + c.hostIndex()));
    for (Object o : out) {
      assertThat((long[]) o).containsExactly(5_000_000_000L, 5_000_000_001L, 5_000_000_002L);
    }
    List<Object> floats = three.run(c -> c.gather(0.1f * (c.hostIndex() + 1)));
    assertThat((float[]) floats.get(2)).containsExactly(0.1f, 0.2f, 0.3f);
    assertThatThrownBy(() -> Collective.SOLO.gather(-1L)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anyIsTrueEverywhereWhenOneHostSaysSo() throws Exception {
    assertThat(three.run(c -> c.any(c.hostIndex() == 2))).containsExactly(true, true, true);
    assertThat(three.run(c -> c.any(false))).containsExactly(false, false, false);
  }

  @Test
  void aHostThatFailedToLoadIsNamedByTheOthersAndKeepsItsOwnError() throws Exception {
    DataFormatError own = new DataFormatError("train/part.csv", 11, 3, "'abc' is not a number");
    List<Object> out = three.run(c -> {
      HostChecks.loaded(c, c.hostIndex() == 1 ? own : null);
      return "loaded";
    });
    assertThat(out.get(1)).isSameAs(own);
    assertThat(((UserError) out.get(0)).getMessage()).isEqualTo("host algo-2 could not load its data (its "
        + "output/failure says why); host algo-1 stops with it");
    assertThat(((UserError) out.get(2)).getMessage()).endsWith("host algo-3 stops with it");
  }

  @Test
  void disagreementsNameEveryHostsValue() throws Exception {
    List<Object> out = three.run(c -> {
      HostChecks.same(c, "the feature count", c.hostIndex() == 2 ? 29 : 30, "hint");
      return "same";
    });
    for (Object o : out) {
      assertThat(((UserError) o).getMessage()).isEqualTo("the hosts disagree on the feature count: algo-1 30, "
          + "algo-2 30, algo-3 29; hint");
    }
    assertThat(three.run(c -> {
      HostChecks.same(c, "the round to start from", 7, "hint");
      return "same";
    })).containsExactly("same", "same", "same");
  }

  @Test
  void aHostWithoutRowsOrWithoutAChannelIsNamed() throws Exception {
    List<String> info = Collections.synchronizedList(new ArrayList<>());
    List<Object> out = three.run(c -> {
      HostChecks.rows(c, "train", c.hostIndex() == 1 ? 0 : 100, info::add);
      return "rows";
    });
    assertThat(((UserError) out.get(0)).getMessage()).startsWith("host algo-2 has no rows in channel 'train' "
        + "(algo-1 100, algo-2 0, algo-3 100)");
    assertThat(info).contains("channel 'train' rows per host: algo-1 100, algo-2 0, algo-3 100");
    List<Object> channels = three.run(c -> {
      HostChecks.sameChannels(c, "validation", c.hostIndex() != 0);
      return "ok";
    });
    assertThat(((UserError) channels.get(0)).getMessage()).isEqualTo("channel 'validation' exists on host "
        + "algo-2, algo-3 but not on algo-1; every host needs it, or none");
  }

  @Test
  void oneHostNeedsNoCommunication() {
    HostChecks.same(Collective.SOLO, "x", 1, "");
    HostChecks.rows(Collective.SOLO, "train", 0, s -> { });
    assertThat(Collective.SOLO.any(true)).isTrue();
    assertThat(Collective.SOLO.gather(42L)).containsExactly(42L);
    assertThat(HostChecks.labelRanges(Collective.SOLO, 0f, 1f)).isEqualTo("algo-1 [0.0, 1.0]");
  }
}
