/**
 * Fuzzing of every parser that reads bytes from outside (peers, pasted tickets, the command
 * line). {@link org.savesync.core.fuzz.ParserTarget} states one parser's contract: which typed
 * exceptions it may refuse with, how much it may allocate for an input of a given size, and how
 * an accepted input round-trips through the real encoder. {@link org.savesync.core.fuzz.ParserTargets}
 * lists them all with seeds made by the real encoders; {@link org.savesync.core.fuzz.ParserFuzzTest}
 * fuzzes them with Jazzer for a bounded time in the suite (longer with {@code bench/fuzz.sh}), and
 * {@link org.savesync.core.fuzz.ParserSeedsTest} replays the seeds and the kept regression inputs
 * in every ordinary run.
 */
package org.savesync.core.fuzz;
