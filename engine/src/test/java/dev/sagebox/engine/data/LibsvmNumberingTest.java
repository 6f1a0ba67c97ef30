package dev.sagebox.engine.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagebox.engine.data.libsvm.LibsvmReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LibsvmNumberingTest {
  private static LabeledData libsvm(String text) {
    return new LibsvmReader(1).readLabeled(text.getBytes(StandardCharsets.UTF_8), "train");
  }

  @Test
  void oneBasedSetsAreShiftedTogether() {
    LabeledData train = libsvm("1 1:0.5 8:2\n0 2:1\n");
    LabeledData validation = libsvm("1 3:1\n");
    ChannelLoader.Numbered n = ChannelLoader.numberLibsvm(Arrays.asList(train, validation));
    assertThat(n.indexing()).isEqualTo(LibsvmIndexing.ONE_BASED);
    SparseBatch t = (SparseBatch) n.sets().get(0).features();
    assertThat(t.indices()).containsExactly(0, 7, 1);
    assertThat(t.columns()).isEqualTo(8);
    assertThat(((SparseBatch) n.sets().get(1).features()).indices()).containsExactly(2);
  }

  @Test
  void anIndexZeroAnywhereKeepsEverySetZeroBased() {
    LabeledData train = libsvm("1 1:0.5\n");
    LabeledData validation = libsvm("1 0:1\n");
    ChannelLoader.Numbered n = ChannelLoader.numberLibsvm(Arrays.asList(train, validation));
    assertThat(n.indexing()).isEqualTo(LibsvmIndexing.ZERO_BASED);
    assertThat(((SparseBatch) n.sets().get(0).features()).indices()).containsExactly(1);
  }

  @Test
  void denseSetsAndAbsentChannelsLeaveRequestsToThePerRequestRule() {
    LabeledData csv = new LabeledData("train", new DenseBatch(1, 2, new float[] {1, 2}), new float[] {1}, null);
    ChannelLoader.Numbered n = ChannelLoader.numberLibsvm(Arrays.asList(csv, null));
    assertThat(n.indexing()).isEqualTo(LibsvmIndexing.PER_REQUEST);
    assertThat(n.sets().get(0)).isSameAs(csv);
    assertThat(n.sets().get(1)).isNull();
  }
}
