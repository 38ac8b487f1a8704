package io.capstan.storage.internal;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded first-in first-out ring for one producer thread and one consumer thread, without
 * locks and without allocation: the full chunks of a take on their way from the writer to the
 * storage thread. (An {@code ArrayBlockingQueue} allocates a wait node whenever the writer
 * finds the storage thread holding its lock, and the writer may be a capture thread.)
 *
 * <p>Threading: {@link #offer} from one thread at a time (the take's writer), {@link #poll} from
 * one thread at a time (the storage thread); {@link #size} from any thread.
 */
final class SpscQueue<T> {

    private final AtomicReferenceArray<T> slots;
    private final int mask;
    /** Count of elements polled; written by the consumer only. */
    private volatile long head;
    /** Count of elements offered; written by the producer only. */
    private volatile long tail;

    /** @param capacity elements it holds at most, a power of two */
    SpscQueue(int capacity) {
        if (capacity <= 0 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two, not " + capacity);
        }
        this.slots = new AtomicReferenceArray<>(capacity);
        this.mask = capacity - 1;
    }

    /** Producer: adds an element at the end. @return false, leaving the queue as it was, when it is full */
    boolean offer(T element) {
        long t = tail;
        if (t - head > mask) {
            return false;
        }
        slots.lazySet((int) t & mask, element);
        tail = t + 1; // the volatile write publishes the slot
        return true;
    }

    /** Consumer: @return the oldest element, removed, or null when there is none */
    T poll() {
        long h = head;
        if (h == tail) {
            return null;
        }
        int i = (int) h & mask;
        T element = slots.get(i);
        slots.lazySet(i, null);
        head = h + 1; // the volatile write frees the slot for the producer
        return element;
    }

    /** @return elements waiting (a snapshot) */
    int size() {
        long h = head;
        return (int) (tail - h);
    }
}
