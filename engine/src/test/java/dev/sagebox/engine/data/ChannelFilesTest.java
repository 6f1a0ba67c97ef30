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
}
