package dev.sagebox.container.serve;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What of a message reaches a client: file-system paths cut to their last part, routes left whole. */
class ClientTextTest {
  @Test
  void fileSystemPathsAreCutToTheirLastPart() {
    assertThat(ClientText.forClient("cannot read /tmp/jobs/42/secret.json: denied"))
        .isEqualTo("cannot read secret.json: denied");
    assertThat(ClientText.forClient("model folder /opt/ml/model has no model file"))
        .isEqualTo("model folder model has no model file");
    assertThat(ClientText.forClient("[10:03:01] /workspace/src/predictor/utils.h:18: bad tree"))
        .isEqualTo("bad tree");
  }

  @Test
  void routesAreLeftWhole() {
    assertThat(ClientText.forClient("load models with POST /models and invoke them with POST /models/{name}/invoke"))
        .isEqualTo("load models with POST /models and invoke them with POST /models/{name}/invoke");
    assertThat(ClientText.forClient("PUT is not allowed on /models/a")).isEqualTo("PUT is not allowed on /models/a");
    assertThat(ClientText.forClient("Endpoint POST /ping/../invocations not found"))
        .isEqualTo("Endpoint POST /ping/../invocations not found");
    assertThat(ClientText.forClient("see /v2/models/model/infer")).isEqualTo("see /v2/models/model/infer");
  }

  @Test
  void controlBytesArePrintable() {
    assertThat(ClientText.forClient("a\nb\u007f")).isEqualTo("a\\x0ab\\x7f");
  }
}
