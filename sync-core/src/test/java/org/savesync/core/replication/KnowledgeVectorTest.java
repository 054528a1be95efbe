package org.savesync.core.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.savesync.core.replication.Fixtures.id;

import java.util.Map;
import org.savesync.core.identity.NodeId;
import org.junit.jupiter.api.Test;

class KnowledgeVectorTest {
    private static final NodeId A = id(1);
    private static final NodeId B = id(2);

    @Test
    void withNeverLowersWhatIsKnown() {
        KnowledgeVector k = KnowledgeVector.EMPTY.with(A, 5);
        assertThat(k.get(A)).isEqualTo(5);
        assertThat(k.get(B)).isZero();
        assertThat(k.with(A, 3)).isSameAs(k);
        assertThat(k.with(A, 9).get(A)).isEqualTo(9);
        assertThat(k.with(B, 0)).isEqualTo(k);
        assertThat(KnowledgeVector.EMPTY.get(A)).isZero();
        assertThatThrownBy(() -> k.with(A, -1)).hasMessageContaining(">= 0");
    }

    @Test
    void mergeTakesTheMaximumPerAuthor() {
        KnowledgeVector a = KnowledgeVector.of(Map.of(A, 5L, B, 1L));
        KnowledgeVector b = KnowledgeVector.of(Map.of(A, 2L, B, 7L));
        assertThat(a.merge(b)).isEqualTo(KnowledgeVector.of(Map.of(A, 5L, B, 7L))).isEqualTo(b.merge(a));
        assertThat(a.merge(KnowledgeVector.EMPTY)).isEqualTo(a);
        assertThat(a.highest().keySet()).containsExactly(A, B);
        assertThatThrownBy(() -> KnowledgeVector.of(Map.of(A, 0L))).hasMessageContaining(">= 1");
    }
}
