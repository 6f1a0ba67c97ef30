package dev.sagebox.engine.data.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.junit.jupiter.api.Test;

class RowGroupTasksTest {

  private static List<BlockMetaData> groups(long... rows) {
    List<BlockMetaData> groups = new ArrayList<>();
    for (long r : rows) {
      BlockMetaData b = new BlockMetaData();
      b.setRowCount(r);
      groups.add(b);
    }
    return groups;
  }

  private static List<ColumnPlan> columns(int n) {
    List<ColumnPlan> columns = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      columns.add(new ColumnPlan(i, "c" + i, null, ValueKind.DOUBLE, 1));
    }
    return columns;
  }

  @Test
  void manyRowGroupsAreOneTaskEachInFileOrder() {
    List<RowGroupTask> tasks = RowGroupTasks.plan(groups(10, 20, 30, 40), columns(5), 2);
    assertThat(tasks).extracting(RowGroupTask::group).containsExactly(0, 1, 2, 3);
    assertThat(tasks).extracting(RowGroupTask::firstRow).containsExactly(0, 10, 30, 60);
    assertThat(tasks).allSatisfy(t -> assertThat(t.columns()).hasSize(5));
  }

  @Test
  void oneRowGroupIsCutIntoColumnSlicesThatCoverEveryColumnOnce() {
    List<RowGroupTask> tasks = RowGroupTasks.plan(groups(100), columns(29), 2);
    assertThat(tasks).hasSize(4);
    List<Integer> seen = new ArrayList<>();
    tasks.forEach(t -> t.columns().forEach(c -> seen.add(c.index())));
    assertThat(seen).containsExactlyElementsOf(columns(29).stream().map(ColumnPlan::index).toList());
  }

  @Test
  void oneThreadOrEmptyRowGroupsMakeNoExtraTasks() {
    assertThat(RowGroupTasks.plan(groups(100), columns(29), 1)).hasSize(1);
    assertThat(RowGroupTasks.plan(groups(0, 5, 0), columns(3), 1)).extracting(RowGroupTask::group).containsExactly(1);
    assertThat(RowGroupTasks.plan(groups(), columns(3), 2)).isEmpty();
  }
}
