package io.capstan.ui.internal;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.di.UIEventTopic;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.osgi.service.event.Event;

import io.capstan.api.Device;
import io.capstan.api.DeviceRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;

/** Every device of every backend, updated as devices come and go. */
public class DevicesPart {

    private Table table;
    private DeviceRegistry registry;

    @PostConstruct
    void create(Composite parent, DeviceRegistry deviceRegistry) {
        this.registry = deviceRegistry;
        parent.setLayout(new org.eclipse.swt.layout.FillLayout());
        table = new Table(parent, SWT.FULL_SELECTION | SWT.BORDER);
        table.setHeaderVisible(true);
        table.setData("capstan.table", "devices");
        for (String[] c : new String[][] {{"Device", "200"}, {"Description", "220"}, {"Ch", "40"}, {"Rate", "70"},
                {"Backend", "90"}}) {
            TableColumn col = new TableColumn(table, SWT.NONE);
            col.setText(c[0]);
            col.setWidth(Integer.parseInt(c[1]));
        }
        refresh();
    }

    @Inject
    @Optional
    void deviceChanged(@UIEventTopic("capstan/device/*") Event event) {
        if (table != null && !table.isDisposed()) {
            refresh();
        }
    }

    private void refresh() {
        table.removeAll();
        for (Device d : registry.devices()) {
            TableItem item = new TableItem(table, SWT.NONE);
            item.setText(new String[] {d.id(), d.description(), Integer.toString(d.nativeFormat().channels()),
                    Integer.toString(d.nativeFormat().sampleRate()), d.backend()});
        }
    }
}
