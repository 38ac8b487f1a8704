package io.capstan.api;

/** Life of a take. COMPLETE, FAILED and RECOVERED are final. */
public enum TakeState {
    STARTING, RECORDING, STOPPING, COMPLETE, FAILED, RECOVERED;

    /** @return true for states a take never leaves */
    public boolean isFinal() {
        return this == COMPLETE || this == FAILED || this == RECOVERED;
    }
}
