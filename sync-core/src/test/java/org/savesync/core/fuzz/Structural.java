package org.savesync.core.fuzz;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Equality of decoded values for round-trip checks: records component by component, arrays by
 * content, lists in order, maps by key. Records holding arrays (a {@code SignedRecord}, chunk
 * data) compare by identity with {@code equals}, which is why this exists.
 */
final class Structural {
    private Structural() {
    }

    /** Throws an {@link AssertionError} naming the first difference. */
    static void assertEqual(Object expected, Object actual) {
        String diff = difference("", expected, actual);
        if (diff != null) {
            throw new AssertionError("round trip changed " + diff);
        }
    }

    private static String difference(String at, Object a, Object b) {
        if (a == null || b == null) {
            return a == b ? null : at + ": " + a + " became " + b;
        }
        if (a.getClass() != b.getClass()) {
            return at + ": a " + a.getClass().getSimpleName() + " became a " + b.getClass().getSimpleName();
        }
        if (a instanceof byte[] x) {
            return Arrays.equals(x, (byte[]) b) ? null : at + ": bytes differ";
        }
        if (a instanceof Record) {
            for (RecordComponent c : a.getClass().getRecordComponents()) {
                String d = difference(at + "." + c.getName(), get(c, a), get(c, b));
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (a instanceof List<?> x) {
            List<?> y = (List<?>) b;
            if (x.size() != y.size()) {
                return at + ": " + x.size() + " elements became " + y.size();
            }
            Iterator<?> i = x.iterator();
            Iterator<?> j = y.iterator();
            for (int k = 0; i.hasNext(); k++) {
                String d = difference(at + "[" + k + "]", i.next(), j.next());
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (a instanceof Map<?, ?> x) {
            Map<?, ?> y = (Map<?, ?>) b;
            if (!x.keySet().equals(y.keySet())) {
                return at + ": keys " + x.keySet() + " became " + y.keySet();
            }
            for (var e : x.entrySet()) {
                String d = difference(at + "[" + e.getKey() + "]", e.getValue(), y.get(e.getKey()));
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        return a.equals(b) ? null : at + ": " + a + " became " + b;
    }

    private static Object get(RecordComponent c, Object record) {
        try {
            return c.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c + " of " + record.getClass(), e);
        }
    }
}
