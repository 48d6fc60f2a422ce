package dev.eventbus.broker.monitor;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP adapter: decodes the path and query, asks {@link Monitor}, writes the answer the way nats-server's handlers
 * do (status, body, content type, JSONP). Any method is accepted, as in nats-server. Stateless, so one instance
 * serves every connection.
 */
@ChannelHandler.Sharable
final class MonitorHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final String ROOT = "/";
    static final String VARZ = "/varz";
    static final String CONNZ = "/connz";
    static final String SUBSZ = "/subsz";
    static final String SUBSCRIPTIONSZ = "/subscriptionsz";
    static final String HEALTHZ = "/healthz";
    static final String GATEWAYZ = "/gatewayz";

    private static final Logger log = LoggerFactory.getLogger(MonitorHttpHandler.class);
    private static final String JSON = "application/json";
    private static final String JAVASCRIPT = "application/javascript";
    /** What Go's content sniffing picks for our plain-text bodies. */
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String HTML = "text/html; charset=utf-8";

    private final Monitor monitor;

    MonitorHttpHandler(Monitor monitor) { this.monitor = monitor; }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            respond(ctx, req, HttpResponseStatus.BAD_REQUEST, TEXT, "400 Bad Request", false);
            return;
        }
        String uri = req.uri();
        int q = uri.indexOf('?');
        String path;
        try {
            path = new QueryStringDecoder(q < 0 ? uri : uri.substring(0, q)).path();
        } catch (IllegalArgumentException badEscape) {
            respond(ctx, req, HttpResponseStatus.BAD_REQUEST, TEXT, "400 Bad Request", false);
            return;
        }
        QueryParams params = QueryParams.parse(q < 0 ? null : uri.substring(q + 1));
        try {
            route(ctx, req, path, params);
        } catch (MonitorException e) {
            respond(ctx, req, HttpResponseStatus.BAD_REQUEST, TEXT, e.getMessage(), false);
        } catch (RuntimeException e) {
            log.warn("monitoring request {} failed", uri, e);
            respond(ctx, req, HttpResponseStatus.INTERNAL_SERVER_ERROR, TEXT, "500 Internal Server Error", false);
        }
    }

    /** Where each endpoint counts itself mirrors nats-server: before or after decoding its parameters. */
    private void route(ChannelHandlerContext ctx, FullHttpRequest req, String path, QueryParams params) {
        switch (path) {
            case ROOT:
                monitor.countRequest(ROOT);
                respond(ctx, req, HttpResponseStatus.OK, HTML, RootPage.html(), false);
                return;
            case VARZ:
                monitor.countRequest(VARZ);
                json(ctx, req, params, HttpResponseStatus.OK, MonitorJson.varz(monitor.varz()));
                return;
            case CONNZ: {
                ConnzOptions opts = ConnzOptions.fromQuery(params);
                monitor.countRequest(CONNZ);
                json(ctx, req, params, HttpResponseStatus.OK, MonitorJson.connz(monitor.connz(opts)));
                return;
            }
            case SUBSZ:
            case SUBSCRIPTIONSZ: {
                monitor.countRequest(SUBSZ);
                SubszOptions opts = SubszOptions.fromQuery(params);
                json(ctx, req, params, HttpResponseStatus.OK, MonitorJson.subsz(monitor.subsz(opts)));
                return;
            }
            case GATEWAYZ:
                monitor.countRequest(GATEWAYZ);
                json(ctx, req, params, HttpResponseStatus.OK, monitor.gatewayzJson(params));
                return;
            case HEALTHZ: {
                monitor.countRequest(HEALTHZ);
                // JetStream switches: validated like nats-server, meaningless without JetStream
                params.bool("js-enabled");
                params.bool("js-enabled-only");
                params.bool("js-server-only");
                Healthz h = monitor.healthz();
                HttpResponseStatus status = h.ok() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE;
                json(ctx, req, params, status, MonitorJson.healthz(h));
                return;
            }
            default:
                // Go's ServeMux sends every unknown path to the "/" handler, which answers http.NotFound
                respond(ctx, req, HttpResponseStatus.NOT_FOUND, TEXT, "404 page not found\n", true);
        }
    }

    /**
     * nats-server's {@code ResponseHandler}: JSON, or JSONP when {@code callback} is set. A non-200 status is written
     * before the content type is set there, so Go sniffs the body and says text/plain; we say the same.
     */
    private static void json(ChannelHandlerContext ctx, FullHttpRequest req, QueryParams params,
                             HttpResponseStatus status, String json) {
        String callback = params.get("callback");
        String type = callback.isEmpty() ? JSON : JAVASCRIPT;
        if (status.code() != 200) type = TEXT;
        String body = callback.isEmpty() ? json : callback + "(" + json + ")";
        respond(ctx, req, status, type, body, false);
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status,
                                String contentType, String body, boolean noSniff) {
        ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        if (noSniff) res.headers().set("X-Content-Type-Options", "nosniff");
        res.headers().set(HttpHeaderNames.DATE, DateFormatter.format(new Date()));
        HttpUtil.setContentLength(res, content.readableBytes());
        boolean keepAlive = HttpUtil.isKeepAlive(req) && req.decoderResult().isSuccess();
        HttpUtil.setKeepAlive(res, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(res, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("monitoring connection {} failed", ctx.channel(), cause);
        ctx.close();
    }
}
