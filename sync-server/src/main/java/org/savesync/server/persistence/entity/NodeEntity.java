package org.savesync.server.persistence.entity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code nodes}: a node the hub has heard of (enrolled, or a member that connected). */
@Entity
@Table(name = "nodes")
public class NodeEntity extends PanacheEntityBase {
    /** Raw 32-byte node id. */
    @Id
    public byte[] nodeId;
    public String name;
    /** Null when the node never enrolled (a member that joined by invite only). */
    public Instant enrolledAt;
    public Instant lastSeen;
    /** When an administrator revoked its enrollment; null while it is not revoked. */
    public Instant revokedAt;
    /** Who revoked it (the administrator's principal name); null while it is not revoked. */
    public String revokedBy;
    public String[] addresses = new String[0];
}
