package dev.sagebox.controlplane;

import java.util.Locale;
import java.util.Optional;

/**
 * Which built-in algorithm a {@code TrainingImage} (or a model's {@code Image}) means: the repository part of an ECR
 * URI ({@code <account>.dkr.ecr.<region>.amazonaws.com/sagemaker-xgboost:1.7-1}, {@code .../xgboost:latest},
 * {@code .../linear-learner:1}) or a plain image name ({@code sagebox}, {@code sagebox-xgboost}, {@code xgboost}).
 */
public final class ImageCatalog {
  private ImageCatalog() {}

  /** The algorithm for SAGEBOX_ALGORITHM: "xgboost", "linear-learner", "lenet"; "" for the plain Sagebox image
   * (the job's hyperparameters then choose); empty when the image is not a built-in. */
  public static Optional<String> algorithm(String image) {
    String s = image.strip().toLowerCase(Locale.ROOT);
    int at = s.indexOf('@');
    if (at >= 0) {
      s = s.substring(0, at);
    }
    String repo = s.substring(s.lastIndexOf('/') + 1);
    int colon = repo.indexOf(':');
    if (colon >= 0) {
      repo = repo.substring(0, colon);
    }
    repo = repo.replaceFirst("^sagemaker-", "").replaceFirst("^sagebox-", "");
    return switch (repo) {
      case "xgboost" -> Optional.of("xgboost");
      case "linear-learner", "linearlearner", "linear" -> Optional.of("linear-learner");
      case "lenet", "image-classification" -> Optional.of("lenet");
      case "sagebox" -> Optional.of("");
      default -> Optional.empty();
    };
  }

  /** The same, or a ValidationException saying which images are accepted. */
  public static String require(String image, String member) {
    return algorithm(image).orElseThrow(() -> ApiException.validation(member + " '" + image + "' is not a "
        + "built-in algorithm here; accepted: the ECR URIs of SageMaker's XGBoost (sagemaker-xgboost:<tag>, "
        + "xgboost:<tag>) and linear learner (linear-learner:<tag>), or the names sagebox, sagebox-xgboost, "
        + "sagebox-linear-learner, sagebox-lenet (bring-your-own images are not run by this API)"));
  }
}
