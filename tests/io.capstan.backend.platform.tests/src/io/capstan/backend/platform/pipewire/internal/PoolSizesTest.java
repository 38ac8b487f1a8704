package io.capstan.backend.platform.pipewire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PoolSizesTest {

    @Test
    void theFirstStreamsGetDeepPoolsAndTheRestShallowOnes() {
        PoolSizes pools = new PoolSizes(8, 32, 4);
        assertEquals(32, pools.forStream(0), "alone");
        assertEquals(32, pools.forStream(3), "the fourth");
        assertEquals(8, pools.forStream(4), "the fifth");
        assertEquals(8, pools.forStream(127));
        assertEquals(8, new PoolSizes(8, 32, 0).forStream(0), "deep pools off");
        assertEquals(2, PoolSizes.uniform(2).forStream(0));
        assertEquals(PoolSizes.DEFAULT, new PoolSizes(8, 32, 4));
    }

    @Test
    void aSizePipeWireWouldNotGrantIsRefusedNamingTheSettingToFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PoolSizes(8, 33, 4));
        assertTrue(e.getMessage().contains("deepBuffers = 33") && e.getMessage().contains("between 1 and 32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new PoolSizes(0, 32, 4));
        assertTrue(e.getMessage().contains("'buffers' of io.capstan.backend.pipewire"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new PoolSizes(8, 32, -1));
        assertTrue(e.getMessage().contains("deepStreams = -1"), e.getMessage());
    }
}
