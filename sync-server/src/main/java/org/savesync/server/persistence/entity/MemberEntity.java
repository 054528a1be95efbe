package org.savesync.server.persistence.entity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Arrays;

/** A row of {@code members}: one member of a group's current member list. */
@Entity
@Table(name = "members")
@IdClass(MemberEntity.Key.class)
public class MemberEntity extends PanacheEntityBase {
    @Id
    public byte[] groupId;
    @Id
    public byte[] nodeId;
    public String name;
    /** {@code org.savesync.core.membership.Role} name. */
    public String role;
    public Instant addedAt;
    public byte[] addedBy;

    /** The primary key (group, node). */
    public static class Key implements Serializable {
        public byte[] groupId;
        public byte[] nodeId;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(groupId, k.groupId) && Arrays.equals(nodeId, k.nodeId);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(groupId) + Arrays.hashCode(nodeId);
        }
    }
}
