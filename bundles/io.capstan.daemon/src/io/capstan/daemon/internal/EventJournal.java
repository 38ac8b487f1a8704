package io.capstan.daemon.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.Designate;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The daemon's event stream: every {@code capstan/*} EventAdmin event (and what the daemon
 * publishes itself) gets the next sequence number, is serialized once and kept in a bounded
 * ring. Subscribers pull from the ring with their own cursor ({@link #next}), so a slow
 * subscriber never blocks a publisher or another subscriber; one that falls further behind than
 * the ring holds gets a gap, never a silent loss.
 *
 * <p>Threading: thread-safe; {@link #publish} is cheap (one lock, one serialization).
 */
@Component(service = { EventJournal.class, EventHandler.class }, configurationPid = DaemonConfig.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = EventConstants.EVENT_TOPIC + "=capstan/*")
@Designate(ocd = DaemonConfig.class)
public final class EventJournal implements EventHandler {

    /** One event as sent: its sequence number, topic and the JSON line (without newline). */
    record Entry(long seq, String topic, String line) {
    }

    /**
     * What a subscriber gets next.
     *
     * @param missedAfter when not -1: events after this seq up to {@code entries[0].seq - 1}
     *                    are no longer held (a gap)
     */
    record Batch(long missedAfter, long missedCount, List<Entry> entries) {
    }

    static final String LEVEL_PREFIX = "capstan/level/";
    private static final String LEVEL_TOPICS = LEVEL_PREFIX + "*";

    private final Entry[] ring;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    /** Identifies this daemon run; a subscriber resuming with another epoch starts over. */
    private final String epoch = Long.toString(ProcessHandle.current().pid()) + "-"
            + Long.toString(System.currentTimeMillis(), 36);
    private long last;

    /** Subscribers that asked for level events (guarded by {@code this}). */
    private int levelSubscribers;
    private ServiceRegistration<EventHandler> levelInterest;
    private final BundleContext context;

    @Activate
    public EventJournal(DaemonConfig config, BundleContext context) {
        this(config.replayEvents(), context);
    }

    /** @param context where the level-interest handler is registered; null in plain tests */
    EventJournal(int capacity, BundleContext context) {
        ring = new Entry[Math.max(16, capacity)];
        this.context = context;
    }

    EventJournal(int capacity) {
        this(capacity, null);
    }

    @Deactivate
    synchronized void deactivate() {
        if (levelInterest != null) {
            levelInterest.unregister();
            levelInterest = null;
        }
    }

    /**
     * A subscriber asks for level events. While at least one does, an {@link EventHandler} for
     * {@code capstan/level/*} is registered: that is what makes the capture service meter its takes
     * (it meters only while a handler names level topics), and level events are journaled only
     * then. Without level subscribers they cost nothing and do not push other events out of the
     * replay ring.
     *
     * @return call once when the subscriber is gone
     */
    Runnable wantLevels() {
        synchronized (this) {
            if (levelSubscribers++ == 0 && context != null) {
                Dictionary<String, Object> props = new Hashtable<>();
                props.put(EventConstants.EVENT_TOPIC, new String[] { LEVEL_TOPICS });
                // journaling happens in handleEvent (capstan/*); this handler declares the interest
                levelInterest = context.registerService(EventHandler.class, event -> {
                }, props);
            }
        }
        AtomicBoolean done = new AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                releaseLevels();
            }
        };
    }

    private synchronized void releaseLevels() {
        if (--levelSubscribers == 0 && levelInterest != null) {
            try {
                levelInterest.unregister();
            } catch (IllegalStateException e) {
                // the bundle stopped meanwhile: unregistered already
            }
            levelInterest = null;
        }
    }

    private synchronized boolean levelsWanted() {
        return levelSubscribers > 0;
    }

    String epoch() {
        return epoch;
    }

    @Override
    public void handleEvent(Event event) {
        if (event.getTopic().startsWith(LEVEL_PREFIX) && !levelsWanted()) {
            return; // metered before the last level subscriber left: nobody reads it
        }
        ObjectNode data = Json.object();
        for (String name : event.getPropertyNames()) {
            if (name.equals(EventConstants.EVENT_TOPIC)) {
                continue;
            }
            data.putPOJO(name, event.getProperty(name));
        }
        publish(event.getTopic(), data);
    }

    /** Appends an event with the next sequence number and wakes the subscribers. */
    long publish(String topic, ObjectNode data) {
        String time = Instant.now().toString();
        lock.lock();
        try {
            long seq = ++last;
            ObjectNode event = Json.object();
            event.put("seq", seq);
            event.put("topic", topic);
            event.put("time", time);
            event.set("data", data);
            ring[(int) (seq % ring.length)] = new Entry(seq, topic, Json.line(event));
            appended.signalAll();
            return seq;
        } finally {
            lock.unlock();
        }
    }

    /** @return the last sequence number given out (0 before the first event) */
    long last() {
        lock.lock();
        try {
            return last;
        } finally {
            lock.unlock();
        }
    }

    /** @return the oldest sequence number still held (last + 1 when none is) */
    long oldest() {
        lock.lock();
        try {
            return oldestLocked();
        } finally {
            lock.unlock();
        }
    }

    private long oldestLocked() {
        return Math.max(1, last - ring.length + 1);
    }

    /**
     * Events after {@code after}, at most {@code max}, waiting up to {@code waitMillis} when
     * there are none yet.
     *
     * @return a batch, empty when none arrived in time
     */
    Batch next(long after, int max, long waitMillis) throws InterruptedException {
        lock.lock();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
            while (last <= after) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new Batch(-1, 0, List.of());
                }
                appended.awaitNanos(left);
            }
            long oldest = oldestLocked();
            long from = after + 1;
            long missedAfter = -1;
            long missed = 0;
            if (from < oldest) {
                missedAfter = after;
                missed = oldest - from;
                from = oldest;
            }
            int count = (int) Math.min(max, last - from + 1);
            List<Entry> entries = new ArrayList<>(count);
            for (long seq = from; seq < from + count; seq++) {
                entries.add(ring[(int) (seq % ring.length)]);
            }
            return new Batch(missedAfter, missed, entries);
        } finally {
            lock.unlock();
        }
    }

    /** Topic filter of a subscription: exact topics, {@code prefix/*} and {@code *}. */
    record Filter(List<String> patterns) {

        /** @return whether this filter asks for level events (names a {@code capstan/level} topic) */
        boolean wantsLevels() {
            return patterns.stream().anyMatch(p -> p.startsWith("capstan/level"));
        }

        static final Filter ALL = new Filter(List.of("*"));

        /**
         * Level events are many: they are sent only to subscribers that name them
         * ({@code capstan/level/*}), never through {@code *} or {@code capstan/*}.
         */
        boolean matches(String topic) {
            boolean level = topic.startsWith(LEVEL_PREFIX);
            for (String p : patterns) {
                if (level && !p.startsWith("capstan/level")) {
                    continue;
                }
                if (p.equals("*") || p.equals(topic)
                        || (p.endsWith("/*") && topic.startsWith(p.substring(0, p.length() - 1)))) {
                    return true;
                }
            }
            return false;
        }
    }
}
