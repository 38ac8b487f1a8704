package io.capstan.daemon.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration PID {@code io.capstan.daemon}. Its presence turns daemon mode on: the daemon
 * components require it, so a one-shot {@code ./capstan} run never binds the socket.
 * {@code ./capstan daemon} creates it.
 */
@ObjectClassDefinition(name = "Capstan daemon", description = "Control socket, event stream and automation inputs")
@interface DaemonConfig {

    String PID = "io.capstan.daemon";
    /** {@link #mode()} of {@code capstan daemon}. */
    String MODE_DAEMON = "daemon";
    /** {@link #mode()} of the workstation serving the socket. */
    String MODE_WORKSTATION = "workstation";
    /** {@link #mode()} of the product running one command while no daemon runs. */
    String MODE_COMMAND = "command";

    @AttributeDefinition(description = "What serves the socket: daemon, workstation, or command (one command, no daemon)")
    String mode() default MODE_DAEMON;

    @AttributeDefinition(description = "Runtime directory; empty: $XDG_RUNTIME_DIR/capstan (or the private fallback)")
    String runtimeDir() default "";

    @AttributeDefinition(description = "Longest request line accepted, in bytes")
    int maxLineBytes() default 65536;

    @AttributeDefinition(description = "Events kept for replay to subscribers that reconnect")
    int replayEvents() default 10000;

    @AttributeDefinition(description = "HTTP port on 127.0.0.1; 0 turns HTTP off")
    int httpPort() default 0;

    @AttributeDefinition(description = "Largest HTTP request body accepted, in bytes")
    int maxBodyBytes() default 1048576;

    @AttributeDefinition(description = "Longest time between two scans of the inbox directory, in milliseconds: "
            + "requests are normally taken at once, on the file system's change notice (inotify); this rescan is "
            + "for file systems that send none, such as NFS")
    long inboxPollMillis() default 10000;

    @AttributeDefinition(description = "For tests: user name allowed on the socket instead of the daemon's own user")
    String allowedUser() default "";
}
