package dev.sagebox.container.serve;

import dev.sagebox.engine.error.AlgorithmError;
import dev.sagebox.engine.error.NotAcceptableError;
import dev.sagebox.engine.error.UnsupportedMediaTypeError;
import dev.sagebox.engine.error.UserError;
import io.javalin.http.Context;
import java.util.List;

/**
 * The one place that maps failures to HTTP status codes and renders the JSON error body
 * {@code {"status":400,"title":"Bad Request","detail":"...","requestId":"..."}}.
 */
final class ErrorResponses {
  private ErrorResponses() {}

  static int statusOf(Throwable t) {
    if (t instanceof UnsupportedMediaTypeError) {
      return 415;
    }
    if (t instanceof NotAcceptableError) {
      return 406;
    }
    if (t instanceof UserError) {
      return 400;
    }
    return 500;
  }

  static void send(Context ctx, Throwable t) {
    int status = statusOf(t);
    String detail = status == 500 && !(t instanceof AlgorithmError)
        ? "internal error; the server log has the details (request id " + ctx.attribute(InferenceServer.REQUEST_ID)
            + ")"
        : t.getMessage();
    List<String> list = null;
    String listName = null;
    if (t instanceof UnsupportedMediaTypeError u) {
      listName = "accepted";
      list = u.accepted();
    } else if (t instanceof NotAcceptableError n) {
      listName = "supported";
      list = n.producible();
    }
    send(ctx, status, detail, listName, list);
  }

  static void send(Context ctx, int status, String detail) {
    send(ctx, status, detail, null, null);
  }

  private static void send(Context ctx, int status, String detail, String listName, List<String> list) {
    StringBuilder sb = new StringBuilder(128);
    sb.append("{\"status\":").append(status).append(",\"title\":");
    quote(sb, title(status));
    sb.append(",\"detail\":");
    quote(sb, ClientText.forClient(detail));
    if (ctx.path().startsWith("/v2")) {
      // The Open Inference Protocol's clients read the message from "error".
      sb.append(",\"error\":");
      quote(sb, ClientText.forClient(detail));
    }
    if (list != null) {
      sb.append(",\"").append(listName).append("\":[");
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        quote(sb, list.get(i));
      }
      sb.append(']');
    }
    Object id = ctx.attribute(InferenceServer.REQUEST_ID);
    if (id != null) {
      sb.append(",\"requestId\":");
      quote(sb, id.toString());
    }
    sb.append("}\n");
    ctx.attribute(InferenceServer.ERROR_DETAIL, ClientText.printable(detail == null ? "" : detail));
    ctx.status(status).contentType("application/json").result(sb.toString());
  }

  static String title(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 408 -> "Request Timeout";
      case 411 -> "Length Required";
      case 414 -> "URI Too Long";
      case 417 -> "Expectation Failed";
      case 431 -> "Request Header Fields Too Large";
      case 501 -> "Not Implemented";
      case 505 -> "HTTP Version Not Supported";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 406 -> "Not Acceptable";
      case 413 -> "Payload Too Large";
      case 415 -> "Unsupported Media Type";
      case 503 -> "Service Unavailable";
      case 500 -> "Internal Server Error";
      default -> org.eclipse.jetty.http.HttpStatus.getMessage(status);
    };
  }

  static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
