package dev.sagebox.engine.data.csv;

/** What to say about a CSV field that is not a number: for a label, a weight or a value, and for a byte-order mark. */
final class FieldProblems {
  private static final String BOM = "\uFEFF"; // a UTF-8 byte-order mark, decoded

  private FieldProblems() {}

  /** The problem with {@code token}, read as the row's label, weight or a value ({@code what}). */
  static String notANumber(String what, String token) {
    if (token.startsWith(BOM)) {
      return byteOrderMark(token);
    }
    if (what.equals("label")) {
      return token.isEmpty() ? "the label (first column) is empty; every training row needs a label"
          : "cannot read label '" + token + "' as a number (a label is a finite decimal number such as 1, 0, -0.5 "
              + "or 2.5e-3; nan, inf and empty are not labels)";
    }
    return "cannot read " + what + " '" + token + "' as a number (accepted: decimal numbers such as 1, -0.5, 2.5e-3, "
        + "and nan or an empty field for a missing value)";
  }

  /** Whether {@code token} starts with a byte-order mark. */
  static boolean startsWithByteOrderMark(String token) {
    return token.startsWith(BOM);
  }

  /** The text started with a byte-order mark, which is invisible in the token as printed. */
  static String byteOrderMark(String token) {
    return "the text starts with a UTF-8 byte-order mark (BOM, invisible in most editors) before '"
        + token.substring(BOM.length()) + "'; save it as UTF-8 without a BOM";
  }
}
