package dev.respite.storage.persistence;

import static dev.respite.storage.persistence.RdbFormat.*;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes an RDB file of version {@link RdbFormat#WRITE_VERSION} piece by piece, so that a caller can write
 * a snapshot incrementally: {@link #writeHeader}, then per database {@link #writeDatabaseSelector} and its
 * {@link #writeEntry entries}, then {@link #writeFooter}. Buffers internally; the caller owns the stream.
 */
public final class RdbWriter {
    private final RdbOutput out;
    private final ValueEncoder values;

    public RdbWriter(OutputStream out) {
        this.out = new RdbOutput(out, true, 64 * 1024);
        this.values = new ValueEncoder(this.out);
    }

    /** The signature and version, then the given auxiliary fields (name, value, name, value...). */
    public void writeHeader(String... aux) throws IOException {
        if (aux.length % 2 != 0) {
            throw new IllegalArgumentException("aux fields come in name/value pairs");
        }
        byte[] magic = String.format("REDIS%04d", WRITE_VERSION).getBytes(StandardCharsets.US_ASCII);
        out.write(magic, 0, magic.length);
        for (int i = 0; i < aux.length; i += 2) {
            writeAux(aux[i], aux[i + 1]);
        }
    }

    public void writeAux(String name, String value) throws IOException {
        out.writeByte(OPCODE_AUX);
        out.writeString(name.getBytes(StandardCharsets.UTF_8));
        out.writeString(value.getBytes(StandardCharsets.UTF_8));
    }

    /** One function library's code, as Redis 7 saves libraries before the databases. */
    public void writeFunction(byte[] code) throws IOException {
        out.writeByte(OPCODE_FUNCTION2);
        out.writeString(code);
    }

    /** Starts a database: SELECTDB and the RESIZEDB hint of its key and expiring-key counts. */
    public void writeDatabaseSelector(int db, long keys, long expires) throws IOException {
        out.writeByte(OPCODE_SELECTDB);
        out.writeLength(db);
        out.writeByte(OPCODE_RESIZEDB);
        out.writeLength(keys);
        out.writeLength(expires);
    }

    /** One key: its expiry (Unix milliseconds, or -1 for none), type, key and value. */
    public void writeEntry(byte[] key, Object value, long expireAt) throws IOException {
        if (expireAt >= 0) {
            out.writeByte(OPCODE_EXPIRETIME_MS);
            out.writeLittleEndian(expireAt, 8);
        }
        out.writeByte(ValueEncoder.typeOf(value));
        out.writeString(key);
        values.write(value);
    }

    /** The EOF opcode and the CRC-64 of the whole file; flushes the stream. */
    public void writeFooter() throws IOException {
        out.writeByte(OPCODE_EOF);
        long crc = out.crc();
        out.writeLittleEndian(crc, 8);
        out.flush();
    }

    public long bytesWritten() {
        return out.bytesWritten();
    }
}
