/**
 * The running hub: its node key, QUIC endpoint and sync engine, who may register groups
 * (enrollment), and what it knows about its peers right now.
 */
package org.savesync.server.service;
