package org.savesync.core.membership;

import java.nio.charset.StandardCharsets;

/** Validation shared by human-readable names (member names, group names). */
final class Names {
    private Names() {
    }

    /**
     * Returns {@code name} when it is a displayable label: not blank, at most {@code maxBytes}
     * UTF-8 bytes, no control characters and no lone surrogates (which UTF-8 cannot carry).
     */
    static String check(String name, String what, int maxBytes) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                throw new IllegalArgumentException(what + " must not contain control characters (found U+"
                        + String.format("%04X", (int) c) + " at " + i + ")");
            }
            if (Character.isHighSurrogate(c) && (i + 1 >= name.length() || !Character.isLowSurrogate(name.charAt(i + 1)))
                    || Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(name.charAt(i - 1)))) {
                throw new IllegalArgumentException(what + " contains a lone surrogate at " + i + "; it is not valid Unicode");
            }
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            throw new IllegalArgumentException(what + " is " + bytes + " UTF-8 bytes; at most " + maxBytes + " are allowed");
        }
        return name;
    }
}
