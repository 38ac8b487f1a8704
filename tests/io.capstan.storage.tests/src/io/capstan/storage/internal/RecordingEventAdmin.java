package io.capstan.storage.internal;

import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** A hand-written EventAdmin that records every event, with a bounded wait for them. */
final class RecordingEventAdmin implements EventAdmin {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final List<Event> events = new ArrayList<>();

    @Override
    public void postEvent(Event event) {
        record(event);
    }

    @Override
    public void sendEvent(Event event) {
        record(event);
    }

    private void record(Event event) {
        lock.lock();
        try {
            events.add(event);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** @return the events on {@code topic} so far, in order */
    List<Event> events(String topic) {
        lock.lock();
        try {
            return events.stream().filter(e -> e.getTopic().equals(topic)).toList();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until {@code count} events on {@code topic} arrived, at most {@code timeout}; returns them. */
    List<Event> await(String topic, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (events(topic).size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + count + " events on " + topic + " within " + timeout
                            + ", got " + events(topic).size());
                }
                arrived.await(left, TimeUnit.NANOSECONDS);
            }
            return events(topic);
        } finally {
            lock.unlock();
        }
    }
}
