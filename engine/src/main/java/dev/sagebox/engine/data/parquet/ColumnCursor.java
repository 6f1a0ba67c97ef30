package dev.sagebox.engine.data.parquet;

import java.io.IOException;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ValuesType;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.values.ValuesReader;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridDecoder;
import org.apache.parquet.io.ParquetDecodingException;

/**
 * Reads one flat column of one row group, page after page, into floats at a fixed stride (the row width of a
 * row-major array). All decoding (levels, PLAIN, dictionary, delta, byte-stream-split, decompression) is
 * parquet-java's; this class only walks the pages and converts each value to float, with nulls as NaN.
 *
 * <p>Nullable columns are handled a block at a time: the definition levels of the block are decoded first, then
 * each run of present values is copied in one tight loop, so sparse nulls cost little.
 */
final class ColumnCursor {
  private final PageReader pages;
  private final ColumnDescriptor descriptor;
  private final ValueKind kind;
  private final double divisor;
  private final int maxDefinition;
  private final Dictionary dictionary;

  private ValuesReader values;
  private ValuesReader levelsV1;
  private RunLengthBitPackingHybridDecoder levelsV2;
  private int leftInPage;
  private int[] levelBuffer = new int[0];
  private long done;
  private long firstNull = -1;

  ColumnCursor(ColumnPlan plan, PageReader pages) throws IOException {
    this.pages = pages;
    this.descriptor = plan.descriptor();
    this.kind = plan.kind();
    this.divisor = plan.divisor();
    this.maxDefinition = descriptor.getMaxDefinitionLevel();
    DictionaryPage page = pages.readDictionaryPage();
    this.dictionary = page == null ? null : page.getEncoding().initDictionary(descriptor, page);
  }

  /** Row index (0-based, within this row group) of the first null read so far, or -1. */
  long firstNull() {
    return firstNull;
  }

  /** Reads the next {@code count} values into {@code out[at]}, {@code out[at + stride]}, ... */
  void fill(float[] out, int at, int stride, int count) throws IOException {
    while (count > 0) {
      if (leftInPage == 0) {
        nextPage();
      }
      int n = Math.min(count, leftInPage);
      if (levelsV1 == null && levelsV2 == null) {
        copy(out, at, stride, n);
      } else {
        copyWithNulls(out, at, stride, n);
      }
      leftInPage -= n;
      count -= n;
      done += n;
      at += n * stride;
    }
  }

  private void copyWithNulls(float[] out, int at, int stride, int n) throws IOException {
    if (levelBuffer.length < n) {
      levelBuffer = new int[Math.max(n, 1024)];
    }
    int[] levels = levelBuffer;
    if (levelsV1 != null) {
      for (int i = 0; i < n; i++) {
        levels[i] = levelsV1.readInteger();
      }
    } else {
      for (int i = 0; i < n; i++) {
        levels[i] = levelsV2.readInt();
      }
    }
    int i = 0;
    while (i < n) {
      int start = i;
      while (i < n && levels[i] == maxDefinition) {
        i++;
      }
      if (i > start) {
        copy(out, at + start * stride, stride, i - start);
      }
      if (i < n) {
        if (firstNull < 0) {
          firstNull = done + i;
        }
        out[at + i * stride] = Float.NaN;
        i++;
      }
    }
  }

  private void copy(float[] out, int at, int stride, int n) {
    ValuesReader v = values;
    switch (kind) {
      case DOUBLE -> {
        for (int i = 0, p = at; i < n; i++, p += stride) {
          out[p] = (float) v.readDouble();
        }
      }
      case FLOAT -> {
        for (int i = 0, p = at; i < n; i++, p += stride) {
          out[p] = v.readFloat();
        }
      }
      case INT32 -> {
        for (int i = 0, p = at; i < n; i++, p += stride) {
          out[p] = v.readInteger();
        }
      }
      case UINT32 -> {
        for (int i = 0, p = at; i < n; i++, p += stride) {
          out[p] = Integer.toUnsignedLong(v.readInteger());
        }
      }
      case DECIMAL32 -> {
        for (int i = 0, p = at; i < n; i++, p += stride) {
          out[p] = (float) (v.readInteger() / divisor);
        }
      }
      case INT64 -> {
        for (int i = 0, p = at; i < n; i++, p += stride) {
          out[p] = v.readLong();
        }
      }
      case UINT64 -> {
        for (int i = 0, p = at; i < n; i++, p += stride) {
          out[p] = unsignedToFloat(v.readLong());
        }
      }
      case DECIMAL64 -> {
        for (int i = 0, p = at; i < n; i++, p += stride) {
          out[p] = (float) (v.readLong() / divisor);
        }
      }
      case BOOLEAN -> {
        for (int i = 0, p = at; i < n; i++, p += stride) {
          out[p] = v.readBoolean() ? 1f : 0f;
        }
      }
      default -> throw new IllegalStateException("unhandled kind " + kind);
    }
  }

  /** Correctly rounded unsigned 64-bit to float: halve keeping the lowest bit sticky, convert, double. */
  static float unsignedToFloat(long v) {
    return v >= 0 ? (float) v : (float) ((v >>> 1) | (v & 1)) * 2f;
  }

  private void nextPage() throws IOException {
    DataPage page = pages.readPage();
    if (page == null) {
      throw new ParquetDecodingException("the column chunk ends after " + done + " values, before the row group does");
    }
    leftInPage = page.getValueCount();
    levelsV1 = null;
    levelsV2 = null;
    Encoding encoding;
    ByteBufferInputStream in;
    if (page instanceof DataPageV1 v1) {
      in = v1.getBytes().toInputStream();
      // Flat columns have no repetition levels; initialising the reader steps over any the writer left.
      v1.getRlEncoding().getValuesReader(descriptor, ValuesType.REPETITION_LEVEL).initFromPage(leftInPage, in);
      if (maxDefinition > 0) {
        levelsV1 = v1.getDlEncoding().getValuesReader(descriptor, ValuesType.DEFINITION_LEVEL);
        levelsV1.initFromPage(leftInPage, in);
      }
      encoding = v1.getValueEncoding();
    } else {
      DataPageV2 v2 = (DataPageV2) page;
      if (maxDefinition > 0 && v2.getNullCount() > 0) {
        levelsV2 = new RunLengthBitPackingHybridDecoder(BytesUtils.getWidthFromMaxInt(maxDefinition),
            v2.getDefinitionLevels().toInputStream());
      }
      in = v2.getData().toInputStream();
      encoding = v2.getDataEncoding();
    }
    if (encoding.usesDictionary()) {
      if (dictionary == null) {
        throw new ParquetDecodingException("a page uses " + encoding + " but the column chunk has no dictionary");
      }
      values = encoding.getDictionaryBasedValuesReader(descriptor, ValuesType.VALUES, dictionary);
    } else {
      values = encoding.getValuesReader(descriptor, ValuesType.VALUES);
    }
    values.initFromPage(leftInPage, in);
  }
}
