package org.savesync.server.persistence.entity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Arrays;
import org.savesync.core.membership.GroupId;
import org.savesync.core.replication.Entry;
import org.savesync.core.replication.SignedEntry;

/**
 * A row of {@code entries}: one signed entry as received. The newest of each (group, author,
 * path) is current; older ones are {@link #superseded} and kept for backup.
 */
@Entity
@Table(name = "entries")
@IdClass(EntryEntity.Key.class)
public class EntryEntity extends PanacheEntityBase {
    @Id
    public byte[] groupId;
    @Id
    public byte[] author;
    @Id
    public long seq;
    public String path;
    /** {@code org.savesync.core.replication.EntryType} name. */
    public String type;
    public byte[] blobId;
    public long size;
    public long mtimeNanos;
    public byte[] signedBytes;
    public byte[] signature;
    public boolean superseded;

    /** The row of a newly received entry (current). */
    public static EntryEntity of(GroupId group, SignedEntry signed) {
        Entry e = signed.entry();
        EntryEntity row = new EntryEntity();
        row.groupId = group.bytes();
        row.author = e.author().bytes();
        row.seq = e.seq();
        row.path = e.path().toString();
        row.type = e.type().name();
        row.blobId = e.blob() == null ? null : e.blob().bytes();
        row.size = e.size();
        row.mtimeNanos = e.mtimeNanos();
        row.signedBytes = signed.signedBytes();
        row.signature = signed.signature();
        return row;
    }

    /** The primary key (group, author, seq): an author never reuses a seq. */
    public static class Key implements Serializable {
        public byte[] groupId;
        public byte[] author;
        public long seq;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(groupId, k.groupId) && Arrays.equals(author, k.author)
                    && seq == k.seq;
        }

        @Override
        public int hashCode() {
            return (31 * Arrays.hashCode(groupId) + Arrays.hashCode(author)) * 31 + Long.hashCode(seq);
        }
    }
}
