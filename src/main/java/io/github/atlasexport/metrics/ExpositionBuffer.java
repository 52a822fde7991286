package io.github.atlasexport.metrics;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bytes of one scrape as they are written: an unsynchronized {@code ByteArrayOutputStream}
 * (whose {@code write(int)} takes a lock per byte) that can also append text in UTF-8, escaped the
 * way both text formats escape label values.
 */
final class ExpositionBuffer extends OutputStream {
    private byte[] bytes;
    private int size;

    ExpositionBuffer(int capacity) {
        bytes = new byte[Math.max(capacity, 64)];
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    boolean endsWith(byte[] suffix) {
        return size >= suffix.length && Arrays.equals(bytes, size - suffix.length, size, suffix, 0, suffix.length);
    }

    /** Takes back what was written after the first {@code newSize} bytes. */
    void truncate(int newSize) {
        if (newSize < 0 || newSize > size) {
            throw new IllegalArgumentException("cannot truncate " + size + " bytes to " + newSize);
        }
        size = newSize;
    }

    @Override
    public void write(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, size, len);
        size += len;
    }

    @Override
    public void write(byte[] b) {
        write(b, 0, b.length);
    }

    /** Text known to be ASCII, such as a number's digits. */
    void ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[size++] = (byte) s.charAt(i);
        }
    }

    /** A label value in UTF-8, with backslash, double quote and newline escaped by a backslash. */
    void labelValue(String s) {
        int n = s.length();
        ensure(n);
        int start = size;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || c == '\\' || c == '"' || c == '\n') {
                size = start; // rare: redo the whole value the slow way
                write(escape(s).getBytes(StandardCharsets.UTF_8));
                return;
            }
            bytes[size++] = (byte) c;
        }
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private void ensure(int more) {
        if (bytes.length - size < more) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
