package dev.sagebox.container.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagebox.engine.error.IoFailures;
import java.io.EOFException;
import java.nio.file.AccessDeniedException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class FailureReportTest {

  @Test
  void runningOutOfMemoryAnywhereSaysWhatRanOutTheHeapAndHowToGiveMore() {
    FailureReport r = FailureReport.of(new IllegalStateException(new ExecutionException(
        new OutOfMemoryError("Java heap space"))));
    assertThat(r.exitCode()).isEqualTo(FailureReport.PLATFORM_ERROR);
    assertThat(r.firstLine()).startsWith("out of memory (Java heap space) with a maximum heap of ")
        .contains("MiB").contains("MaxRAMPercentage");
  }

  @Test
  void permissionProblemsAreUserErrorsWithTheReasonOnLineOne() {
    FailureReport r = FailureReport.of(IoFailures.of("cannot read", "train/a.csv",
        new AccessDeniedException("/opt/ml/input/data/train/a.csv")));
    assertThat(r.exitCode()).isEqualTo(FailureReport.USER_ERROR);
    assertThat(r.firstLine()).isEqualTo("cannot read train/a.csv: permission denied (make it readable by the "
        + "training process, e.g. chmod a+r, or run the container as the file's owner)");
  }

  @Test
  void aTruncatedGzipNeverReportsNull() {
    FailureReport r = FailureReport.of(IoFailures.of("cannot read", "train/a.csv.gz", new EOFException()));
    assertThat(r.exitCode()).isEqualTo(FailureReport.USER_ERROR);
    assertThat(r.firstLine()).contains("corrupt or truncated gzip data (unexpected end of file)")
        .doesNotContain("null");
  }
}
