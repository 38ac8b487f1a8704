package io.capstan.backend.platform.coreaudio.internal.jna;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/** The few CoreFoundation calls needed for CFString (CFString.h, CFBase.h). */
public interface CoreFoundation extends Library {

    /** {@code CFIndex CFStringGetLength(CFStringRef)}: UTF-16 units. */
    long CFStringGetLength(Pointer string);

    /** {@code Boolean CFStringGetCString(CFStringRef, char* buffer, CFIndex bufferSize, CFStringEncoding)}. */
    byte CFStringGetCString(Pointer string, byte[] buffer, long bufferSize, int encoding);

    /** {@code CFStringRef CFStringCreateWithCString(CFAllocatorRef, const char*, CFStringEncoding)}: caller releases. */
    Pointer CFStringCreateWithCString(Pointer allocator, String text, int encoding);

    /** {@code void CFRelease(CFTypeRef)}: never with null. */
    void CFRelease(Pointer object);
}
