package dev.sagebox.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train} as its own process with a bad cluster variable: a user error with a failure file, at once. It was an
 * uncaught exception, a false "SIGTERM" warning and a 100 s wait in the shutdown hook, with no failure file and an
 * earlier success marker left in place.
 */
class MainEnvironmentTest {
  @TempDir
  Path tmp;

  @Test
  void aBadClusterVariableFailsTrainingAtOnceWithAFailureFile() throws Exception {
    Path base = SampleTrees.copy("xgboost", tmp.resolve("ml"));
    Files.createDirectories(base.resolve("output"));
    Files.writeString(base.resolve("output/success"), "");
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), Main.class.getName(), "train").redirectErrorStream(true)
        .redirectOutput(tmp.resolve("out.log").toFile());
    pb.environment().put("SAGEMAKER_BASE_DIR", base.toString());
    pb.environment().put("SAGEBOX_HOSTS", "garbage");
    long t0 = System.nanoTime();
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("ended").isTrue();
    assertThat(p.exitValue()).isEqualTo(1);
    assertThat((System.nanoTime() - t0) / 1e9).as("seconds").isLessThan(30);
    assertThat(base.resolve("output/failure")).content().startsWith("invalid environment: SAGEBOX_HOSTS: 'garbage'");
    assertThat(base.resolve("output/success")).doesNotExist();
    assertThat(Files.readString(tmp.resolve("out.log"))).doesNotContain("SIGTERM").doesNotContain("Exception");
  }
}
