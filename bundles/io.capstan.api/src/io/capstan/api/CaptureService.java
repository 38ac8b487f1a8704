package io.capstan.api;

import java.util.List;

/**
 * Starts and stops takes. Posts {@link CapstanEvents#TAKE_STARTED}, {@link CapstanEvents#TAKE_STOPPED}
 * and {@link CapstanEvents#TAKE_FAILED}. Thread-safe.
 */
public interface CaptureService {

    /**
     * Starts a take.
     *
     * @throws DeviceNotFoundException when no device has the id (lists the known ones)
     * @throws CaptureException        when the backend cannot capture (its reason)
     * @throws StorageException        when the store cannot take it
     */
    ActiveTake start(CaptureRequest request) throws CapstanException;

    /** @return takes being recorded now */
    List<ActiveTake> active();
}
