package dev.sagebox.controlplane;

/** ARNs as SageMaker writes them: {@code arn:aws:sagemaker:<region>:<account>:<kind>/<lower-case name>}. */
public record Arns(String region, String account) {
  public String of(String kind, ResourceName name) {
    return "arn:aws:sagemaker:" + region + ":" + account + ":" + kind + "/"
        + name.value().toLowerCase(java.util.Locale.ROOT);
  }
}
