package org.savesync.core.index;

import java.util.Collection;
import org.savesync.core.membership.GroupId;

/** Opens the index store of each group; lists the groups a node already belongs to so a restart resumes them. */
public interface StoreProvider {
    IndexStore open(GroupId group);

    Collection<GroupId> groups();

    /** Forgets a group's index entirely (the node left the group); the folder's files are not touched. */
    void remove(GroupId group);
}
