package io.capstan.ui.internal;

import java.util.List;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.e4.ui.di.UIEventTopic;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.model.application.ui.basic.MPartSashContainer;
import org.eclipse.e4.ui.workbench.IWorkbench;
import org.eclipse.e4.ui.workbench.UIEvents;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.e4.ui.workbench.modeling.EPartService.PartState;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventHandler;

import io.capstan.api.CapstanEvents;
import io.capstan.api.Device;
import io.capstan.api.DeviceRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

/**
 * Keeps one device part per device. Once the workbench is up it subscribes to device events
 * first, then reads the registry's snapshot, so no device that came before or during start-up
 * is missed; events queued meanwhile are applied afterwards (showing and closing are idempotent).
 */
public class DeviceViewsAddon {

    /** Part descriptor of device parts. */
    public static final String DESCRIPTOR = "io.capstan.ui.partdescriptor.device";
    /** Sash container holding the device parts. */
    public static final String AREA = "io.capstan.app.sash.deviceparts";
    /** Tag prefix of a device part: {@code capstan.device:<device id>}. */
    public static final String TAG = "capstan.device:";

    @Inject
    private IEventBroker broker;
    @Inject
    private MApplication application;
    @Inject
    private EModelService models;

    private static final System.Logger LOG = System.getLogger(DeviceViewsAddon.class.getName());

    private final EventHandler handler = this::deviceEvent;

    @Inject
    @Optional
    void startupComplete(@UIEventTopic(UIEvents.UILifeCycle.APP_STARTUP_COMPLETE) org.osgi.service.event.Event e,
            DeviceRegistry registry) {
        broker.subscribe("capstan/device/*", null, handler, false);
        List<Device> now = registry.devices();
        now.forEach(d -> show(d.id(), d.description()));
        for (MPart p : devicesParts()) {
            String id = p.getPersistedState().get(DevicePart.DEVICE_ID);
            if (now.stream().noneMatch(d -> d.id().equals(id))) {
                close(id);
            }
        }
        long sinceStart = System.currentTimeMillis()
                - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        LOG.log(System.Logger.Level.INFO, "workstation ready {0} ms after the JVM started: window shown, {1} device views",
                Long.toString(sinceStart), devicesParts().size());
    }

    /** {@code capstan stop} reached the control socket this workstation serves: close the window. */
    @Inject
    @Optional
    void stopRequested(@UIEventTopic(CapstanEvents.APP_STOP) org.osgi.service.event.Event e, IWorkbench workbench) {
        LOG.log(System.Logger.Level.INFO, "stop requested through the control socket: closing the workstation");
        workbench.close();
    }

    private void deviceEvent(Event event) {
        String id = (String) event.getProperty(CapstanEvents.DEVICE_ID);
        if (CapstanEvents.DEVICE_ADDED.equals(event.getTopic())) {
            show(id, (String) event.getProperty(CapstanEvents.DESCRIPTION));
        } else if (CapstanEvents.DEVICE_REMOVED.equals(event.getTopic())) {
            close(id);
        }
    }

    private List<MPart> devicesParts() {
        return models.findElements(application, null, MPart.class, List.of(DevicePart.TAG_DEVICE_PART));
    }

    private MPart find(String deviceId) {
        List<MPart> found = models.findElements(application, null, MPart.class, List.of(TAG + deviceId));
        return found.isEmpty() ? null : found.get(0);
    }

    void show(String deviceId, String description) {
        if (find(deviceId) != null) {
            return;
        }
        MPartSashContainer area = (MPartSashContainer) models.find(AREA, application);
        EPartService parts = partService(area);
        MPart part = parts.createPart(DESCRIPTOR);
        if (part == null) {
            throw new IllegalStateException("no part descriptor " + DESCRIPTOR + " in the application model");
        }
        part.setLabel(description != null ? description : deviceId);
        part.setTooltip(deviceId);
        part.getPersistedState().put(DevicePart.DEVICE_ID, deviceId);
        part.getTags().add(TAG + deviceId);
        part.getTags().add(DevicePart.TAG_DEVICE_PART);
        part.setContainerData("100");
        area.getChildren().add(part);
        parts.showPart(part, PartState.VISIBLE);
        LOG.log(System.Logger.Level.INFO, "device view opened: {0}", deviceId);
    }

    void close(String deviceId) {
        MPart part = find(deviceId);
        if (part == null) {
            return;
        }
        partService(part).hidePart(part, true);
        if (part.getParent() != null) {
            part.getParent().getChildren().remove(part);
        }
        LOG.log(System.Logger.Level.INFO, "device view closed: {0}", deviceId);
    }

    /**
     * The part service of the window holding {@code element}: the application's own delegates to
     * the active window and fails when none is active (an unfocused window, an error dialog).
     */
    private EPartService partService(org.eclipse.e4.ui.model.application.ui.MUIElement element) {
        org.eclipse.e4.ui.model.application.ui.basic.MWindow window = models.getTopLevelWindowFor(element);
        return window.getContext().get(EPartService.class);
    }

    @PreDestroy
    void dispose() {
        broker.unsubscribe(handler);
    }
}
