package dev.sagebox.engine.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * What was wrong with a JSON text, said to the client without Jackson's internals: its messages name parser
 * settings and Java methods ({@code enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow},
 * {@code from `StreamReadConstraints.getMaxNestingDepth()`}, {@code Source: REDACTED (...)}) that a caller cannot
 * change. The first line of the message is kept, those parts are taken out, and NaN and Infinity get their own
 * answer: they are not JSON numbers, and null is how a missing value is sent.
 */
public final class JsonProblems {
  private static final Pattern SOURCE = Pattern.compile("Source: REDACTED \\(`[^`]*` disabled\\); ");
  private static final Pattern FROM_SETTING = Pattern.compile(", from `[^`]*`");
  private static final Pattern ENABLE_HINT = Pattern.compile(":? (?:enable|disable) `[^`]*` to allow");
  private static final Pattern ANY_CODE = Pattern.compile(" ?\\(?`[^`]*`\\)?");

  private JsonProblems() {}

  /** The problem in one line, e.g. {@code Unexpected character ('x' (code 120)): expected a valid value ...}. */
  public static String describe(IOException e) {
    String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    if (m == null || m.isBlank()) {
      return "not valid JSON";
    }
    int nl = m.indexOf('\n');
    m = nl < 0 ? m : m.substring(0, nl);
    if (m.startsWith("Non-standard token '")) {
      return m.substring(0, m.indexOf('\'', 20) + 1) + " is not a JSON number (NaN and Infinity are not JSON; send"
          + " null for a missing value)";
    }
    m = SOURCE.matcher(m).replaceAll("");
    m = FROM_SETTING.matcher(m).replaceAll("");
    m = ENABLE_HINT.matcher(m).replaceAll("");
    m = ANY_CODE.matcher(m).replaceAll("");
    return m.strip();
  }
}
