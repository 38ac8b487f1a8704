package io.capstan.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The hand-off between a take's writer and its storage thread: {@link SpscQueue} and {@link StorageThread}. */
class StorageThreadTest {

    @Test
    void aQueueKeepsOrderAndRefusesWhenFull() {
        SpscQueue<Integer> q = new SpscQueue<>(4);
        assertNull(q.poll());
        for (int i = 0; i < 4; i++) {
            assertTrue(q.offer(i));
        }
        assertFalse(q.offer(4), "full");
        assertEquals(4, q.size());
        assertEquals(0, q.poll());
        assertTrue(q.offer(4), "room again");
        for (int i = 1; i <= 4; i++) {
            assertEquals(i, q.poll());
        }
        assertNull(q.poll());
        assertThrows(IllegalArgumentException.class, () -> new SpscQueue<>(6));
    }

    /**
     * A producer offers and signals a million elements while the storage thread takes them: all
     * arrive, in order, and the producer allocates nothing on the way (the writer may be a capture
     * thread). With an {@code ArrayBlockingQueue} and an executor in their place, the producer
     * allocates a wait node each time it meets the storage thread at a lock.
     */
    @Test
    void aMillionHandOffsArriveInOrderAndTheProducerAllocatesNothing() throws Exception {
        int count = 1_000_000;
        SpscQueue<Long> queue = new SpscQueue<>(1024);
        Long[] boxes = new Long[1024];
        for (int i = 0; i < boxes.length; i++) {
            boxes[i] = (long) i;
        }
        AtomicLong received = new AtomicLong();
        AtomicLong outOfOrder = new AtomicLong();
        StorageThread storage = new StorageThread("test-storage", () -> {
            for (Long v; (v = queue.poll()) != null;) {
                if (v != received.getAndIncrement() % boxes.length) {
                    outOfOrder.incrementAndGet();
                }
            }
        }, e -> { });
        // phases: 0 warming up, 1 warmed up (measure now), 2 measured, 3 handed off (measure again), 4 done
        AtomicInteger phase = new AtomicInteger();
        Thread producer = new Thread(() -> {
            offerAndSignal(queue, storage, boxes, 10_240); // warm up (a whole number of laps of the boxes): the allocations of first use
            phase.set(1);
            while (phase.get() != 2) {
                Thread.onSpinWait();
            }
            offerAndSignal(queue, storage, boxes, count);
            phase.set(3);
            while (phase.get() != 4) {
                Thread.onSpinWait(); // alive until measured: a dead thread has no allocation count
            }
        }, "test-producer");
        producer.setDaemon(true);
        producer.start();
        awaitPhase(phase, 1);
        long before = FileTakeWriterTest.allocatedBytes(producer);
        phase.set(2);
        awaitPhase(phase, 3);
        long allocated = FileTakeWriterTest.allocatedBytes(producer) - before;
        phase.set(4);
        producer.join(10_000);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (received.get() < count + 10_240 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        storage.shutdown();
        assertTrue(storage.awaitTermination(Duration.ofSeconds(10)));

        assertEquals(count + 10_240, received.get(), "every element arrived");
        assertEquals(0, outOfOrder.get(), "in order");
        assertEquals(0, allocated, "bytes the producer allocated over " + count + " offers and signals");
    }

    private static void awaitPhase(AtomicInteger phase, int wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (phase.get() != wanted) {
            assertTrue(System.nanoTime() < deadline, "the producer did not reach phase " + wanted);
            Thread.sleep(1);
        }
    }

    private static void offerAndSignal(SpscQueue<Long> queue, StorageThread storage, Long[] boxes, int n) {
        for (int i = 0; i < n; i++) {
            Long box = boxes[i % boxes.length];
            while (!queue.offer(box)) {
                Thread.onSpinWait(); // full: the storage thread is behind
            }
            storage.signal();
        }
    }

    /** A task submitted after a signal runs after that signal's work; shutdown lets both finish, then refuses more. */
    @Test
    void tasksRunInOrderWithTheWorkAndShutdownFinishesWhatWasAsked() throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        SpscQueue<String> queue = new SpscQueue<>(64);
        StorageThread storage = new StorageThread("test-storage", () -> {
            for (String s; (s = queue.poll()) != null;) {
                log.add(s);
            }
        }, e -> { });
        for (int round = 0; round < 200; round++) {
            queue.offer("chunk " + round);
            assertTrue(storage.signal());
            storage.submit(() -> log.add("task")).get(10, TimeUnit.SECONDS);
        }
        for (int round = 0; round < 200; round++) {
            assertEquals(List.of("chunk " + round, "task"), log.subList(2 * round, 2 * round + 2));
        }

        queue.offer("last chunk");
        storage.signal();
        CompletableFuture<Void> last = storage.submit(() -> log.add("last task"));
        storage.shutdown();
        assertTrue(storage.awaitTermination(Duration.ofSeconds(10)));
        last.get();
        assertEquals(List.of("last chunk", "last task"), log.subList(400, 402));
        assertFalse(storage.signal(), "stopped");
        assertThrows(RejectedExecutionException.class, () -> storage.submit(() -> log.add("too late")));
    }

    /** A failure escaping the work is reported and the thread goes on; a failing task fails its future only. */
    @Test
    void failuresAreReportedAndTheThreadGoesOn() throws Exception {
        List<RuntimeException> errors = Collections.synchronizedList(new ArrayList<>());
        AtomicLong runs = new AtomicLong();
        StorageThread storage = new StorageThread("test-storage", () -> {
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("disk on fire");
            }
        }, errors::add);
        storage.signal();
        storage.submit(() -> { }).get(10, TimeUnit.SECONDS);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> storage.submit(() -> { throw new IllegalArgumentException("bad task"); }).get(10, TimeUnit.SECONDS));
        assertEquals("bad task", e.getCause().getMessage());
        storage.signal();
        storage.submit(() -> { }).get(10, TimeUnit.SECONDS);

        assertEquals(2, runs.get());
        assertEquals(1, errors.size());
        assertEquals("disk on fire", errors.get(0).getMessage());
        storage.shutdown();
        assertTrue(storage.awaitTermination(Duration.ofSeconds(10)));
    }
}
