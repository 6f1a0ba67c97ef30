package dev.sagebox.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.error.UserError;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChannelLoaderTest {
  @TempDir
  Path dir;

  private void gzip(Path file, String text) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void readsEveryNonHiddenFileBelowTheFolderPlainOrGzipInNameOrder() throws IOException {
    Files.writeString(dir.resolve("a.csv"), "1,1,2\n");
    gzip(dir.resolve("b.csv.gz"), "0,3,4\n1,5,6\n");
    Files.createDirectories(dir.resolve("sub"));
    gzip(dir.resolve("sub/c"), "0,7,8\n");
    Files.writeString(dir.resolve(".hidden.csv"), "not,a,row\n");
    Files.createDirectories(dir.resolve(".cache"));
    Files.writeString(dir.resolve(".cache/x.csv"), "junk\n");
    List<Path> files = ChannelFiles.list(dir);
    assertThat(files).extracting(p -> dir.relativize(p).toString()).containsExactly("a.csv", "b.csv.gz", "sub/c");
    LabeledData d = new ChannelLoader(2).load("train", files, null, false);
    assertThat(d.labels()).containsExactly(1f, 0f, 1f, 0f);
    DenseBatch x = (DenseBatch) d.features();
    assertThat(x.get(3, 0)).isEqualTo(7f);
    assertThat(x.get(1, 1)).isEqualTo(4f);
  }

  @Test
  void filesOfDifferentWidthsOrFormatsAreRejected() throws IOException {
    Files.writeString(dir.resolve("a.csv"), "1,1,2\n");
    Files.writeString(dir.resolve("b.csv"), "1,1\n");
    assertThatThrownBy(() -> new ChannelLoader(1).load("train", ChannelFiles.list(dir), TextFormat.CSV, false))
        .isInstanceOf(UserError.class).hasMessageContaining("all files need the same columns");
    Files.writeString(dir.resolve("b.csv"), "1 0:1 1:2\n");
    assertThatThrownBy(() -> new ChannelLoader(1).load("train", ChannelFiles.list(dir), null, false))
        .hasMessageContaining("mixes formats");
  }

  @Test
  void corruptGzipIsAUserError() throws IOException {
    Files.write(dir.resolve("bad.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3});
    assertThatThrownBy(() -> new ChannelLoader(1).load("train", ChannelFiles.list(dir), TextFormat.CSV, false))
        .isInstanceOf(UserError.class).hasMessageContaining("bad.gz");
  }

  @Test
  void formatDetection() {
    assertThat(TextFormat.sniff("1 0:1.5 3:2\n".getBytes(StandardCharsets.UTF_8))).isEqualTo(TextFormat.LIBSVM);
    assertThat(TextFormat.sniff("\n1,2,3\n".getBytes(StandardCharsets.UTF_8))).isEqualTo(TextFormat.CSV);
    assertThat(TextFormat.sniff("5\n".getBytes(StandardCharsets.UTF_8))).isEqualTo(TextFormat.CSV);
    assertThat(TextFormat.sniff("  \n".getBytes(StandardCharsets.UTF_8))).isNull();
  }
}
