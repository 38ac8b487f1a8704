package io.capstan.integration.tests;

import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.util.tracker.ServiceTracker;

/** Bounded waits for services of the running framework. */
final class Services {

    static final long WAIT_SECONDS = 20;

    private Services() {
    }

    static BundleContext context() {
        return FrameworkUtil.getBundle(Services.class).getBundleContext();
    }

    /** @return the service, or fails naming it when it did not appear within {@link #WAIT_SECONDS} */
    static <T> T await(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context(), type, null);
        tracker.open();
        T service = tracker.waitForService(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        if (service == null) {
            throw new AssertionError(type.getName() + " was not registered within " + WAIT_SECONDS + " s");
        }
        return service;
    }

    /** @return the service matching an LDAP filter, or fails */
    static Object await(String filter) throws InterruptedException, InvalidSyntaxException {
        Filter f = context().createFilter(filter);
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context(), f, null);
        tracker.open();
        Object service = tracker.waitForService(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        if (service == null) {
            throw new AssertionError("no service matching " + filter + " within " + WAIT_SECONDS + " s");
        }
        return service;
    }
}
