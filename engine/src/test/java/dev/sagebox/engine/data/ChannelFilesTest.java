package dev.sagebox.engine.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChannelFilesTest {
  @TempDir
  Path dir;

  @Test
  void skipsMarkerFilesThatSparkAndHadoopLeaveAndHiddenFiles() throws IOException {
    Files.writeString(dir.resolve("part-00000.csv"), "1,2\n");
    Files.writeString(dir.resolve("_SUCCESS"), "");
    Files.writeString(dir.resolve("_metadata"), "not data");
    Files.writeString(dir.resolve(".part-00000.csv.crc"), "crc");
    Files.createDirectories(dir.resolve("_temporary/0"));
    Files.writeString(dir.resolve("_temporary/0/part-00001.csv"), "half written");
    Files.createDirectories(dir.resolve("day=1"));
    Files.writeString(dir.resolve("day=1/part-00002.csv"), "0,1\n");
    List<Path> files = ChannelFiles.list(dir);
    assertThat(files).containsExactly(dir.resolve("day=1/part-00002.csv"), dir.resolve("part-00000.csv"));
  }

  @Test
  void linkedFoldersAndFilesAreReadAndALinkToNothingIsSkipped() throws IOException {
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(data.resolve("a.csv"), "1,2\n");
    Path more = Files.createDirectories(dir.resolve("more"));
    Files.writeString(more.resolve("b.csv"), "0,1\n");
    Files.writeString(dir.resolve("c.csv"), "1,1\n");
    Path channel = Files.createDirectories(dir.resolve("channel"));
    Files.createSymbolicLink(channel.resolve("data"), data);
    Files.createSymbolicLink(channel.resolve("linked-more"), more);
    Files.createSymbolicLink(channel.resolve("c.csv"), dir.resolve("c.csv"));
    Files.createSymbolicLink(channel.resolve("gone.csv"), dir.resolve("no-such-file.csv"));
    assertThat(ChannelFiles.list(channel)).containsExactly(channel.resolve("c.csv"), channel.resolve("data/a.csv"),
        channel.resolve("linked-more/b.csv"));
    Path linkedChannel = dir.resolve("linked-channel");
    Files.createSymbolicLink(linkedChannel, channel);
    assertThat(ChannelFiles.list(linkedChannel)).hasSize(3);
  }

  @Test
  void aLinkLoopIsAnErrorNamingTheLink() throws IOException {
    Path channel = Files.createDirectories(dir.resolve("channel"));
    Files.writeString(channel.resolve("a.csv"), "1,2\n");
    Files.createSymbolicLink(channel.resolve("back"), channel);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ChannelFiles.list(channel))
        .isInstanceOf(dev.sagebox.engine.error.UserError.class).hasMessageContaining("back")
        .hasMessageContaining("loop");
  }
}
