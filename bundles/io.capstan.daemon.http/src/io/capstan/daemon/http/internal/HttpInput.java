package io.capstan.daemon.http.internal;

import java.io.IOException;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.List;
import java.util.Hashtable;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.capstan.daemon.CommandGateway;

import jakarta.servlet.Servlet;

/**
 * The daemon's HTTP input, off unless {@code httpPort} of configuration {@code io.capstan.daemon}
 * is set ({@code ./capstan daemon --http PORT}): configures Felix HTTP (Jetty 12) to listen on
 * 127.0.0.1 only at that port and registers {@link MessageServlet} with the servlet whiteboard.
 * The product's config.ini keeps Felix HTTP disabled until then.
 */
@Component(immediate = true, configurationPid = "io.capstan.daemon", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = HttpInput.Config.class)
public final class HttpInput {

    static final String FELIX_HTTP_PID = "org.apache.felix.http";
    static final List<String> HTTP_BUNDLES = List.of("org.apache.aries.spifly.dynamic.bundle", "slf4j.jdk14",
            "org.apache.felix.http.jetty12");

    @ObjectClassDefinition(name = "Capstan daemon HTTP input")
    @interface Config {
        @AttributeDefinition(description = "Port on 127.0.0.1; 0 turns HTTP off")
        int httpPort() default 0;

        @AttributeDefinition(description = "Largest request body accepted, in bytes")
        int maxBodyBytes() default 1048576;
    }

    private final Configuration felix;
    private final ServiceRegistration<Servlet> registration;
    private final CommandGateway gateway;

    @Activate
    public HttpInput(Config config, BundleContext context, @Reference CommandGateway gateway,
            @Reference ConfigurationAdmin cm) throws IOException {
        this.gateway = gateway;
        if (config.httpPort() <= 0) {
            felix = null;
            registration = null;
            return;
        }
        String token = BearerToken.loadOrCreate(gateway.runtimeDirectory().resolve("http.token"));
        startHttpBundles(context);
        felix = cm.getConfiguration(FELIX_HTTP_PID, "?");
        Dictionary<String, Object> p = new Hashtable<>();
        p.put("org.apache.felix.http.enable", true);
        p.put("org.apache.felix.http.host", "127.0.0.1");
        p.put("org.osgi.service.http.port", config.httpPort());
        p.put("org.apache.felix.https.enable", false);
        felix.update(p);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.servlet.pattern", "/*");
        props.put("osgi.http.whiteboard.servlet.name", "capstan-daemon");
        registration = context.registerService(Servlet.class,
                new MessageServlet(gateway, token, Math.max(1024, config.maxBodyBytes())), props);
        gateway.httpUrl("http://127.0.0.1:" + config.httpPort() + "/");
    }

    /**
     * Felix HTTP and the SLF4J service loader mediator it needs are not started by the product:
     * a one-shot command or a daemon without HTTP never pays for Jetty. They start here.
     */
    private static void startHttpBundles(BundleContext context) throws IOException {
        for (String name : HTTP_BUNDLES) {
            Bundle b = Arrays.stream(context.getBundles()).filter(x -> x.getSymbolicName().equals(name)).findFirst()
                    .orElseThrow(() -> new IOException("bundle " + name + " is not installed; the HTTP input needs it"));
            try {
                b.start(Bundle.START_TRANSIENT);
            } catch (BundleException e) {
                throw new IOException("cannot start " + name + ": " + e.getMessage(), e);
            }
        }
    }

    @Deactivate
    void deactivate() throws IOException {
        if (registration != null) {
            registration.unregister();
            gateway.httpUrl(null);
        }
        if (felix != null) {
            felix.delete();
        }
    }
}
