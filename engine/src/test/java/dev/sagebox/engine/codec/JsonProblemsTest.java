package dev.sagebox.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sagebox.engine.data.MediaType;
import dev.sagebox.engine.error.UserError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Malformed JSON rows are answered with what was wrong, without Jackson's settings and method names. */
class JsonProblemsTest {
  private final Codecs codecs = Codecs.standard();

  private String problem(String body) {
    Throwable t = catchThrowable(() -> codecs.decoderFor("application/json").decode(
        body.getBytes(StandardCharsets.UTF_8), MediaType.JSON, InputShape.strict(2)));
    assertThat(t).isInstanceOf(UserError.class);
    return t.getMessage();
  }

  @Test
  void nanIsNotAJsonNumberAndNullIsTheMissingValue() {
    assertThat(problem("{\"instances\": [[NaN, 1.5]]}"))
        .contains("'NaN' is not a JSON number").contains("send null for a missing value")
        .doesNotContain("JsonReadFeature").doesNotContain("`");
  }

  @Test
  void limitsAndTruncationNameNoParserInternals() {
    String deep = "[".repeat(2_000) + "]".repeat(2_000);
    String nested = problem(deep);
    assertThat(nested).contains("nesting").doesNotContain("StreamReadConstraints").doesNotContain("`");
    String truncated = problem("{\"instances\": [[1.5, 2");
    assertThat(truncated).contains("end-of-input").doesNotContain("REDACTED").doesNotContain("StreamReadFeature");
    String longNumber = problem("[[" + "1".repeat(2_000) + "]]");
    assertThat(longNumber).doesNotContain("StreamReadConstraints").doesNotContain("`");
  }

  @Test
  void blanksAndAnEmptyListAreNoRowsAsAnEmptyInstancesList() {
    for (String body : new String[] {" \n ", "[]", " [ ] ", "{\"instances\": []}"}) {
      assertThat(codecs.decoderFor("application/json").decode(body.getBytes(StandardCharsets.UTF_8), MediaType.JSON,
          InputShape.strict(2)).rows()).as(body).isZero();
    }
  }
}
