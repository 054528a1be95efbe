package org.savesync.server.persistence.entity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code chunks}: the catalog entry of one chunk file in the chunk store. */
@Entity
@Table(name = "chunks")
public class ChunkEntity extends PanacheEntityBase {
    /** Raw 32-byte SHA-256. */
    @Id
    public byte[] hash;
    public int length;
    public Instant storedAt;
}
