package dev.sagebox.container.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sagebox.engine.error.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code resourceconfig.json}: this host and all hosts of the job. Missing file: one host, {@code algo-1}. */
public record ResourceConfig(String currentHost, List<String> hosts, String networkInterfaceName,
    String currentInstanceType) {

  public ResourceConfig {
    hosts = List.copyOf(hosts);
  }

  public static ResourceConfig single() {
    return new ResourceConfig("algo-1", List.of("algo-1"), "eth0", "local");
  }

  public static ResourceConfig read(Path file) {
    JsonNode root = ConfigFiles.readObject(file);
    return root == null ? single() : parse(root, file.toString());
  }

  static ResourceConfig parse(JsonNode root, String name) {
    String current = ConfigFiles.text(root, "current_host");
    List<String> hosts = new ArrayList<>();
    JsonNode h = root.get("hosts");
    if (h != null && h.isArray()) {
      h.forEach(n -> hosts.add(n.asText()));
    } else if (h != null) {
      throw new UserError(name + ": 'hosts' must be a list of host names");
    }
    if (current == null) {
      current = hosts.isEmpty() ? "algo-1" : hosts.get(0);
    }
    if (hosts.isEmpty()) {
      hosts.add(current);
    }
    if (!hosts.contains(current)) {
      throw new UserError(name + ": current_host '" + current + "' is not in hosts " + hosts);
    }
    hosts.sort(String::compareTo);
    String nic = ConfigFiles.text(root, "network_interface_name");
    String type = ConfigFiles.text(root, "current_instance_type");
    return new ResourceConfig(current, hosts, nic == null ? "eth0" : nic, type == null ? "local" : type);
  }

  /** SageMaker's rule: the first host in sorted order is the master, which alone writes the model. */
  public boolean isMaster() {
    return hosts.get(0).equals(currentHost);
  }
}
