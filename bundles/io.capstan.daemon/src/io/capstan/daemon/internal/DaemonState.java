package io.capstan.daemon.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Component;

/**
 * What the daemon knows about itself: when it started, where it listens, whether it was asked
 * to stop. The {@code stop} command asks; {@link DaemonApplication} waits and shuts down.
 * Threading: thread-safe.
 */
@Component(service = DaemonState.class)
public final class DaemonState {

    private final Instant startedAt = Instant.now();
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile String httpUrl;
    private volatile String socket;

    Instant startedAt() {
        return startedAt;
    }

    Duration uptime() {
        return Duration.between(startedAt, Instant.now());
    }

    void requestStop() {
        stop.countDown();
    }

    boolean stopRequested() {
        return stop.getCount() == 0;
    }

    /** Waits until a stop is requested. */
    void awaitStop() throws InterruptedException {
        stop.await();
    }

    /** @return true when a stop was requested within the timeout */
    boolean awaitStop(Duration timeout) throws InterruptedException {
        return stop.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    String httpUrl() {
        return httpUrl;
    }

    void httpUrl(String url) {
        httpUrl = url;
    }

    String socket() {
        return socket;
    }

    void socket(String path) {
        socket = path;
    }
}
