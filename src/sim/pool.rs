//! The pool: nodes by type and state, and the free-slot index the scheduler reads.

use super::scenario::FillType;

/// Dedicated or low-priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Dedicated.
    Dedicated = 0,
    /// Low-priority (spot).
    LowPriority = 1,
}

/// A node's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeState {
    /// Requested, not yet created (the VM's *Creating*): not billed; a new
    /// node is not yet in the pool's counts, a recovering Spot node still is.
    Allocating,
    /// Created, booting and running its start task: billed.
    Starting,
    /// Running tasks or idle.
    Ready,
    /// Its start task failed: billed, counted toward the target, runs nothing.
    Unusable,
    /// Leaving: runs its tasks to the end, takes no new ones.
    Draining,
    /// Leaving: idle, waiting for its tasks' retained data to expire.
    Retaining,
    /// A preempted low-priority node, waiting to recover.
    Preempted,
    /// Gone.
    Removed,
}

/// One node.
#[derive(Debug, Clone)]
pub struct Node {
    /// Dedicated or low-priority.
    pub kind: Kind,
    /// State.
    pub state: NodeState,
    /// Slots in use.
    pub used: u16,
    /// Bumped on every change that makes a scheduled event stale.
    pub epoch: u32,
    /// Tasks running on it.
    pub running: Vec<u32>,
    /// Until when finished tasks' data is retained (ms).
    pub retained_until: i64,
    /// Whether, once drained, it waits for retained data (`retaineddata`).
    pub retain: bool,
    /// Whether it appears in the pool's node list (`$Current*Nodes`): from its
    /// creation until it is removed.
    pub listed: bool,
}

/// All nodes and the per-type counts.
#[derive(Debug, Clone)]
pub struct Pool {
    /// Every node ever allocated (removed ones stay, so indices are stable).
    pub nodes: Vec<Node>,
    /// Ready nodes with a free slot, by free slots.
    free: FreeSlots,
    /// Slots per node.
    pub slots: u16,
    fill: FillType,
    /// Nodes in the pool's list (created, not removed), by kind
    /// (`$CurrentDedicatedNodes`, `$CurrentLowPriorityNodes`).
    pub alive: [u32; 2],
    /// Nodes that count toward the target (requested, not leaving), by kind.
    pub kept: [u32; 2],
    /// Preempted nodes.
    pub preempted: u32,
    /// Nodes that report metrics (ready or leaving, not starting or preempted).
    pub reporting: u32,
    /// Billed nodes by kind: created and not preempted (starting, ready,
    /// unusable, leaving).
    pub billed: [u32; 2],
    /// Nodes being allocated (not billed).
    pub allocating: u32,
    /// Nodes booting (billed).
    pub starting: u32,
    /// Nodes whose start task failed.
    pub unusable: u32,
    /// Nodes allocating, starting or leaving: the pool is steady when 0.
    pub changing: u32,
    /// Indices of removed nodes, reused by the next allocations so that memory
    /// follows the live pool, not every node ever allocated.
    vacant: Vec<u32>,
    /// Nodes with at least one task.
    pub busy: u32,
    /// Slots in use in total.
    pub used_slots: u64,
}

impl Pool {
    /// An empty pool.
    pub fn new(slots: u16, fill: FillType) -> Pool {
        Pool {
            nodes: Vec::new(),
            free: FreeSlots::new(slots),
            slots,
            fill,
            alive: [0; 2],
            kept: [0; 2],
            preempted: 0,
            reporting: 0,
            billed: [0; 2],
            allocating: 0,
            starting: 0,
            unusable: 0,
            changing: 0,
            vacant: Vec::new(),
            busy: 0,
            used_slots: 0,
        }
    }

    /// The node `i`.
    pub fn node(&self, i: u32) -> Option<&Node> {
        self.nodes.get(i as usize)
    }

    /// Requests a node: it is allocating, not yet in the counts of current
    /// nodes. Reuses a removed node's index when there is one.
    pub fn add(&mut self, kind: Kind) -> u32 {
        let fresh = Node {
            kind,
            state: NodeState::Removed,
            used: 0,
            epoch: 0,
            running: Vec::new(),
            retained_until: 0,
            retain: false,
            listed: false,
        };
        let i = match self.vacant.pop() {
            Some(i) => {
                if let Some(node) = self.nodes.get_mut(i as usize) {
                    // The epoch carries on, so events of the old node stay stale.
                    let epoch = node.epoch;
                    *node = Node { epoch, ..fresh };
                }
                i
            }
            None => {
                self.nodes.push(fresh);
                self.nodes.len() as u32 - 1
            }
        };
        self.set_state(i, NodeState::Allocating);
        i
    }

