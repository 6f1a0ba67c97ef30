package dev.sagebox.container.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.container.SampleTrees;
import dev.sagebox.container.train.TrainCommand;
import dev.sagebox.engine.data.GrayscaleImage;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.AlgorithmRegistry;
import dev.sagebox.engine.model.ModelFolder;
import dev.sagebox.engine.model.PredictorOptions;
import dev.sagebox.engine.xgboost.XGBoostAlgorithm;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model folders a careless or hostile user hands the server (a multi-model endpoint loads whatever folder a client
 * names): each is a clear user error, never a hang, a 500 or a file changed outside the folder.
 */
class HostileModelFoldersTest {
  @TempDir
  static Path shared;
  static Path trained;
  @TempDir
  Path tmp;
  private final ModelLoader loader = new ModelLoader(new AlgorithmRegistry(List.of(new XGBoostAlgorithm("test",
      w -> { }))));

  @BeforeAll
  static void trainOnce() {
    Path base = SampleTrees.copy("xgboost", shared.resolve("ml"));
    AlgorithmRegistry registry = new AlgorithmRegistry(List.of(new XGBoostAlgorithm("test", w -> { })));
    assertThat(new TrainCommand(SampleTrees.settings(base), registry,
        new PrintStream(OutputStream.nullOutputStream()), () -> false).run()).isZero();
    trained = base.resolve("model");
  }

  private Path copy(String name) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name));
    try (var s = Files.list(trained)) {
      for (Path f : (Iterable<Path>) s::iterator) {
        if (Files.isRegularFile(f)) {
          Files.copy(f, dir.resolve(f.getFileName()));
        }
      }
    }
    return dir;
  }

  private ServedModel load(Path dir, boolean recover) {
    return loader.loadServed(dir, PredictorOptions.defaults(), GrayscaleImage.DEFAULT_MAX_PIXELS, recover);
  }

  @Test
  void aPipeOrDeviceAmongTheModelFilesIsRefusedWithoutReadingIt() throws Exception {
    Path dir = copy("fifo");
    assertThat(new ProcessBuilder("mkfifo", dir.resolve("extra").toString()).start().waitFor()).isZero();
    assertThatThrownBy(() -> load(dir, false)).isInstanceOf(UserError.class)
        .hasMessageContaining("extra is not a regular file");
    Path zero = copy("zero");
    Files.delete(zero.resolve("xgboost-model"));
    Files.createSymbolicLink(zero.resolve("xgboost-model"), Path.of("/dev/zero"));
    assertThatThrownBy(() -> load(zero, false)).isInstanceOf(UserError.class)
        .hasMessageContaining("xgboost-model is not a regular file");
  }

  @Test
  void damagedManifestsAreUserErrorsWithoutJavaNames() throws Exception {
    Path dir = copy("version");
    String manifest = Files.readString(dir.resolve("sagebox-model.json"));
    Files.writeString(dir.resolve("sagebox-model.json"), manifest.replaceFirst("\"format_version\"\\s*:\\s*\\d+",
        "\"format_version\": \"abc\""));
    assertThatThrownBy(() -> load(dir, false)).isInstanceOf(UserError.class)
        .hasMessageContaining("field 'format_version'").satisfies(e -> assertThat(e.getMessage())
            .doesNotContain("dev.sagebox").doesNotContain("java.").doesNotContain("`"));
    Files.writeString(dir.resolve("sagebox-model.json"), "null");
    assertThatThrownBy(() -> load(dir, false)).isInstanceOf(UserError.class).hasMessageContaining("no JSON object");
    Path digest = copy("digest");
    String m = Files.readString(digest.resolve("sagebox-model.json"));
    Files.writeString(digest.resolve("sagebox-model.json"), m.replaceAll("\"sha256\"\\s*:\\s*\"[0-9a-f]+\"",
        "\"sha256\": \"00\""));
    assertThatThrownBy(() -> load(digest, false)).isInstanceOf(UserError.class)
        .hasMessageContaining("does not match").hasMessageContaining("sha256 00)");
  }

  @Test
  void anEnsembleListingOneFileTwiceAndALoneArchiveAreExplained() throws Exception {
    Path dir = copy("twice");
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var m = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(dir.resolve("sagebox-model.json").toFile());
    m.withObject("/details").put("ensemble_files", "xgboost-model,xgboost-model");
    json.writeValue(dir.resolve("sagebox-model.json").toFile(), m);
    assertThatThrownBy(() -> load(dir, false)).isInstanceOf(UserError.class)
        .hasMessageContaining("lists xgboost-model more than once");
    Path archive = Files.createDirectories(tmp.resolve("archive"));
    Files.write(archive.resolve("model.tar.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0});
    assertThatThrownBy(() -> load(archive, false)).isInstanceOf(UserError.class)
        .hasMessageContaining("extract it there");
  }

  @Test
  void aStagingLinkIsNeverFollowed() throws Exception {
    Path victim = Files.createDirectories(tmp.resolve("victim"));
    Files.writeString(victim.resolve("a.txt"), "keep me");
    Files.writeString(victim.resolve(".commit"), "");
    Path dir = copy("staged");
    Files.createSymbolicLink(dir.resolve(ModelFolder.STAGING), victim);
    load(dir, false).close();
    load(dir, true).close();
    assertThat(victim.resolve("a.txt")).hasContent("keep me");
    assertThat(dir.resolve("a.txt")).doesNotExist();
  }
}
