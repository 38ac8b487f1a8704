package io.capstan.backend.platform;

import java.util.ArrayList;
import java.util.List;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * Defensive loading of optional system libraries for the platform fragments: check the
 * platform, try each name in turn, and on failure report every name tried and why in one
 * message (SWT's way). Nothing is loaded in a static initializer.
 */
public final class NativeLibraries {

    private NativeLibraries() {
    }

    /**
     * Loads the first of {@code names} that JNA can open.
     *
     * @param what  what the library is, for the message (e.g. "libpipewire-0.3")
     * @param hint  what to do when none loads (e.g. the package to install)
     * @param names names to try in order: JNA library names ({@code pipewire-0.3}) or file names
     *              ({@code libpipewire-0.3.so.0})
     * @throws UnsatisfiedLinkError naming the platform, every name tried and its error, and the hint
     */
    public static NativeLibrary load(String what, String hint, String... names) {
        if (Native.POINTER_SIZE != 8) {
            throw new UnsatisfiedLinkError(what + ": only 64-bit platforms are supported, this JVM is "
                    + Platform.RESOURCE_PREFIX);
        }
        List<String> tried = new ArrayList<>();
        for (String name : names) {
            try {
                return NativeLibrary.getInstance(name);
            } catch (UnsatisfiedLinkError e) {
                tried.add(name + " (" + firstLine(e.getMessage()) + ")");
            }
        }
        throw new UnsatisfiedLinkError("cannot load " + what + " on " + Platform.RESOURCE_PREFIX + "; tried "
                + String.join(", ", tried) + "; " + hint);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no reason given";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
