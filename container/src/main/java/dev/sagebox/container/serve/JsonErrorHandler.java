package dev.sagebox.container.serve;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers (a URI or header too long, a bad Expect, an unknown HTTP version, malformed chunking)
 * in the same JSON problem document as every other error, instead of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {

  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(body(code, message)), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(new HttpField(HttpHeader.CONTENT_TYPE, "application/json"));
    return ByteBuffer.wrap(body(status, reason));
  }

  static byte[] body(int status, String message) {
    StringBuilder sb = new StringBuilder(128).append("{\"status\":").append(status).append(",\"title\":");
    ErrorResponses.quote(sb, ErrorResponses.title(status));
    sb.append(",\"detail\":");
    ErrorResponses.quote(sb, ClientText.forClient(message == null || message.isBlank()
        ? ErrorResponses.title(status) : message));
    return sb.append("}\n").toString().getBytes(StandardCharsets.UTF_8);
  }
}
