package dev.sagebox.engine.data.parquet;

import io.airlift.compress.Decompressor;
import io.airlift.compress.MalformedInputException;
import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Page decompression for parquet-java without Hadoop's codec classes and without native libraries: SNAPPY, ZSTD and
 * LZ4_RAW through aircompressor (pure Java, the library parquet-java itself uses for LZ4_RAW), GZIP through the
 * JDK's zlib. One instance per open file reader: the decompressors keep state and are not shared between threads.
 * Reading only; {@link #getCompressor} refuses.
 */
final class PageDecompressors implements CompressionCodecFactory {
  private final Map<CompressionCodecName, BytesInputDecompressor> byCodec = new EnumMap<>(CompressionCodecName.class);

  @Override
  public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
    return byCodec.computeIfAbsent(codec, c -> switch (c) {
      case UNCOMPRESSED -> new Page(c, null);
      case SNAPPY -> new Page(c, new SnappyDecompressor());
      case ZSTD -> new Page(c, new ZstdDecompressor());
      case LZ4_RAW -> new Page(c, new Lz4Decompressor());
      case GZIP -> new Page(c, null);
      default -> throw new UnsupportedOperationException("no decompressor for " + c);
    });
  }

  @Override
  public BytesInputCompressor getCompressor(CompressionCodecName codec) {
    throw new UnsupportedOperationException("Sagebox reads Parquet files only");
  }

  @Override
  public void release() {
    byCodec.clear();
  }

  /** One codec's pages: compressed bytes in, a fresh array of exactly the page's uncompressed size out. */
  private record Page(CompressionCodecName codec, Decompressor decompressor) implements BytesInputDecompressor {

    @Override
    public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
      if (codec == CompressionCodecName.UNCOMPRESSED) {
        return bytes;
      }
      ByteBuffer in = bytes.toByteBuffer();
      byte[] out = new byte[uncompressedSize];
      if (in.hasArray()) {
        decompress(in.array(), in.arrayOffset() + in.position(), in.remaining(), out);
      } else {
        byte[] copy = new byte[in.remaining()];
        in.get(copy);
        decompress(copy, 0, copy.length, out);
      }
      return BytesInput.from(out);
    }

    @Override
    public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
        throws IOException {
      byte[] in = new byte[compressedSize];
      input.duplicate().get(in);
      byte[] out = new byte[uncompressedSize];
      decompress(in, 0, compressedSize, out);
      output.put(out);
    }

    private void decompress(byte[] in, int offset, int length, byte[] out) throws IOException {
      int n;
      if (codec == CompressionCodecName.GZIP) {
        try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(in, offset, length), 1 << 16)) {
          n = gzip.readNBytes(out, 0, out.length);
        }
      } else {
        try {
          n = decompressor.decompress(in, offset, length, out, 0, out.length);
        } catch (MalformedInputException e) {
          throw new IOException(codec + " page does not decompress: " + e.getMessage(), e);
        }
      }
      if (n != out.length) {
        throw new IOException(codec + " page decompresses to " + n + " bytes, its header says " + out.length);
      }
    }

    @Override
    public void release() {}
  }
}
