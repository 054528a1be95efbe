/**
 * What an operator watches: Prometheus metrics ({@code /q/metrics}, names {@code savesync_*})
 * and the readiness and liveness checks ({@code /q/health}).
 */
package org.savesync.server.metrics;
