package dev.eventbus.audit.capture;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.time.Duration;

/**
 * GETs monitoring endpoints over HTTP/1.1, with the timeout applied to connecting and to every wait for data.
 * A server that accepts but does not answer costs one timeout per request.
 */
public final class MonitorClient {
    /** Refuse answers larger than this (a monitoring reply is at most tens of MB even for 1024 connections). */
    private static final int MAX_BODY = 512 * 1024 * 1024;

    /** An HTTP answer, whatever its status. */
    public record Response(int status, byte[] body) {}

    /** The request did not produce an answer: refused, timed out, reset... The message says which, in one line. */
    public static final class FetchException extends Exception {
        private final boolean timeout;

        FetchException(String message, boolean timeout) {
            super(message);
            this.timeout = timeout;
        }

        /** True when the server did not connect or answer in time: a slow server. */
        public boolean isTimeout() { return timeout; }
    }

    private final Duration timeout;

    public MonitorClient(Duration timeout) { this.timeout = timeout; }

    public Duration timeout() { return timeout; }

    public Response get(MonitorUrl server, String path, String query) throws FetchException {
        HttpURLConnection c = null;
        try {
            URL url = server.endpoint(path, query).toURL();
            c = (HttpURLConnection) url.openConnection();
            int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
            c.setConnectTimeout(ms);
            c.setReadTimeout(ms);
            c.setInstanceFollowRedirects(false);
            c.setUseCaches(false);
            c.setRequestProperty("Accept", "application/json");
            c.setRequestProperty("User-Agent", "eventbus-audit");
            String auth = server.authorization();
            if (auth != null) c.setRequestProperty("Authorization", auth);
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            byte[] body;
            if (in == null) {
                body = new byte[0];
            } else {
                try (in) {
                    body = in.readNBytes(MAX_BODY + 1);
                }
            }
            if (body.length > MAX_BODY) throw new FetchException("the answer is larger than " + MAX_BODY + " bytes", false);
            return new Response(status, body);
        } catch (SocketTimeoutException e) {
            String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(java.util.Locale.ROOT);
            throw new FetchException((m.contains("connect") ? "connecting timed out after " : "no answer within ") + seconds(), true);
        } catch (ConnectException e) {
            throw new FetchException("connection refused", false);
        } catch (IOException e) {
            if (c != null) c.disconnect();
            String m = e.getMessage();
            throw new FetchException(m == null || m.isBlank() ? e.getClass().getSimpleName() : m, false);
        }
    }

    private String seconds() {
        long ms = timeout.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }
}
