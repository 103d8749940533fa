package io.paddock.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.paddock.storage.CorruptRecordException;
import io.paddock.storage.TxnCodec;
import io.paddock.tree.TxnRecord;
import java.io.IOException;

/**
 * Lets akka-serialization-jackson carry {@link TxnRecord}s in peer messages: each record travels as
 * one binary value holding exactly the bytes the transaction log stores ({@link TxnCodec}), so a
 * proposal is encoded the same way on the wire and on disk, and {@code Txn}'s many record types need
 * no polymorphic type information. Registered through {@code akka.serialization.jackson.jackson-modules}.
 */
public final class TxnRecordJacksonModule extends SimpleModule {

    public TxnRecordJacksonModule() {
        super("paddock-txn-record");
        addSerializer(TxnRecord.class, new JsonSerializer<>() {
            @Override
            public void serialize(TxnRecord record, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeBinary(TxnCodec.encode(record));
            }
        });
        addDeserializer(TxnRecord.class, new JsonDeserializer<>() {
            @Override
            public TxnRecord deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                byte[] bytes = p.getBinaryValue();
                try {
                    return TxnCodec.decode(bytes, 0, bytes.length);
                } catch (CorruptRecordException e) {
                    return (TxnRecord) ctxt.handleWeirdStringValue(TxnRecord.class, "(binary)",
                            "not a transaction record: %s", e.getMessage());
                }
            }
        });
    }
}
