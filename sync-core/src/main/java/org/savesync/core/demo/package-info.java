/** The quick-start demo: two engines on this machine keeping two folders in sync. */
package org.savesync.core.demo;
