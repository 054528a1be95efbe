/**
 * Hibernate (Panache) mappings of the hub's tables ({@code db/migration/V1__hub.sql}); plain
 * rows with raw-byte ids. The stores in {@link org.savesync.server.persistence} turn them into
 * domain types; nothing else uses them.
 */
package org.savesync.server.persistence.entity;
