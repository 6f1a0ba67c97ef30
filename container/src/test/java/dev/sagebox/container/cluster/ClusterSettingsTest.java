package dev.sagebox.container.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.error.UserError;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {

  @Test
  void defaultsAreAwsPortAndAMinuteToJoin() {
    ClusterSettings s = ClusterSettings.fromEnv(Map.of());
    assertThat(s.addresses()).isEmpty();
    assertThat(s.trackerPort()).isEqualTo(9099);
    assertThat(s.joinSeconds()).isEqualTo(60);
    assertThat(s.collectiveSeconds()).isEqualTo(1800);
  }

  @Test
  void hostAddressesAndTimeoutsAreRead() {
    ClusterSettings s = ClusterSettings.fromEnv(Map.of("SAGEBOX_HOSTS", " algo-1=127.0.0.1, algo-2=10.0.0.2 ,",
        "SAGEBOX_TRACKER_PORT", "19099", "SAGEBOX_CLUSTER_TIMEOUT", "5", "SAGEBOX_COLLECTIVE_TIMEOUT", "60"));
    assertThat(s.addresses()).containsExactlyInAnyOrderEntriesOf(Map.of("algo-1", "127.0.0.1", "algo-2",
        "10.0.0.2"));
    assertThat(s.trackerPort()).isEqualTo(19099);
    assertThat(s.joinSeconds()).isEqualTo(5);
    assertThat(s.collectiveSeconds()).isEqualTo(60);
    assertThat(Cluster.resolve("algo-2", s, System.nanoTime())).isEqualTo("10.0.0.2");
  }

  @Test
  void badValuesSayWhatIsAccepted() {
    assertThatThrownBy(() -> ClusterSettings.fromEnv(Map.of("SAGEBOX_HOSTS", "algo-1:127.0.0.1")))
        .isInstanceOf(UserError.class).hasMessage("SAGEBOX_HOSTS: 'algo-1:127.0.0.1' is not name=address; "
            + "expected for example algo-1=127.0.0.1,algo-2=127.0.0.1");
    assertThatThrownBy(() -> ClusterSettings.fromEnv(Map.of("SAGEBOX_TRACKER_PORT", "70000")))
        .hasMessage("environment variable SAGEBOX_TRACKER_PORT='70000' is invalid; expected an integer in [1, 65535]");
    assertThatThrownBy(() -> ClusterSettings.fromEnv(Map.of("SAGEBOX_CLUSTER_TIMEOUT", "soon")))
        .hasMessage("environment variable SAGEBOX_CLUSTER_TIMEOUT='soon' is invalid; expected an integer in [1, "
            + "86400]");
  }

  @Test
  void anUnresolvableNameFailsAtTheDeadlineWithAHint() {
    ClusterSettings s = ClusterSettings.fromEnv(Map.of());
    assertThatThrownBy(() -> Cluster.resolve("algo-9.invalid", s, System.nanoTime()))
        .hasMessageContaining("the name algo-9.invalid does not resolve (set SAGEBOX_HOSTS=name=address,...");
  }
}
