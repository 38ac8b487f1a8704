/**
 * FIFO transport: runs a sidecar process (e.g. {@code pw-record}) that writes raw interleaved
 * PCM into a named pipe, and delivers that PCM, frame-aligned and with backpressure, to a
 * {@link io.capstan.api.FrameSink}. Obtain a {@link io.capstan.transport.fifo.SidecarLauncher}
 * as an OSGi service.
 */
package io.capstan.transport.fifo;
