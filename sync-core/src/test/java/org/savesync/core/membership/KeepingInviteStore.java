package org.savesync.core.membership;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/** An {@link InviteStore} that keeps what it is told in maps, as a database would: for tests of the registry's writes. */
final class KeepingInviteStore implements InviteStore {
    final Map<String, Invite> live = new LinkedHashMap<>();
    final Map<String, Tombstone> dead = new LinkedHashMap<>();
    /** When set, the next write fails as a database that went away would. */
    boolean failNext;

    @Override
    public synchronized Contents load() {
        return new Contents(new ArrayList<>(live.values()), new ArrayList<>(dead.values()));
    }

    @Override
    public synchronized void saveLive(Invite invite) {
        maybeFail();
        live.put(invite.id(), invite);
    }

    @Override
    public synchronized void bury(Tombstone tombstone) {
        maybeFail();
        live.remove(tombstone.id());
        dead.remove(tombstone.id());
        dead.put(tombstone.id(), tombstone);
    }

    @Override
    public synchronized void forget(String id) {
        maybeFail();
        dead.remove(id);
    }

    private void maybeFail() {
        if (failNext) {
            failNext = false;
            throw new IllegalStateException("store down");
        }
    }
}
