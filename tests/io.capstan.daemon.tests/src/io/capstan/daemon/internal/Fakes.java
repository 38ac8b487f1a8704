package io.capstan.daemon.internal;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.capstan.api.ActiveTake;
import io.capstan.api.AudioFormat;
import io.capstan.api.CaptureBackend;
import io.capstan.api.CaptureRequest;
import io.capstan.api.CaptureService;
import io.capstan.api.CaptureStream;
import io.capstan.api.ChunkStore;
import io.capstan.api.Device;
import io.capstan.api.DeviceNotFoundException;
import io.capstan.api.DeviceRegistry;
import io.capstan.api.ExportResult;
import io.capstan.api.FrameSink;
import io.capstan.api.ProgressListener;
import io.capstan.api.SampleFormat;
import io.capstan.api.StorageException;
import io.capstan.api.Take;
import io.capstan.api.TakeState;
import io.capstan.api.TakeWriter;
import io.capstan.api.UnknownTakeException;
import io.capstan.api.VerifyReport;

/** Hand-written fakes of the Capstan services, for the daemon's unit tests. */
final class Fakes {

    static final AudioFormat FORMAT = new AudioFormat(48000, 2, SampleFormat.F32_LE);
    static final Device MIC = new Device("mic", "Fake microphone", FORMAT, "fake");

    private Fakes() {
    }

    static DaemonConfig config(Path runtimeDir, String allowedUser) {
        return config(runtimeDir, allowedUser, 20);
    }

    /** @param inboxPollMillis the inbox's safety rescan period */
    static DaemonConfig config(Path runtimeDir, String allowedUser, long inboxPollMillis) {
        return new DaemonConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return DaemonConfig.class;
            }

            @Override
            public String runtimeDir() {
                return runtimeDir.toString();
            }

            @Override
            public int maxLineBytes() {
                return 4096;
            }

            @Override
            public int replayEvents() {
                return 1000;
            }

            @Override
            public int httpPort() {
                return 0;
            }

            @Override
            public int maxBodyBytes() {
                return 4096;
            }

            @Override
            public long inboxPollMillis() {
                return inboxPollMillis;
            }

            @Override
            public String allowedUser() {
                return allowedUser;
            }

            @Override
            public String mode() {
                return MODE_DAEMON;
            }
        };
    }

    static final class Registry implements DeviceRegistry {
        @Override
        public List<Device> devices() {
            return List.of(MIC);
        }

        @Override
        public Optional<Device> find(String id) {
            return MIC.id().equals(id) ? Optional.of(MIC) : Optional.empty();
        }

        @Override
        public Device await(String id, Duration timeout) throws DeviceNotFoundException {
            return find(id).orElseThrow(() -> new DeviceNotFoundException(id, List.of("mic"), "not offered"));
        }

        @Override
        public List<CaptureBackend> backends() {
            return List.of(new CaptureBackend() {
                @Override
                public String id() {
                    return "fake";
                }

                @Override
                public List<Device> devices() {
                    return List.of(MIC);
                }

                @Override
                public CaptureStream open(Device device, AudioFormat format, FrameSink sink) {
                    throw new UnsupportedOperationException();
                }
            });
        }
    }

    /** Takes that record nothing: start makes one, stop ends it COMPLETE in the store. */
    static final class Capture implements CaptureService {
        final Map<String, ActiveTake> active = new ConcurrentHashMap<>();
        final Store store;
        private int n;

        Capture(Store store) {
            this.store = store;
        }

        @Override
        public synchronized ActiveTake start(CaptureRequest request) throws DeviceNotFoundException {
            Device d = new Registry().await(request.deviceId(), Duration.ZERO);
            String id = "t" + (++n);
            AudioFormat f = request.format() != null ? request.format() : d.nativeFormat();
            ActiveTake t = new ActiveTake() {
                volatile TakeState state = TakeState.RECORDING;

                public String id() {
                    return id;
                }

                public Device device() {
                    return d;
                }

                public AudioFormat format() {
                    return f;
                }

                public TakeState state() {
                    return state;
                }

                public long frames() {
                    return 0;
                }

                public int chunks() {
                    return 0;
                }

                public void stop() {
                    state = TakeState.COMPLETE;
                    active.remove(id);
                    store.takes.put(id, take(id, TakeState.COMPLETE));
                }

                public Take awaitEnd(Duration timeout) {
                    return store.takes.get(id);
                }
            };
            active.put(id, t);
            store.takes.put(id, take(id, TakeState.RECORDING));
            return t;
        }

        @Override
        public List<ActiveTake> active() {
            return List.copyOf(active.values());
        }
    }

    static Take take(String id, TakeState state) {
        return new Take(id, "mic", "Fake microphone", "fake", FORMAT, state, Instant.EPOCH,
                state.isFinal() ? Instant.EPOCH : null, 0, List.of(), state.isFinal() ? "stopped" : null);
    }

    static final class Store implements ChunkStore {
        final Map<String, Take> takes = new ConcurrentHashMap<>();
        final Path home;
        /** Progress steps of an export (0: at once). */
        volatile long exportSteps;
        final java.util.concurrent.atomic.AtomicInteger cancelledExports = new java.util.concurrent.atomic.AtomicInteger();

        Store(Path home) {
            this.home = home;
        }

        @Override
        public Path home() {
            return home;
        }

        @Override
        public TakeWriter begin(Device device, AudioFormat format) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Take> takes() {
            return takes.values().stream().sorted((a, b) -> a.id().compareTo(b.id())).toList();
        }

        @Override
        public Optional<Take> take(String takeId) {
            return Optional.ofNullable(takes.get(takeId));
        }

        @Override
        public ExportResult export(String takeId, Path file, ProgressListener progress) throws StorageException {
            if (!takes.containsKey(takeId)) {
                throw new UnknownTakeException(takeId);
            }
            // a long export when asked for (exportSteps > 0): a step per millisecond, each reported
            for (long done = 1; done <= exportSteps; done++) {
                if (!progress.worked(done, exportSteps)) {
                    cancelledExports.incrementAndGet();
                    throw new StorageException("export of take '" + takeId + "' was cancelled; no file was written");
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StorageException("interrupted");
                }
            }
            return new ExportResult(file, 0, 44, false);
        }

        @Override
        public VerifyReport verify(String takeId, ProgressListener progress) throws StorageException {
            if (takeId != null && !takes.containsKey(takeId)) {
                throw new UnknownTakeException(takeId);
            }
            return new VerifyReport(takes.size(), 0, List.of());
        }
    }
}
