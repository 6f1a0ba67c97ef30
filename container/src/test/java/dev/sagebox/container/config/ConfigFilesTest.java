package dev.sagebox.container.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sagebox.container.SampleTrees;
import dev.sagebox.engine.error.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFilesTest {
  @TempDir
  Path tmp;

  private Path write(String name, String content) throws IOException {
    return Files.writeString(tmp.resolve(name), content);
  }

  /** Every fixture shaped as SageMaker writes it (../shared/fixtures/opt-ml-config) must parse. */
  @Test
  void everySharedFixtureParses() throws IOException {
    Path dir = SampleTrees.repoRoot().resolveSibling("shared").resolve("fixtures/opt-ml-config");
    assumeTrue(Files.isDirectory(dir), "no ../shared beside the checkout");
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(8);
    for (Path f : files) {
      String name = f.getFileName().toString();
      if (name.startsWith("hyperparameters")) {
        assertThat(HyperparameterFile.read(f)).isNotEmpty();
      } else if (name.startsWith("inputdataconfig")) {
        assertThat(InputDataConfig.read(f).channels()).containsKey("train");
      } else if (name.startsWith("resourceconfig")) {
        assertThat(ResourceConfig.read(f).hosts()).contains(ResourceConfig.read(f).currentHost());
      } else if (name.startsWith("checkpointconfig")) {
        assertThat(CheckpointConfig.read(f, tmp)).isPresent();
      }
    }
  }

  @Test
  void hyperparameterValuesAreDecodedLikeTheToolkit() throws IOException {
    Map<String, String> hp = HyperparameterFile.read(write("hp.json",
        "{\"epochs\": \"10\", \"optimizer\": \"\\\"adam\\\"\", \"layers\": \"[20, 50]\", \"use_bias\": \"True\","
            + " \"lr\": 0.1, \"flag\": true, \"name\": \"plain text\"}"));
    assertThat(hp).containsEntry("epochs", "10").containsEntry("optimizer", "adam")
        .containsEntry("layers", "[20,50]").containsEntry("use_bias", "True").containsEntry("lr", "0.1")
        .containsEntry("flag", "true").containsEntry("name", "plain text");
  }

  @Test
  void missingFilesHaveDefaults() {
    assertThat(HyperparameterFile.read(tmp.resolve("none.json"))).isEmpty();
    assertThat(InputDataConfig.read(tmp.resolve("none.json")).channels()).isEmpty();
    assertThat(ResourceConfig.read(tmp.resolve("none.json"))).isEqualTo(ResourceConfig.single());
    assertThat(CheckpointConfig.read(tmp.resolve("none.json"), tmp)).isEmpty();
  }

  @Test
  void malformedJsonNamesFileLineAndColumn() throws IOException {
    Path f = write("hyperparameters.json", "{\n  \"num_round\": 10,\n  \"eta\" 0.3\n}");
    assertThatThrownBy(() -> HyperparameterFile.read(f))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("hyperparameters.json, line 3, column")
        .hasMessageContaining("not valid JSON");
    Path list = write("inputdataconfig.json", "[1]");
    assertThatThrownBy(() -> InputDataConfig.read(list)).hasMessageContaining("expected a JSON object");
    Path trailing = write("hyperparameters.json", "{\"num_round\": \"5\"} trailing");
    assertThatThrownBy(() -> HyperparameterFile.read(trailing)).isInstanceOf(UserError.class)
        .hasMessageContaining("hyperparameters.json, line 1").hasMessageContaining("not valid JSON")
        .hasMessageNotContaining("`");
    Path twice = write("hyperparameters.json", "{\"num_round\": \"5\", \"num_round\": \"50\"}");
    assertThatThrownBy(() -> HyperparameterFile.read(twice)).isInstanceOf(UserError.class)
        .hasMessageContaining("num_round");
  }

  @Test
  void inputDataConfigToleratesReducedFormsAndChecksModes() throws IOException {
    InputDataConfig c = InputDataConfig.read(write("i.json",
        "{\"train\": {}, \"validation\": {\"ContentType\": \"text/csv; label_size=1\"}}"));
    assertThat(c.channels().get("train").inputMode()).isEqualTo("File");
    assertThat(c.channels().get("train").contentType()).isNull();
    assertThat(c.channels().get("validation").contentType().parameter("label_size")).isEqualTo("1");
    Path bad = write("j.json", "{\"train\": {\"TrainingInputMode\": \"Stream\"}}");
    assertThatThrownBy(() -> InputDataConfig.read(bad)).hasMessageContaining("accepted: File, Pipe, FastFile");
    InputDataConfig wrapped = InputDataConfig.read(write("w.json", "{\"train\": {\"RecordWrapperType\": "
        + "\"RecordIO\"}, \"validation\": {\"RecordWrapperType\": \"None\"}}"));
    assertThat(wrapped.channels().get("train").recordWrapped()).isTrue();
    assertThat(wrapped.channels().get("validation").recordWrapped()).isFalse();
    Path badWrapper = write("k.json", "{\"train\": {\"RecordWrapperType\": \"Protobuf\"}}");
    assertThatThrownBy(() -> InputDataConfig.read(badWrapper))
        .hasMessageContaining("channel 'train' RecordWrapperType 'Protobuf' is invalid; accepted: None, RecordIO");
  }

  @Test
  void resourceConfigSortsHostsAndKnowsTheMaster() throws IOException {
    ResourceConfig r = ResourceConfig.read(write("r.json", "{\"current_host\": \"algo-2\", \"hosts\": [\"algo-2\","
        + " \"algo-1\"]}"));
    assertThat(r.hosts()).containsExactly("algo-1", "algo-2");
    assertThat(r.isMaster()).isFalse();
    assertThat(r.networkInterfaceName()).isEqualTo("eth0");
  }

  @org.junit.jupiter.api.Test
  void channelNamesCannotLeaveTheDataFolder() {
    for (String bad : java.util.List.of("../etc", "a/b", "..", "", "x".repeat(65))) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> InputDataConfig.parse(
          new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"" + bad + "\": {}}"), "inputdataconfig.json"))
          .isInstanceOf(dev.sagebox.engine.error.UserError.class).hasMessageContaining("channel name");
    }
  }
}