    /// Moves node `i` to `state`, keeping the counts and the free index right.
    pub fn set_state(&mut self, i: u32, state: NodeState) {
        let slots = self.slots;
        let Some(node) = self.nodes.get_mut(i as usize) else {
            return;
        };
        let old = node.state;
        if old == state {
            return;
        }
        let k = node.kind as usize;
        let free = slots.saturating_sub(node.used);
        if old == NodeState::Ready && free > 0 {
            self.free.remove(free, i);
        }
        if state == NodeState::Ready && free > 0 {
            self.free.insert(free, i);
        }
        use NodeState as S;
        let reports = |s: S| matches!(s, S::Ready | S::Draining | S::Retaining);
        let kept = |s: S| {
            matches!(
                s,
                S::Allocating | S::Starting | S::Ready | S::Unusable | S::Preempted
            )
        };
        let billed = |s: S| {
            matches!(
                s,
                S::Starting | S::Ready | S::Unusable | S::Draining | S::Retaining
            )
        };
        let changing = |s: S| matches!(s, S::Allocating | S::Starting | S::Draining | S::Retaining);
        let was_listed = node.listed && old != S::Removed;
        // A node enters the pool's list when it is created and leaves it when removed.
        if matches!(state, S::Starting) {
            node.listed = true;
        }
        let listed = node.listed && state != S::Removed;
        adjust(&mut self.reporting, reports(old), reports(state));
        adjust(
            &mut self.preempted,
            old == S::Preempted,
            state == S::Preempted,
        );
        adjust(
            &mut self.allocating,
            old == S::Allocating,
            state == S::Allocating,
        );
        adjust(&mut self.starting, old == S::Starting, state == S::Starting);
        adjust(&mut self.unusable, old == S::Unusable, state == S::Unusable);
        adjust(&mut self.changing, changing(old), changing(state));
        if let (Some(a), Some(p), Some(b)) = (
            self.alive.get_mut(k),
            self.kept.get_mut(k),
            self.billed.get_mut(k),
        ) {
            adjust(a, was_listed, listed);
            adjust(p, kept(old), kept(state));
            adjust(b, billed(old), billed(state));
        }
        node.state = state;
        node.epoch = node.epoch.wrapping_add(1);
        if state == S::Removed {
            node.listed = false;
            self.vacant.push(i);
        }
    }

    /// A ready node with `need` free slots, chosen by the fill type.
    pub fn pick(&self, need: u16) -> Option<u32> {
        match self.fill {
            FillType::Spread => self
                .free
                .most()
                .filter(|(free, _)| *free >= need)
                .map(|(_, i)| i),
            FillType::Pack => self.free.fewest_from(need),
        }
    }

    /// Changes node `i`'s used slots by `delta` and records `task` on or off it.
    pub fn occupy(&mut self, i: u32, task: u32, slots: u16, on: bool) {
        let total = self.slots;
        let Some(node) = self.nodes.get_mut(i as usize) else {
            return;
        };
        let before = node.used;
        let ready = node.state == NodeState::Ready;
        if ready && total > before {
            self.free.remove(total - before, i);
        }
        if on {
            node.used = before.saturating_add(slots);
            node.running.push(task);
            self.used_slots += u64::from(slots);
        } else {
            node.used = before.saturating_sub(slots);
            if let Some(pos) = node.running.iter().position(|&t| t == task) {
                node.running.swap_remove(pos);
            }
            self.used_slots = self.used_slots.saturating_sub(u64::from(slots));
        }
        let after = node.used;
        if ready && total > after {
            self.free.insert(total - after, i);
        }
        adjust(&mut self.busy, before > 0, after > 0);
    }
}

/// Ready nodes with free slots, grouped by how many: for each count, a bit
/// per node, and a bit per count that has nodes. It orders nodes as the set
/// of `(free slots, node)` would, with a few word scans per pick instead of a
/// tree walk per task start and end (a million tasks start and end in the
/// Monte Carlo example).
#[derive(Debug, Clone)]
struct FreeSlots {
    /// `nodes[f]`: bit `i` is set when node `i` has `f` free slots.
    nodes: Vec<Vec<u64>>,
    /// `sizes[f]`: how many nodes have `f` free slots.
    sizes: Vec<u32>,
    /// Bit `f` is set when some node has `f` free slots.
    counts: Vec<u64>,
}

