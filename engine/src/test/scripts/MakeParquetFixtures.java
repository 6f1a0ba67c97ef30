import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * Writes the Parquet test fixtures of engine/src/test/resources/parquet/ with DuckDB's own Parquet writer (C++,
 * independent of parquet-java, which the tests read them with). Run it through make-parquet-fixtures.sh.
 *
 * <p>Argument: the fixture folder; it must hold breast_cancer_20.csv (label first, 30 features, no header).
 */
public class MakeParquetFixtures {
  public static void main(String[] args) throws Exception {
    String dir = args[0];
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      s.execute("SET threads = 1");
      s.execute("SET preserve_insertion_order = true");

      StringBuilder columns = new StringBuilder("{'label': 'BIGINT'");
      for (int i = 1; i <= 30; i++) {
        columns.append(", 'f").append(i).append("': 'DOUBLE'");
      }
      columns.append('}');
      s.execute("CREATE TABLE bc AS SELECT * FROM read_csv('" + dir + "/breast_cancer_20.csv', header = false, "
          + "columns = " + columns + ")");
      for (String codec : new String[] {"snappy", "gzip", "zstd", "lz4_raw", "uncompressed"}) {
        copy(s, "bc", dir + "/breast_cancer_20." + codec + ".parquet", "COMPRESSION " + codec);
      }
      // Data page V2 with the newer encodings (BYTE_STREAM_SPLIT, DELTA_BINARY_PACKED, RLE_DICTIONARY).
      copy(s, "bc", dir + "/breast_cancer_20.v2.parquet", "COMPRESSION snappy, PARQUET_VERSION V2");
      copy(s, "(SELECT * FROM bc LIMIT 3)", dir + "/brotli.parquet", "COMPRESSION brotli");

      s.execute("CREATE TABLE nulls (y DOUBLE, d DOUBLE, i INTEGER, b BOOLEAN, f FLOAT, none DOUBLE)");
      s.execute("INSERT INTO nulls VALUES (1, 1.5, NULL, true, 0.5, NULL), (0, NULL, 2, false, 0.25, NULL), "
          + "(1, -2.25, 3, NULL, NULL, NULL), (0, NULL, NULL, true, 8, NULL), (1, NULL, 5, NULL, NULL, NULL), "
          + "(0, 3, 6, false, NULL, NULL)");
      copy(s, "nulls", dir + "/nulls.parquet", "COMPRESSION snappy");
      copy(s, "nulls", dir + "/nulls.v2.parquet", "COMPRESSION snappy, PARQUET_VERSION V2");

      s.execute("CREATE TABLE mixed (y INTEGER, i8 TINYINT, i16 SMALLINT, i32 INTEGER, i64 BIGINT, u8 UTINYINT, "
          + "u32 UINTEGER, u64 UBIGINT, f32 FLOAT, f64 DOUBLE, b BOOLEAN, d9 DECIMAL(9,2), d18 DECIMAL(18,4))");
      s.execute("INSERT INTO mixed VALUES "
          + "(3, -128, -32768, -2147483648, -9223372036854775808, 255, 4294967295, 18446744073709551615, 1.5, 0.1, "
          + "true, 1.25, 12345.6789), "
          + "(0, 0, 1, 2, 3, 0, 0, 0, -0.1, -1e300, false, -3.50, -0.0001), "
          + "(-1, 127, 32767, 2147483647, 9223372036854775807, 1, 1, 9223372036854775808, 3.4e38, 2.5, true, 0.01, 0), "
          + "(7, 5, 6, 16777217, 123456789012, 2, 3000000000, 1, 0, 1e-50, false, 9999999.99, "
          + "99999999999999.9999)");
      copy(s, "mixed", dir + "/mixed_types.parquet", "COMPRESSION snappy");

      // 5,000 rows in row groups of 2,048: three row groups, a null in every third row of b. Few distinct values
      // keep the file small (dictionary pages).
      s.execute("CREATE TABLE groups AS SELECT (i % 2)::INTEGER AS y, ((i % 50) * 0.5)::DOUBLE AS a, "
          + "CASE WHEN i % 3 = 0 THEN NULL ELSE i % 11 END::BIGINT AS b, (i % 7)::FLOAT AS c FROM range(5000) t(i)");
      copy(s, "groups", dir + "/row_groups.parquet", "COMPRESSION snappy, ROW_GROUP_SIZE 2048");

      copy(s, "(SELECT 1::INTEGER AS y, 2.5::DOUBLE AS x, 'Lisbon' AS city UNION ALL "
          + "SELECT 0, 3.5, 'Porto')", dir + "/string_feature.parquet", "COMPRESSION snappy");
      copy(s, "(SELECT 1::INTEGER AS y, [1, 2]::INTEGER[] AS tags UNION ALL SELECT 0, [3])",
          dir + "/list_feature.parquet", "COMPRESSION snappy");
      copy(s, "(SELECT 1::INTEGER AS y, {'x': 1.0, 'y': 2.0}::STRUCT(x DOUBLE, y DOUBLE) AS point)",
          dir + "/struct_feature.parquet", "COMPRESSION snappy");
      copy(s, "(SELECT 1::INTEGER AS y, TIMESTAMP '2024-05-01 12:00:00' AS seen)",
          dir + "/timestamp_feature.parquet", "COMPRESSION snappy");
      copy(s, "(SELECT 1::INTEGER AS y, 12.5::DECIMAL(38,2) AS amount)",
          dir + "/wide_decimal_feature.parquet", "COMPRESSION snappy");
      copy(s, "(SELECT y::DOUBLE AS y, x::DOUBLE AS x FROM (VALUES (1, 0.5), (0, 1.5), (NULL, 2.5), (1, 3.5)) t(y, x))",
          dir + "/null_label.parquet", "COMPRESSION snappy");
      copy(s, "(SELECT y, x::DOUBLE AS x FROM (VALUES ('yes', 0.5), ('no', 1.5)) t(y, x))",
          dir + "/string_label.parquet", "COMPRESSION snappy");
      copy(s, "(SELECT 1::INTEGER AS y)", dir + "/label_only.parquet", "COMPRESSION snappy");
      copy(s, "(SELECT 1::INTEGER AS y, 1.0::DOUBLE AS x WHERE false)", dir + "/empty.parquet",
          "COMPRESSION snappy");
    }
  }

  private static void copy(Statement s, String from, String file, String options) throws Exception {
    s.execute("COPY " + from + " TO '" + file + "' (FORMAT parquet, " + options + ")");
  }
}
