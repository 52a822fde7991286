package io.github.atlasexport.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One connection's deadlines, set just after the HTTP codec: a new connection has
 * {@code requestReadTimeout} to deliver a whole request, and once its last answer is written it has
 * {@code idleTimeout} to deliver the next one; else it is closed. No deadline runs while a request is
 * being answered. Also stamps the headers every response carries. Runs on the connection's event loop only.
 */
final class ConnectionGuard extends ChannelDuplexHandler {
    /** Nothing but the status page's own inline styles: no scripts, frames, forms or outside resources. */
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final Duration requestReadTimeout;
    private final Duration idleTimeout;
    private ScheduledFuture<?> deadline;
    private int unanswered;
    private boolean reading;

    ConnectionGuard(Duration requestReadTimeout, Duration idleTimeout) {
        this.requestReadTimeout = requestReadTimeout;
        this.idleTimeout = idleTimeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        closeAfter(ctx, requestReadTimeout);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelDeadline();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelDeadline();
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest) {
            unanswered++;
            reading = true;
            closeAfter(ctx, requestReadTimeout); // the headers are in: the body gets its own full timeout
        }
        if (msg instanceof LastHttpContent) {
            reading = false;
            idleOnceAnswered(ctx);
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse response) {
            response.headers()
                    .set("X-Content-Type-Options", "nosniff")
                    .set(HttpHeaderNames.CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
        }
        if (msg instanceof LastHttpContent) {
            ChannelPromise written = promise.unvoid();
            written.addListener(future -> {
                unanswered = Math.max(0, unanswered - 1);
                idleOnceAnswered(ctx);
            });
            super.write(ctx, msg, written);
            return;
        }
        super.write(ctx, msg, promise);
    }

    /**
     * A quick handler answers before the codec has passed on the end of its request: the idle deadline
     * starts only once the request is read and every answer written; until then none runs.
     */
    private void idleOnceAnswered(ChannelHandlerContext ctx) {
        if (reading) {
            return;
        }
        if (unanswered == 0) {
            closeAfter(ctx, idleTimeout);
        } else {
            cancelDeadline();
        }
    }

    private void closeAfter(ChannelHandlerContext ctx, Duration timeout) {
        cancelDeadline();
        deadline = ctx.executor().schedule(() -> ctx.close(), timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
