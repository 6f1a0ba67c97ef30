/**
 * {@code application/x-recordio-protobuf}: RecordIO framing ({@link dev.sagebox.engine.data.recordio.RecordIOReader},
 * {@link dev.sagebox.engine.data.recordio.RecordIOWriter}) around {@code aialgs.data.Record} protobuf messages, whose
 * Java classes protoc generates at build time from {@code src/main/proto/record.proto}. Read for training
 * ({@link dev.sagebox.engine.data.recordio.RecordIOProtobufReader#readLabeled}) and for requests
 * ({@link dev.sagebox.engine.data.recordio.RecordIOProtobufReader#readFeatures}). Records are decoded straight from
 * their bytes with protobuf-java's {@code CodedInputStream} ({@code RecordScanner}); the generated classes take the
 * records it hands over (unusual encodings) and word every error.
 */
package dev.sagebox.engine.data.recordio;
