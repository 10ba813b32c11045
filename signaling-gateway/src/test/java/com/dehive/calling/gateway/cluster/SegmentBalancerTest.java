package com.dehive.calling.gateway.cluster;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a node does with the segments of one processor, given how many nodes are live. */
class SegmentBalancerTest {

    private static final int[] TWO_SEGMENTS = {0, 1};

    @Test
    void a_node_holding_more_than_its_share_hands_back_the_rest() {
        SegmentBalancer.Plan plan = SegmentBalancer.plan(TWO_SEGMENTS, List.of(0, 1), 2);

        assertThat(plan.fairShare()).isEqualTo(1);
        assertThat(plan.release()).containsExactly(1);
        assertThat(plan.claimable()).isEmpty();
    }

    @Test
    void a_node_holding_its_share_keeps_it_and_takes_nothing_more() {
        SegmentBalancer.Plan plan = SegmentBalancer.plan(TWO_SEGMENTS, List.of(0), 2);

        assertThat(plan.release()).isEmpty();
        assertThat(plan.claimable()).isEmpty();
    }

    @Test
    void a_survivor_below_its_share_may_claim_at_once_what_it_handed_back_to_a_node_now_gone() {
        // it released segment 1 for the second node, which died before or after claiming it
        SegmentBalancer.Plan plan = SegmentBalancer.plan(TWO_SEGMENTS, List.of(0), 1);

        assertThat(plan.fairShare()).isEqualTo(2);
        assertThat(plan.release()).isEmpty();
        assertThat(plan.claimable()).containsExactly(1);
    }

    @Test
    void a_node_just_started_may_claim_any_segment_it_does_not_hold() {
        SegmentBalancer.Plan plan = SegmentBalancer.plan(new int[]{0, 1, 2}, List.of(), 2);

        assertThat(plan.fairShare()).isEqualTo(2);
        assertThat(plan.claimable()).containsExactly(0, 1, 2);
    }
}
