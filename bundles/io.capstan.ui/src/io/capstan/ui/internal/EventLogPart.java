package io.capstan.ui.internal;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.TreeMap;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.di.UIEventTopic;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.osgi.service.event.Event;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;

/** Capstan events as they arrive (the last {@value #KEEP}), filtered by a text. */
public class EventLogPart {

    static final int KEEP = 2000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private record Row(String time, String topic, String data) {
        boolean matches(String filter) {
            String f = filter.toLowerCase(Locale.ROOT);
            return f.isEmpty() || (topic + " " + data).toLowerCase(Locale.ROOT).contains(f);
        }
    }

    private final Deque<Row> rows = new ArrayDeque<>();
    private Table table;
    private Text filter;

    @PostConstruct
    void create(Composite parent) {
        parent.setLayout(new GridLayout(1, false));
        filter = new Text(parent, SWT.SEARCH | SWT.ICON_CANCEL);
        filter.setMessage("filter (topic, device, take ...)");
        filter.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        filter.addListener(SWT.Modify, e -> refill());
        table = new Table(parent, SWT.FULL_SELECTION | SWT.BORDER | SWT.VIRTUAL);
        table.setData("capstan.table", "events");
        table.setHeaderVisible(true);
        table.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        for (String[] c : new String[][] {{"Time", "95"}, {"Topic", "170"}, {"Data", "400"}}) {
            TableColumn col = new TableColumn(table, SWT.NONE);
            col.setText(c[0]);
            col.setWidth(Integer.parseInt(c[1]));
        }
    }

    @Inject
    @Optional
    void event(@UIEventTopic("capstan/*") Event event) {
        if (table == null || table.isDisposed()) {
            return;
        }
        TreeMap<String, Object> data = new TreeMap<>();
        for (String name : event.getPropertyNames()) {
            if (!name.equals("event.topics") && !name.startsWith("org.eclipse.e4")) {
                data.put(name, event.getProperty(name));
            }
        }
        Row row = new Row(LocalTime.now().format(TIME), event.getTopic(), data.toString());
        rows.addFirst(row);
        if (rows.size() > KEEP) {
            rows.removeLast();
            if (table.getItemCount() > KEEP) {
                table.remove(table.getItemCount() - 1);
            }
        }
        if (row.matches(filter.getText())) {
            add(row, 0);
        }
    }

    private void add(Row row, int index) {
        new TableItem(table, SWT.NONE, index).setText(new String[] {row.time(), row.topic(), row.data()});
    }

    private void refill() {
        table.setRedraw(false);
        table.removeAll();
        rows.stream().filter(r -> r.matches(filter.getText())).forEach(r -> add(r, table.getItemCount()));
        table.setRedraw(true);
    }
}
