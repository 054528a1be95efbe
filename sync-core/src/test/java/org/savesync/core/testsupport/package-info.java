/**
 * Helpers shared by every SaveSync test: {@link org.savesync.core.testsupport.Manifest} describes a
 * tree independently of the engine, {@link org.savesync.core.testsupport.TreeBuilder} builds small
 * trees, {@link org.savesync.core.testsupport.Workloads} generates big deterministic workloads once
 * per machine and shares them.
 */
package org.savesync.core.testsupport;
