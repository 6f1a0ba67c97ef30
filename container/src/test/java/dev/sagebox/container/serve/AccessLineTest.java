package dev.sagebox.container.serve;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The access-log line: a client's inference id or error text cannot add fields to it. */
class AccessLineTest {
  @Test
  void aPlainIdStaysAsItIs() {
    assertThat(InferenceServer.accessLine("127.0.0.1", "POST", "/invocations", 200, 0.5f, "job-42:a/b", 3, null))
        .isEqualTo("127.0.0.1 POST /invocations 200 0.50ms id=job-42:a/b rows=3");
  }

  @Test
  void anIdWithSpacesOrQuotesIsQuotedAndCannotForgeFields() {
    String line = InferenceServer.accessLine("127.0.0.1", "POST", "/invocations", 400, 0.76f,
        "x rows=999 error=\"forged\"", null, "request body, line 1: 'x' is not a number");
    assertThat(line).isEqualTo("127.0.0.1 POST /invocations 400 0.76ms id=\"x rows=999 error=\\\"forged\\\"\""
        + " error=\"request body, line 1: 'x' is not a number\"");
  }

  @Test
  void quotesInTheErrorAreEscaped() {
    String line = InferenceServer.accessLine("::1", "POST", "/invocations", 400, 1f, "id1", null,
        "bad token '\" rows=1 x=\"'\nnext");
    assertThat(line).endsWith(" error=\"bad token '\\\" rows=1 x=\\\"'\\\\x0anext\"");
  }
}
