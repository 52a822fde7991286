package io.github.atlasexport.cli;

import reactor.netty.ChannelBindException;

import java.util.Locale;
import java.util.concurrent.Callable;

/** Starts something that listens, and says which flag or config key to change when its address cannot be bound. */
final class Listening {
    private Listening() {
    }

    /** Runtime failure (exit 1): the address is well formed, something else holds it or it is not this host's. */
    static final class BindFailure extends RuntimeException {
        BindFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** {@code source} names where the address came from: {@code --listen}, {@code server.listen in FILE}. */
    static <T> T start(String source, Callable<T> start) throws Exception {
        try {
            return start.call();
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof ChannelBindException bind) {
                    throw new BindFailure("cannot listen on " + bind.localHost() + ":" + bind.localPort() + " (set by "
                            + source + "): " + reason(bind), e);
                }
            }
            throw e;
        }
    }

    private static String reason(ChannelBindException bind) {
        String detail = bind.getCause() != null ? bind.getCause().getMessage() : bind.getMessage();
        if (detail != null && detail.toLowerCase(Locale.ROOT).contains("in use")) {
            return "address in use";
        }
        return detail;
    }
}
