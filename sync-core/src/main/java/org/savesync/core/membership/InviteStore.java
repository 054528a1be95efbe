package org.savesync.core.membership;

import java.util.List;

/**
 * Where an {@link InviteRegistry} keeps its invites so that they outlive the process. The
 * registry holds every invite in memory and decides everything (bounds, order of checks, the
 * last use); a store only records each change before the registry makes it, and hands all of
 * it back at start. It keeps invite ids ({@link InviteToken#id()}), never tokens.
 *
 * <p>{@link #inMemory()} keeps nothing beyond the registry's memory: an agent's invites die
 * with it. The hub keeps them in PostgreSQL. A store method that fails throws, and the
 * registry then leaves its state as it was.
 */
public interface InviteStore {
    /** A dead invite, remembered so that its joiner hears why it no longer works. */
    record Tombstone(String id, GroupId group, InviteRefusedException.Reason reason, int maxUses,
                     long expiresAtMillis, long forgetAtMillis) {
    }

    /** What a store held at start: live invites, and tombstones oldest first. */
    record Contents(List<Invite> live, List<Tombstone> dead) {
        public Contents {
            live = List.copyOf(live);
            dead = List.copyOf(dead);
        }
    }

    /** Everything kept. */
    Contents load();

    /** Records a new invite, or one whose uses went up. */
    void saveLive(Invite invite);

    /** Replaces a live invite by its tombstone. */
    void bury(Tombstone tombstone);

    /** Forgets a tombstone. */
    void forget(String id);

    /** A store that keeps nothing: the registry's memory is all there is. */
    static InviteStore inMemory() {
        return new InviteStore() {
            @Override
            public Contents load() {
                return new Contents(List.of(), List.of());
            }

            @Override
            public void saveLive(Invite invite) {
            }

            @Override
            public void bury(Tombstone tombstone) {
            }

            @Override
            public void forget(String id) {
            }
        };
    }
}
