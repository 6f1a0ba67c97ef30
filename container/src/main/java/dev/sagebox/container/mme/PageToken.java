package dev.sagebox.container.mme;

import dev.sagebox.engine.error.UserError;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Paging tokens of {@code GET /models}: the last name of the previous page, URL-safe base64. */
final class PageToken {
  private PageToken() {}

  static String encode(String lastName) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(lastName.getBytes(StandardCharsets.UTF_8));
  }

  static String decode(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new UserError("next_page_token '" + token + "' is not a token this server gave out", e);
    }
  }
}
