package dev.sagebox.controlplane;

/**
 * An error answered in AWS's shape: {@code {"__type": type, "message": ...}} with {@code status}. The type is what
 * boto3's {@code ClientError.response['Error']['Code']} and the Java SDK's exception class are chosen by.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String type;
  private final int status;

  public ApiException(String type, int status, String message) {
    super(message);
    this.type = type;
    this.status = status;
  }

  public String type() {
    return type;
  }

  public int status() {
    return status;
  }

  public static ApiException validation(String message) {
    return new ApiException("ValidationException", 400, message);
  }

  public static ApiException notFound(String message) {
    return new ApiException("ResourceNotFound", 400, message);
  }

  public static ApiException inUse(String message) {
    return new ApiException("ResourceInUse", 400, message);
  }

  public static ApiException limitExceeded(String message) {
    return new ApiException("ResourceLimitExceeded", 400, message);
  }
}
