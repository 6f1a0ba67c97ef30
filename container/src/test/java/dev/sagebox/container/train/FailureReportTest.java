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
    FailureReport w = FailureReport.of(IoFailures.of("cannot write a checkpoint in", "/opt/ml/checkpoints",
        new AccessDeniedException("/opt/ml/checkpoints/.tmp-xgboost-checkpoint.0")));
    assertThat(w.exitCode()).isEqualTo(FailureReport.USER_ERROR);
    assertThat(w.firstLine()).contains("permission denied (make it writable by the training process");
  }

  @Test
  void aTruncatedGzipNeverReportsNull() {
    FailureReport r = FailureReport.of(IoFailures.of("cannot read", "train/a.csv.gz", new EOFException()));
    assertThat(r.exitCode()).isEqualTo(FailureReport.USER_ERROR);
    assertThat(r.firstLine()).contains("corrupt or truncated gzip data (unexpected end of file)")
        .doesNotContain("null");
  }

  @Test
  void aLongValueIsShortenedSoThatWhatIsAcceptedStaysOnTheFirstLineAndControlBytesAreShown() {
    String objective = "x".repeat(5_000);
    FailureReport r = FailureReport.of(new dev.sagebox.engine.error.HyperparameterError("objective",
        "value '" + objective + "' is invalid: accepted: binary:logistic, reg:squarederror"));
    assertThat(r.firstLine().length()).isLessThan(300);
    assertThat(r.firstLine()).contains("(5000 characters)").endsWith("accepted: binary:logistic, reg:squarederror");
    FailureReport nul = FailureReport.of(new dev.sagebox.engine.error.UserError("cannot read '0\u00000.5'"));
    assertThat(nul.firstLine()).isEqualTo("cannot read '0\\x000.5'");
  }
}
