package dev.eventbus.certs;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link SslContext} that follows its certificate and key files: when their content changes, the next NEW
 * connection gets a context built from the new files. Connections already open keep the engine they started with,
 * so they are never touched.
 *
 * <p>How changes are seen: each check reads the watched files and compares a SHA-256 of their content with what the
 * current context was built from (the modification time is kept for the log; a {@code touch} alone reloads nothing).
 * Checks happen
 * <ul>
 *   <li>in {@link #current()}, i.e. as a new connection asks for its context, at most once per
 *       {@link Builder#minCheckInterval(Duration) minCheckInterval} (1 s by default), and never blocking a caller while
 *       another thread checks;</li>
 *   <li>on a schedule, if {@link Builder#pollEvery(Duration)} or {@link Builder#pollOn} is set;</li>
 *   <li>whenever {@link #reloadIfChanged()} is called (after a SIGHUP, an admin command...).</li>
 * </ul>
 *
 * <p>A change that cannot be loaded (a half-written file, garbage, a key that does not belong to the certificate)
 * keeps the old context, logs one clear error naming the files, and tells the listeners; the same bad content is not
 * retried or logged again until the files change once more. Replace files atomically (write elsewhere, then rename;
 * {@link Pem}'s writers do) or write the key before the certificate: a mismatched pair is rejected, and a later check
 * picks up the completed pair.
 *
 * <p>Implements {@code Supplier<SslContext>}, so it plugs into the broker's {@code TlsOptions} and {@link SniMapping}.
 */
public final class ReloadingSslContext implements Supplier<SslContext>, AutoCloseable {
    public static final Duration DEFAULT_MIN_CHECK_INTERVAL = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(ReloadingSslContext.class);

    /** Builds a context from the files; any exception means the files are not usable (yet). */
    @FunctionalInterface
    public interface Loader {
        SslContext load() throws Exception;
    }

    /** Told about reloads; called on the thread that noticed the change. Exceptions are logged and ignored. */
    public interface Listener {
        /** New connections now get {@code next}. */
        default void onReload(SslContext next, SslContext previous) {}

        /** The files changed but could not be loaded; {@code kept} is still served. */
        default void onReloadFailed(Exception error, SslContext kept) {}
    }

    private final String name;
    private final Loader loader;
    private final List<Path> files;
    private final long minCheckNanos;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong nextCheck = new AtomicLong();
    private final ScheduledExecutorService ownExecutor;
    private final ScheduledFuture<?> poll;

    private volatile SslContext context;
    private volatile Instant loadedAt;
    private volatile long reloads;
    private List<String> loadedHashes;   // guarded by lock
    private List<String> failedHashes;   // guarded by lock

    private ReloadingSslContext(Builder b) {
        this.name = b.name;
        this.loader = b.loader;
        this.files = List.copyOf(b.files);
        this.minCheckNanos = b.minCheckInterval.toNanos();
        this.listeners.addAll(b.listeners);
        // initial load: fail fast, a server must not start without its certificate
        List<String> hashes = snapshot();
        SslContext first;
        try {
            first = loader.load();
        } catch (CertsException e) {
            throw e;
        } catch (Exception e) {
            throw new CertsException(name + ": cannot load TLS files " + files + ": " + oneLine(e), e);
        }
        this.context = Objects.requireNonNull(first, "the loader returned no context");
        this.loadedHashes = hashes;
        this.loadedAt = Instant.now();
        this.nextCheck.set(System.nanoTime() + minCheckNanos);
        ScheduledExecutorService exec = b.pollExecutor;
        if (b.pollEvery != null && exec == null) {
            exec = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "eventbus-tls-reload");
                t.setDaemon(true);
                return t;
            });
            this.ownExecutor = exec;
        } else {
            this.ownExecutor = null;
        }
        if (b.pollEvery != null) {
            long ms = Math.max(1, b.pollEvery.toMillis());
            this.poll = exec.scheduleWithFixedDelay(this::pollQuietly, ms, ms, TimeUnit.MILLISECONDS);
        } else {
            this.poll = null;
        }
    }

    // ---------------------------------------------------------------- factories

    /** A server without client certificates ({@link TlsContexts#server}) that follows its files. */
    public static Builder forServer(Path certChain, Path key) {
        return new Builder("server TLS", List.of(certChain, key), pw -> fileLoader(Kind.SERVER, certChain, key, null, pw));
    }

    /** A mutual-TLS server ({@link TlsContexts#serverMutual}) that follows its files, the CA file included. */
    public static Builder forServerMutual(Path certChain, Path key, Path trustedCa) {
        return new Builder("server mTLS", List.of(certChain, key, trustedCa),
                pw -> fileLoader(Kind.SERVER_MUTUAL, certChain, key, trustedCa, pw));
    }

    /** A mutual-TLS client ({@link TlsContexts#clientMutual}, host names verified) that follows its files. */
    public static Builder forClientMutual(Path certChain, Path key, Path trustedCa) {
        return new Builder("client mTLS", List.of(certChain, key, trustedCa),
                pw -> fileLoader(Kind.CLIENT_MUTUAL, certChain, key, trustedCa, pw));
    }

    /** Any context: {@code loader} builds it, and a change to any of {@code watchedFiles} triggers a reload. */
    public static Builder custom(Loader loader, List<Path> watchedFiles) {
        Objects.requireNonNull(loader, "loader");
        return new Builder("TLS", watchedFiles, pw -> loader);
    }

    private enum Kind { SERVER, SERVER_MUTUAL, CLIENT_MUTUAL }

    private static Loader fileLoader(Kind kind, Path certChain, Path key, Path trustedCa, char[] password) {
        return () -> {
            List<X509Certificate> chain = Pem.readCertificates(certChain);
            PrivateKey k = Pem.readPrivateKey(key, password);
            TlsContexts.checkPair(chain, k, key, certChain);
            X509Certificate leaf = chain.get(0);
            if (leaf.getNotAfter().toInstant().isBefore(Instant.now())) {
                LOG.warn("{}: certificate {} expired at {}; loading it anyway", certChain,
                        leaf.getSubjectX500Principal().getName(), leaf.getNotAfter().toInstant());
            }
            return switch (kind) {
                case SERVER -> TlsContexts.server(chain, k);
                case SERVER_MUTUAL -> TlsContexts.serverMutual(chain, k, Pem.readCertificates(trustedCa));
                case CLIENT_MUTUAL -> TlsContexts.clientMutual(chain, k, Pem.readCertificates(trustedCa));
            };
        };
    }

    // ---------------------------------------------------------------- use

    /**
     * The context for a new connection. Checks the files first when the last check is at least
     * {@code minCheckInterval} old; a caller never waits for another thread's check.
     */
    public SslContext current() {
        long now = System.nanoTime();
        long due = nextCheck.get();
        if (now - due >= 0 && nextCheck.compareAndSet(due, now + minCheckNanos) && lock.tryLock()) {
            try {
                checkLocked();
            } finally {
                lock.unlock();
            }
        }
        return context;
    }

    /** Same as {@link #current()}. */
    @Override
    public SslContext get() {
        return current();
    }

    /** {@code current().newHandler(alloc)}: a server-side handler for a new connection. */
    public SslHandler newHandler(ByteBufAllocator alloc) {
        return current().newHandler(alloc);
    }

    /** {@code current().newHandler(alloc, host, port)}: a client-side handler (host is verified and sent as SNI). */
    public SslHandler newHandler(ByteBufAllocator alloc, String host, int port) {
        return current().newHandler(alloc, host, port);
    }

    /** Checks the files now (waiting for a check in progress); returns whether a new context was loaded. */
    public boolean reloadIfChanged() {
        lock.lock();
        try {
            return checkLocked();
        } finally {
            lock.unlock();
        }
    }

    /** The context as it is, without checking the files. */
    public SslContext peek() {
        return context;
    }

    public void addListener(Listener l) {
        listeners.add(Objects.requireNonNull(l, "listener"));
    }

    public void removeListener(Listener l) {
        listeners.remove(l);
    }

    public List<Path> watchedFiles() {
        return files;
    }

    /** When the current context was loaded. */
    public Instant loadedAt() {
        return loadedAt;
    }

    /** How many times the context was replaced since start. */
    public long reloadCount() {
        return reloads;
    }

    /** Stops scheduled polling (if any). {@link #current()} keeps working and keeps checking. */
    @Override
    public void close() {
        if (poll != null) poll.cancel(false);
        if (ownExecutor != null) ownExecutor.shutdownNow();
    }

    // ---------------------------------------------------------------- internals

    private void pollQuietly() {
        try {
            reloadIfChanged();
        } catch (Throwable t) {
            LOG.error("{}: unexpected error while checking {}: {}", name, files, oneLine(t), t);
        }
    }

    private boolean checkLocked() {
        List<String> hashes = snapshot();
        if (hashes.equals(loadedHashes)) {
            if (failedHashes != null) {
                LOG.info("{}: {} are back to the content in use; nothing to reload", name, files);
                failedHashes = null;
            }
            return false;
        }
        if (hashes.equals(failedHashes)) return false; // already reported
        SslContext next;
        try {
            String unreadable = hashes.stream().filter(h -> h.startsWith("!")).findFirst().orElse(null);
            if (unreadable != null) throw new CertsException(unreadable.substring(1));
            next = loader.load();
            if (next == null) throw new IllegalStateException("the loader returned no context");
        } catch (Exception e) {
            failedHashes = hashes;
            LOG.error("{}: {} changed but cannot be loaded, still serving the certificate loaded at {}: {}",
                    name, files, loadedAt, oneLine(e));
            for (Listener l : listeners) {
                try {
                    l.onReloadFailed(e, context);
                } catch (RuntimeException le) {
                    LOG.warn("{}: reload listener failed: {}", name, oneLine(le), le);
                }
            }
            return false;
        }
        SslContext previous = context;
        context = next;
        loadedHashes = hashes;
        failedHashes = null;
        loadedAt = Instant.now();
        reloads++;
        LOG.info("{}: reloaded {} ({}); new connections use the new certificate", name, files, mtimes());
        for (Listener l : listeners) {
            try {
                l.onReload(next, previous);
            } catch (RuntimeException le) {
                LOG.warn("{}: reload listener failed: {}", name, oneLine(le), le);
            }
        }
        return true;
    }

    /** One SHA-256 per file; an unreadable file is "!" + the reason (so the same failure is not reported twice). */
    private List<String> snapshot() {
        List<String> out = new ArrayList<>(files.size());
        for (Path f : files) {
            try {
                byte[] data = Files.readAllBytes(f);
                out.add(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
            } catch (NoSuchFileException e) {
                out.add("!" + f + ": no such file");
            } catch (IOException e) {
                out.add("!" + f + ": cannot read: " + SecureFiles.reason(e));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    private String mtimes() {
        List<String> out = new ArrayList<>();
        for (Path f : files) {
            try {
                out.add(f.getFileName() + " modified " + Files.getLastModifiedTime(f));
            } catch (IOException e) {
                out.add(f.getFileName() + " (no mtime)");
            }
        }
        return String.join(", ", out);
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) m = e.getClass().getSimpleName();
        int nl = m.indexOf('\n');
        return nl >= 0 ? m.substring(0, nl) : m;
    }

    // ---------------------------------------------------------------- builder

    public static final class Builder {
        private String name;
        private final List<Path> files;
        private final Function<char[], Loader> loaderFactory;
        private Loader loader;
        private char[] keyPassword;
        private Duration minCheckInterval = DEFAULT_MIN_CHECK_INTERVAL;
        private Duration pollEvery;
        private ScheduledExecutorService pollExecutor;
        private final List<Listener> listeners = new ArrayList<>();

        private Builder(String name, List<Path> files, Function<char[], Loader> loaderFactory) {
            this.name = name;
            this.files = List.copyOf(files);
            if (this.files.isEmpty()) throw new IllegalArgumentException("no files to watch");
            this.loaderFactory = loaderFactory;
        }

        /** A name for log lines, e.g. "gateway TLS". */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The password of an encrypted private key file (the factories' loaders only). */
        public Builder keyPassword(char[] password) {
            this.keyPassword = password == null ? null : password.clone();
            return this;
        }

        /** The least time between two checks made by {@link #current()}; zero checks on every call. */
        public Builder minCheckInterval(Duration d) {
            if (d.isNegative()) throw new IllegalArgumentException("minCheckInterval is negative: " + d);
            this.minCheckInterval = d;
            return this;
        }

        /** Also check on a schedule, on a daemon thread of its own (stopped by {@link #close()}). */
        public Builder pollEvery(Duration period) {
            if (period.isNegative() || period.isZero()) throw new IllegalArgumentException("poll period must be positive: " + period);
            this.pollEvery = period;
            return this;
        }

        /** Also check on a schedule, on the given executor (a Netty event loop group works). */
        public Builder pollOn(ScheduledExecutorService executor, Duration period) {
            pollEvery(period);
            this.pollExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        public Builder listener(Listener l) {
            listeners.add(Objects.requireNonNull(l, "listener"));
            return this;
        }

        /** Loads the files now; a {@link CertsException} if they are not usable. */
        public ReloadingSslContext build() {
            loader = loaderFactory.apply(keyPassword);
            return new ReloadingSslContext(this);
        }
    }
}
