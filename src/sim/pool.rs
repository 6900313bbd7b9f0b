//! The pool: nodes by type and state, and the free-slot index the scheduler reads.

use std::collections::BTreeSet;

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
    /// Allocated, starting up.
    Starting,
    /// Running tasks or idle.
    Ready,
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
}

/// All nodes and the per-type counts.
#[derive(Debug, Clone)]
pub struct Pool {
    /// Every node ever allocated (removed ones stay, so indices are stable).
    pub nodes: Vec<Node>,
    /// `(free slots, node)` of ready nodes with a free slot.
    free: BTreeSet<(u16, u32)>,
    /// Slots per node.
    pub slots: u16,
    fill: FillType,
    /// Nodes not removed, by kind (`$CurrentDedicatedNodes`, `$CurrentLowPriorityNodes`).
    pub alive: [u32; 2],
    /// Nodes that count toward the target (not leaving), by kind.
    pub kept: [u32; 2],
    /// Preempted nodes.
    pub preempted: u32,
    /// Nodes that report metrics (ready or leaving, not starting or preempted).
    pub reporting: u32,
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
            free: BTreeSet::new(),
            slots,
            fill,
            alive: [0; 2],
            kept: [0; 2],
            preempted: 0,
            reporting: 0,
            busy: 0,
            used_slots: 0,
        }
    }

    /// The node `i`.
    pub fn node(&self, i: u32) -> Option<&Node> {
        self.nodes.get(i as usize)
    }

    /// Allocates a starting node.
    pub fn add(&mut self, kind: Kind) -> u32 {
        self.nodes.push(Node {
            kind,
            state: NodeState::Starting,
            used: 0,
            epoch: 0,
            running: Vec::new(),
            retained_until: 0,
            retain: false,
        });
        let k = kind as usize;
        for counter in [self.alive.get_mut(k), self.kept.get_mut(k)]
            .into_iter()
            .flatten()
        {
            *counter += 1;
        }
        self.nodes.len() as u32 - 1
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
            self.free.remove(&(free, i));
        }
        if state == NodeState::Ready && free > 0 {
            self.free.insert((free, i));
        }
        let reports = |s: NodeState| {
            matches!(
                s,
                NodeState::Ready | NodeState::Draining | NodeState::Retaining
            )
        };
        let kept = |s: NodeState| {
            matches!(
                s,
                NodeState::Starting | NodeState::Ready | NodeState::Preempted
            )
        };
        let alive = |s: NodeState| s != NodeState::Removed;
        adjust(&mut self.reporting, reports(old), reports(state));
        adjust(
            &mut self.preempted,
            old == NodeState::Preempted,
            state == NodeState::Preempted,
        );
        if let (Some(a), Some(p)) = (self.alive.get_mut(k), self.kept.get_mut(k)) {
            adjust(a, alive(old), alive(state));
            adjust(p, kept(old), kept(state));
        }
        node.state = state;
        node.epoch = node.epoch.wrapping_add(1);
    }

    /// A ready node with `need` free slots, chosen by the fill type.
    pub fn pick(&self, need: u16) -> Option<u32> {
        match self.fill {
            FillType::Spread => self
                .free
                .last()
                .filter(|(free, _)| *free >= need)
                .map(|&(_, i)| i),
            FillType::Pack => self.free.range((need, 0)..).next().map(|&(_, i)| i),
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
            self.free.remove(&(total - before, i));
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
            self.free.insert((total - after, i));
        }
        adjust(&mut self.busy, before > 0, after > 0);
    }
}

fn adjust(counter: &mut u32, was: bool, is: bool) {
    match (was, is) {
        (false, true) => *counter += 1,
        (true, false) => *counter = counter.saturating_sub(1),
        _ => {}
    }
}
