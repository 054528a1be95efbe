package org.savesync.server.persistence.entity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code groups}: one group's {@code GroupInfo}. */
@Entity
@Table(name = "groups")
public class GroupEntity extends PanacheEntityBase {
    /** Raw 16-byte group id. */
    @Id
    public byte[] groupId;
    public String name;
    /** Null on the hub, which keeps no folder. */
    public String folder;
    public byte[] authority;
    public Long secretEpoch;
    public byte[] secret;
    public byte[] handover;
    public byte[] handoverSig;
    public byte[] memberList;
    public byte[] memberListSig;
    public long memberListVersion;
    public byte[] peerAddresses;
}
