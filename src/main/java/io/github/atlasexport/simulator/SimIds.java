package io.github.atlasexport.simulator;

/**
 * 24-hex-digit ids shaped like Atlas ObjectIds: 8 digits telling the kind of thing, 16 digits of
 * serial. Storing the serial instead of the text keeps 500,000 simulated jobs cheap.
 */
final class SimIds {
    static final int PROJECT = 1;
    static final int CLUSTER = 2;
    static final int SNAPSHOT = 3;
    static final int BUCKET = 4;
    static final int JOB = 5;
    static final int COMPONENT = 6;
    static final int ORG = 7;

    private static final long PREFIX = 0x6560a100L;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private SimIds() {
    }

    static String of(int kind, long serial) {
        char[] out = new char[24];
        write(out, 0, PREFIX + kind, 8);
        write(out, 8, serial, 16);
        return new String(out);
    }

    /** The serial of an id made by {@link #of} for this kind, or -1 for any other text. */
    static long serialOf(int kind, String id) {
        if (id == null || id.length() != 24 || !id.startsWith(of(kind, 0).substring(0, 8))) {
            return -1;
        }
        try {
            return Long.parseUnsignedLong(id.substring(8), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void write(char[] out, int at, long value, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            out[at + i] = HEX[(int) (value & 0xf)];
            value >>>= 4;
        }
    }
}
