/**
 * The peer protocol as domain records ({@link org.savesync.core.protocol.Message}), its
 * limits ({@link org.savesync.core.protocol.Protocol}) and the one mapper between them and
 * the generated protobuf classes ({@link org.savesync.core.protocol.WireCodec}).
 */
package org.savesync.core.protocol;
