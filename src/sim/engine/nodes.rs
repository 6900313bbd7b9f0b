//! Nodes joining, leaving and being preempted.

use std::cmp::Reverse;

use rand::Rng;
use rand_distr::{Distribution as _, Exp};

use super::{class, Simulation, Stop, HOUR_MS};
use crate::sim::pool::{Kind, NodeState};
use crate::sim::scenario::ResizeMode;
use crate::value::NodeDeallocationOption;

impl Simulation<'_> {
    /// Schedules the creation of `node`, now allocating, `extra` ms after its
    /// allocation delay.
    fn allocate(&mut self, node: u32, extra: i64) {
        let delay = self
            .loaded
            .scenario
            .pool
            .allocation_delay
            .sample(&mut self.rng);
        let epoch = self.pool.node(node).map_or(0, |n| n.epoch);
        let at = self.now.saturating_add(delay).saturating_add(extra);
        self.push(at, class::NODE_CREATED, node, epoch);
    }

    /// The VM exists: it boots and runs its start task (billed).
    pub(super) fn node_created(&mut self, node: u32, epoch: u32) {
        if !self
            .pool
            .node(node)
            .is_some_and(|n| n.state == NodeState::Allocating && n.epoch == epoch)
        {
            return;
        }
        self.pool.set_state(node, NodeState::Starting);
        let after = self.loaded.scenario.pool.startup.sample(&mut self.rng);
        let epoch = self.pool.node(node).map_or(0, |n| n.epoch);
        self.push(
            self.now.saturating_add(after),
            class::NODE_READY,
            node,
            epoch,
        );
    }

    pub(super) fn node_ready(&mut self, node: u32, epoch: u32) {
        if !self
            .pool
            .node(node)
            .is_some_and(|n| n.state == NodeState::Starting && n.epoch == epoch)
        {
            return;
        }
        let p = self.loaded.scenario.pool.start_task_failure.0;
        // No draw when start tasks never fail, so that such runs keep their streams.
        if p > 0.0 && self.rng.random::<f64>() < p {
            self.start_task_failures += 1;
            self.pool.set_state(node, NodeState::Unusable);
            return;
        }
        self.pool.set_state(node, NodeState::Ready);
        self.arm_preemption(node);
    }

    fn arm_preemption(&mut self, node: u32) {
        let rate = self.loaded.scenario.pool.preemption.rate_per_node_hour;
        let Some(n) = self.pool.node(node) else {
            return;
        };
        if n.kind != Kind::LowPriority || rate <= 0.0 {
            return;
        }
        let epoch = n.epoch;
        if let Ok(exp) = Exp::new(rate / HOUR_MS) {
            let after = exp.sample(&mut self.rng).ceil().min(1e15) as i64;
            self.push(
                self.now.saturating_add(after.max(1)),
                class::PREEMPT,
                node,
                epoch,
            );
        }
    }

    pub(super) fn preempt(&mut self, node: u32) {
        self.preemptions += 1;
        self.stop_tasks(node, Stop::Preempted);
        let leaving = self
            .pool
            .node(node)
            .is_some_and(|n| matches!(n.state, NodeState::Draining | NodeState::Retaining));
        if leaving {
            self.pool.set_state(node, NodeState::Removed);
            return;
        }
        self.pool.set_state(node, NodeState::Preempted);
        let epoch = self.pool.node(node).map_or(0, |n| n.epoch);
        let recovery = self.loaded.scenario.pool.preemption.recovery.0;
        self.push(self.now + recovery, class::RECOVER, node, epoch);
    }

    /// Capacity is back: the node is allocated and started again, as Azure
    /// re-creates a preempted Spot VM. It stays in the pool's counts meanwhile.
    pub(super) fn recover(&mut self, node: u32, epoch: u32) {
        if self
            .pool
            .node(node)
            .is_some_and(|n| n.state == NodeState::Preempted && n.epoch == epoch)
        {
            self.pool.set_state(node, NodeState::Allocating);
            self.allocate(node, 0);
        }
    }

    pub(super) fn fixed_preemption(&mut self, index: u32) {
        let Some(event) = self.loaded.scenario.pool.preemption.at.get(index as usize) else {
            return;
        };
        let fraction = event.fraction.0;
        let mut candidates: Vec<u32> = (0..self.pool.nodes.len() as u32)
            .filter(|&i| {
                self.pool.node(i).is_some_and(|n| {
                    n.kind == Kind::LowPriority
                        && matches!(
                            n.state,
                            NodeState::Ready | NodeState::Draining | NodeState::Retaining
                        )
                })
            })
            .collect();
        let count = ((candidates.len() as f64) * fraction).round() as usize;
        // A partial Fisher-Yates shuffle picks `count` nodes.
        for i in 0..count.min(candidates.len()) {
            let j = self.rng.random_range(i..candidates.len());
            candidates.swap(i, j);
        }
        candidates.truncate(count);
        candidates.sort_unstable();
        for node in candidates {
            self.preempt(node);
        }
    }

    /// Takes new targets: at once, or under `resize = "steady"` once no node
    /// is allocating, starting or leaving.
    pub(super) fn resize(&mut self, targets: [u32; 2], option: NodeDeallocationOption) {
        self.targets = targets;
        if self.loaded.scenario.pool.resize == ResizeMode::Steady && self.pool.changing > 0 {
            self.deferred = Some((targets, option));
        } else {
            self.deferred = None;
            self.apply(targets, option);
        }
    }

    /// Brings the kept node counts to `targets`. Low-priority growth stops at
    /// the share Azure can supply; node *i* of a grow is delayed *i* ÷
    /// `allocation_rate` minutes beyond its allocation delay.
    pub(super) fn apply(&mut self, targets: [u32; 2], option: NodeDeallocationOption) {
        let pool = &self.loaded.scenario.pool;
        let share = pool.preemption.availability.at(self.now).clamp(0.0, 1.0);
        let rate = pool.allocation_rate;
        for (kind, target) in [
            (Kind::Dedicated, targets[0]),
            (Kind::LowPriority, targets[1]),
        ] {
            let kept = self.pool.kept.get(kind as usize).copied().unwrap_or(0);
            let supplied = match kind {
                Kind::Dedicated => target,
                Kind::LowPriority => (f64::from(target) * share).floor() as u32,
            };
            if supplied > kept {
                for i in 0..supplied - kept {
                    let node = self.pool.add(kind);
                    let ramp = rate.map_or(0, |r| (f64::from(i) * 60_000.0 / r).round() as i64);
                    self.allocate(node, ramp);
                }
            } else if target < kept {
                self.shrink(kind, (kept - target) as usize, option);
            }
        }
    }

    /// Removes `n` nodes of `kind`: those not yet created, preempted or
    /// unusable first, then starting, idle, and the least busy.
    fn shrink(&mut self, kind: Kind, n: usize, option: NodeDeallocationOption) {
        let mut victims: Vec<(u8, u16, Reverse<u32>)> = self
            .pool
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, node)| node.kind == kind)
            .filter_map(|(i, node)| {
                let rank = match node.state {
                    NodeState::Allocating | NodeState::Preempted | NodeState::Unusable => 0,
                    NodeState::Starting => 1,
                    NodeState::Ready if node.used == 0 => 2,
                    NodeState::Ready => 3,
                    _ => return None,
                };
                Some((rank, node.used, Reverse(i as u32)))
            })
            .collect();
        victims.sort_unstable();
        victims.truncate(n);
        let retain = option == NodeDeallocationOption::RetainedData;
        for (_, used, Reverse(node)) in victims {
            if used > 0 {
                match option {
                    NodeDeallocationOption::Requeue => self.stop_tasks(node, Stop::Requeue),
                    NodeDeallocationOption::Terminate => self.stop_tasks(node, Stop::Fail),
                    NodeDeallocationOption::TaskCompletion
                    | NodeDeallocationOption::RetainedData => {
                        if let Some(nd) = self.pool.nodes.get_mut(node as usize) {
                            nd.retain = retain;
                        }
                        self.pool.set_state(node, NodeState::Draining);
                        continue;
                    }
                }
            }
            let ready = self
                .pool
                .node(node)
                .is_some_and(|n| n.state == NodeState::Ready);
            if retain && ready {
                if let Some(nd) = self.pool.nodes.get_mut(node as usize) {
                    nd.retain = true;
                }
                self.pool.set_state(node, NodeState::Draining);
                self.after_task_left(node);
            } else {
                self.pool.set_state(node, NodeState::Removed);
            }
        }
    }
}
