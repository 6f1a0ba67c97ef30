package dev.sagebox.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher script ({@code bin/sagebox}) as the image runs it, with a stand-in {@code java} on the PATH that
 * prints the arguments and environment it was given: which JVM flags and native-library settings each command gets.
 */
class LauncherTest {
  private static final Path THP = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");

  @TempDir
  Path home;

  @BeforeEach
  void installLauncher() throws IOException {
    Path launcher = Path.of("..", "bin", "sagebox");
    Files.createDirectories(home.resolve("bin"));
    Files.createDirectories(home.resolve("lib"));
    Files.copy(launcher, home.resolve("bin/sagebox"), StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(home.resolve("lib/sagebox-container.jar"), "");
    Path fake = home.resolve("fake-jdk/java");
    Files.createDirectories(fake.getParent());
    Files.writeString(fake, "#!/bin/sh\necho \"args: $*\"\necho \"GLIBC_TUNABLES=$GLIBC_TUNABLES\"\n"
        + "echo \"OMP_WAIT_POLICY=$OMP_WAIT_POLICY\"\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** Whether this kernel hands transparent huge pages to programs that ask for them. */
  private static boolean kernelOffersHugePages() throws IOException {
    if (!Files.isReadable(THP)) {
      return false;
    }
    String s = Files.readString(THP);
    return s.contains("[always]") || s.contains("[madvise]");
  }

  private String launch(Map<String, String> env, String... args) throws Exception {
    String[] cmd = new String[args.length + 2];
    cmd[0] = "sh";
    cmd[1] = home.resolve("bin/sagebox").toString();
    System.arraycopy(args, 0, cmd, 2, args.length);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("GLIBC_TUNABLES");
    pb.environment().remove("JAVA_OPTS");
    pb.environment().remove("SAGEBOX_HUGE_PAGES");
    pb.environment().remove("SAGEBOX_CLASS_ARCHIVE");
    pb.environment().remove("SAGEBOX_VARIANT");
    pb.environment().put("PATH", home.resolve("fake-jdk") + ":" + System.getenv("PATH"));
    pb.environment().putAll(env);
    Process p = pb.start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void trainingAsksForHugePagesForTheHeapAndForMallocWhereTheKernelOffersThem() throws Exception {
    String out = launch(Map.of(), "train");
    boolean offered = kernelOffersHugePages();
    assertThat(out.contains("-XX:+UseTransparentHugePages")).as(out).isEqualTo(offered);
    assertThat(out.contains("GLIBC_TUNABLES=glibc.malloc.hugetlb=1\n")).as(out).isEqualTo(offered);
    assertThat(out).contains("--add-modules jdk.incubator.foreign").contains("-XX:MaxRAMPercentage=75")
        .contains("OMP_WAIT_POLICY=PASSIVE").contains("-jar " + home.resolve("lib/sagebox-container.jar")
            + " train");
  }

  @Test
  void theUsersJavaOptionsAndTunablesAreKept() throws Exception {
    String out = launch(Map.of("JAVA_OPTS", "-Xmx512m", "GLIBC_TUNABLES", "glibc.malloc.arena_max=2"), "train");
    assertThat(out).contains("args: -Xmx512m ").doesNotContain("MaxRAMPercentage");
    if (kernelOffersHugePages()) {
      assertThat(out).contains("-XX:+UseTransparentHugePages")
          .contains("GLIBC_TUNABLES=glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1\n");
    } else {
      assertThat(out).contains("GLIBC_TUNABLES=glibc.malloc.arena_max=2\n");
    }
  }

  @Test
  void hugePagesCanBeTurnedOffAndAreNotUsedForServing() throws Exception {
    for (String out : new String[] {launch(Map.of("SAGEBOX_HUGE_PAGES", "false"), "train"), launch(Map.of(),
        "serve")}) {
      assertThat(out).doesNotContain("UseTransparentHugePages").contains("GLIBC_TUNABLES=\n");
    }
    assertThat(launch(Map.of(), "serve")).contains("-XX:+ExitOnOutOfMemoryError")
        .doesNotContain("jdk.incubator.foreign");
  }

  @Test
  void trainingGivesTheYoungGenerationAFloorUnlessJavaOptionsSizeIt() throws Exception {
    assertThat(launch(Map.of(), "train")).contains(" -XX:NewSize=256m ");
    assertThat(launch(Map.of(), "serve")).doesNotContain("NewSize");
    assertThat(launch(Map.of("JAVA_OPTS", "-Xmx2g"), "train")).contains("args: -Xmx2g ").contains("-XX:NewSize=256m");
    for (String own : new String[] {"-Xmn64m", "-XX:NewSize=32m", "-XX:MaxNewSize=1g",
        "-XX:+UnlockExperimentalVMOptions -XX:G1NewSizePercent=20"}) {
      assertThat(launch(Map.of("JAVA_OPTS", own), "train")).as(own).contains(own).doesNotContain("NewSize=256m");
    }
  }

  @Test
  void trainingStartsFromTheClassArchiveBesideTheJarWhenThereIsOne() throws Exception {
    assertThat(launch(Map.of(), "train")).doesNotContain("SharedArchiveFile");
    Path archive = home.resolve("lib/sagebox-train.jsa");
    Files.writeString(archive, "stand-in");
    assertThat(launch(Map.of(), "train")).contains("-XX:SharedArchiveFile=" + archive + " -Xlog:cds=off");
    assertThat(launch(Map.of(), "serve")).doesNotContain("SharedArchiveFile");
    assertThat(launch(Map.of("SAGEBOX_CLASS_ARCHIVE", "none"), "train")).doesNotContain("SharedArchiveFile");
    for (String own : new String[] {"-Xshare:off", "-XX:ArchiveClassesAtExit=/tmp/x.jsa",
        "-XX:SharedArchiveFile=/tmp/y.jsa"}) {
      assertThat(launch(Map.of("JAVA_OPTS", own), "train")).as(own).contains(own)
          .doesNotContain("SharedArchiveFile=" + archive);
    }
    Path other = home.resolve("other.jsa");
    Files.writeString(other, "stand-in");
    assertThat(launch(Map.of("SAGEBOX_CLASS_ARCHIVE", other.toString()), "train"))
        .contains("-XX:SharedArchiveFile=" + other + " ");
  }
}
