package io.github.atlasexport.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One logfmt line per event: {@code ts=2026-12-06T07:12:00.123Z level=info logger=... msg="..." err="..."}.
 * Hand-written because logback's PatternLayout can neither lower-case the level nor escape quotes,
 * backslashes and newlines in the message and stack trace, and no logfmt layout for logback is at hand.
 */
public final class LogfmtLayout extends LayoutBase<ILoggingEvent> {
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
            .withZone(ZoneOffset.UTC);

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(160)
                .append("ts=").append(TIMESTAMP.format(Instant.ofEpochMilli(event.getTimeStamp())))
                .append(" level=").append(event.getLevel().toString().toLowerCase(Locale.ROOT))
                .append(" logger=").append(event.getLoggerName())
                .append(" msg=");
        quoted(line, event.getFormattedMessage());
        IThrowableProxy error = event.getThrowableProxy();
        if (error != null) {
            line.append(" err=");
            quoted(line, ThrowableProxyUtil.asString(error).strip());
        }
        return line.append('\n').toString();
    }

    /** {@code "text"} with backslash, quote and control characters escaped, so one event stays one line. */
    static void quoted(StringBuilder line, String text) {
        line.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> line.append("\\\"");
                case '\\' -> line.append("\\\\");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> {
                    if (c < 0x20) {
                        line.append(String.format("\\u%04x", (int) c));
                    } else {
                        line.append(c);
                    }
                }
            }
        }
        line.append('"');
    }
}
