package io.capstan.backend.platform.pipewire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** {@link PwCapture#drainPeriod}: how long the drain may pause for a pool of a given length. */
class DrainPeriodTest {

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** Audio held by {@code buffers} quanta of {@code frames} at 48 kHz, ns. */
    private static long pool(int buffers, int frames) {
        return TimeUnit.SECONDS.toNanos(1) * frames * buffers / 48_000;
    }

    @Test
    void aDeepPoolLeavesAPass340MillisecondsToBeLate() {
        long pool = pool(32, 1024); // 682.67 ms
        long period = PwCapture.drainPeriod(pool);
        assertEquals(pool - ms(340), period);
        assertEquals(ms(340), pool - period, "how late a pass may come");
    }

    @Test
    void aShallowPoolIsDrainedEveryQuarter() {
        long pool = pool(8, 1024); // 170.67 ms: a pass may come 128 ms late
        assertEquals(pool / 4, PwCapture.drainPeriod(pool));
        long small = pool(32, 256); // the same pool at a 256-frame quantum
        assertEquals(small / 4, PwCapture.drainPeriod(small));
    }

    @Test
    void theQuarterRuleHoldsUpTo453Milliseconds() {
        // below 4/3 of the slack a quarter is the longer period, above it the pool less the slack
        long edge = ms(340) * 4 / 3;
        assertEquals(edge / 4, PwCapture.drainPeriod(edge));
        assertEquals(ms(600) - ms(340), PwCapture.drainPeriod(ms(600)));
        assertEquals(ms(400) / 4, PwCapture.drainPeriod(ms(400)));
    }
}
