/**
 * Who belongs to a group and how one joins it: group ids and secrets, the member list
 * that the group's authority signs in numbered versions, invite tokens and the
 * copy-pasteable invite ticket a joiner uses to reach the authority.
 */
package org.savesync.core.membership;