impl FreeSlots {
    fn new(slots: u16) -> FreeSlots {
        let buckets = usize::from(slots) + 1;
        FreeSlots {
            nodes: vec![Vec::new(); buckets],
            sizes: vec![0; buckets],
            counts: vec![0; buckets.div_ceil(64)],
        }
    }

    fn insert(&mut self, free: u16, node: u32) {
        let (word, bit) = ((node / 64) as usize, node % 64);
        let Some(bucket) = self.nodes.get_mut(usize::from(free)) else {
            return;
        };
        if bucket.len() <= word {
            bucket.resize(word + 1, 0);
        }
        let (Some(w), Some(size)) = (bucket.get_mut(word), self.sizes.get_mut(usize::from(free)))
        else {
            return;
        };
        if *w & (1 << bit) == 0 {
            *w |= 1 << bit;
            *size += 1;
        }
        if let Some(c) = self.counts.get_mut(usize::from(free / 64)) {
            *c |= 1 << (free % 64);
        }
    }

    fn remove(&mut self, free: u16, node: u32) {
        let (word, bit) = ((node / 64) as usize, node % 64);
        let Some(bucket) = self.nodes.get_mut(usize::from(free)) else {
            return;
        };
        let (Some(w), Some(size)) = (bucket.get_mut(word), self.sizes.get_mut(usize::from(free)))
        else {
            return;
        };
        if *w & (1 << bit) != 0 {
            *w &= !(1 << bit);
            *size -= 1;
        }
        if *size == 0 {
            if let Some(c) = self.counts.get_mut(usize::from(free / 64)) {
                *c &= !(1 << (free % 64));
            }
        }
    }

    /// The lowest node with the fewest free slots of at least `need`: the
    /// first `(free, node)` from `(need, 0)`.
    fn fewest_from(&self, need: u16) -> Option<u32> {
        let mut from = usize::from(need);
        while let Some(&word) = self.counts.get(from / 64) {
            let word = word & (u64::MAX << (from % 64));
            if word != 0 {
                let free = from / 64 * 64 + word.trailing_zeros() as usize;
                return lowest(self.nodes.get(free)?);
            }
            from = (from / 64 + 1) * 64;
        }
        None
    }

    /// The highest node with the most free slots: the last `(free, node)`.
    fn most(&self) -> Option<(u16, u32)> {
        let (index, word) = self
            .counts
            .iter()
            .enumerate()
            .rev()
            .find(|(_, &w)| w != 0)?;
        let free = index * 64 + 63 - word.leading_zeros() as usize;
        let bucket = self.nodes.get(free)?;
        let (index, word) = bucket.iter().enumerate().rev().find(|(_, &w)| w != 0)?;
        Some((free as u16, (index * 64) as u32 + 63 - word.leading_zeros()))
    }
}

/// The lowest set bit of `words`.
fn lowest(words: &[u64]) -> Option<u32> {
    let (index, word) = words.iter().enumerate().find(|(_, &w)| w != 0)?;
    Some((index * 64) as u32 + word.trailing_zeros())
}

fn adjust(counter: &mut u32, was: bool, is: bool) {
    match (was, is) {
        (false, true) => *counter += 1,
        (true, false) => *counter = counter.saturating_sub(1),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The index answers as the ordered set of `(free, node)` it replaces,
    /// over a long deterministic mix of inserts and removes.
    #[test]
    fn free_slots_pick_as_the_ordered_set_does() {
        for slots in [1u16, 4, 63, 64, 65, 256] {
            let mut index = FreeSlots::new(slots);
            let mut set: BTreeSet<(u16, u32)> = BTreeSet::new();
            let mut state = 12345u64;
            for _ in 0..20_000 {
                // A linear congruential generator: the same mix every run.
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let node = ((state >> 33) % 300) as u32;
                let free = ((state >> 20) % u64::from(slots)) as u16 + 1;
                if state >> 63 == 0 {
                    index.insert(free, node);
                    set.insert((free, node));
                } else {
                    index.remove(free, node);
                    set.remove(&(free, node));
                }
                let need = ((state >> 8) % u64::from(slots)) as u16 + 1;
                let pack = set.range((need, 0)..).next().map(|&(_, i)| i);
                assert_eq!(index.fewest_from(need), pack);
                assert_eq!(index.most(), set.last().copied());
            }
        }
    }
}
