//! The ready queue as the service's scheduler serves it: higher job priority
//! first; among equal priorities, jobs in turn (`uniform`, the service's
//! `jobDefaultOrder` `none`) or the earliest-created job first
//! (`creation_time`); within a job, first in, first out.

use std::cmp::Reverse;
use std::collections::{BTreeSet, VecDeque};

use crate::sim::scenario::JobOrder;

/// Tasks ready to run, by job.
#[derive(Debug, Clone)]
pub(super) struct ReadyQueue {
    order: JobOrder,
    /// Each job's ready tasks, oldest first.
    tasks: Vec<VecDeque<u32>>,
    /// `(priority, creation time)` of each job.
    jobs: Vec<(i32, i64)>,
    /// Jobs with ready tasks, the next to serve first: `(priority, key, job)`
    /// where the key is the creation time, or for `uniform` the turn at which
    /// the job last joined or was served.
    serving: BTreeSet<(Reverse<i32>, i64, u32)>,
    turn: i64,
    len: usize,
}

impl ReadyQueue {
    /// An empty queue for jobs of `(priority, creation time)`.
    pub(super) fn new(order: JobOrder, jobs: Vec<(i32, i64)>) -> Self {
        ReadyQueue {
            order,
            tasks: vec![VecDeque::new(); jobs.len()],
            jobs,
            serving: BTreeSet::new(),
            turn: 0,
            len: 0,
        }
    }

    /// Tasks in the queue.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// Whether the queue is empty.
    pub(super) fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn key(&mut self, job: u32) -> (Reverse<i32>, i64, u32) {
        let (priority, created) = self.jobs.get(job as usize).copied().unwrap_or((0, 0));
        let key = match self.order {
            JobOrder::CreationTime => created,
            JobOrder::Uniform => {
                self.turn += 1;
                self.turn
            }
        };
        (Reverse(priority), key, job)
    }

    /// Puts `task` of `job` at the back of its job's queue.
    pub(super) fn push(&mut self, task: u32, job: u32) {
        let Some(queue) = self.tasks.get_mut(job as usize) else {
            return;
        };
        let was_empty = queue.is_empty();
        queue.push_back(task);
        self.len += 1;
        if was_empty {
            let key = self.key(job);
            self.serving.insert(key);
        }
    }

    /// The task the scheduler would start next.
    pub(super) fn peek(&self) -> Option<u32> {
        let &(_, _, job) = self.serving.first()?;
        self.tasks.get(job as usize)?.front().copied()
    }

    /// Removes the task [`ReadyQueue::peek`] returns; under `uniform` its job
    /// goes behind the other jobs of its priority.
    pub(super) fn pop(&mut self) -> Option<u32> {
        let &(_, _, job) = self.serving.first()?;
        let queue = self.tasks.get_mut(job as usize)?;
        let task = queue.pop_front();
        let more = !queue.is_empty();
        if task.is_some() {
            self.len -= 1;
        }
        // A job with more tasks keeps its place when its key would not
        // change (`creation_time`) or when it is the only job served: a turn
        // only orders it against other jobs, and a job that joins later gets
        // a later turn either way. This spares the set two updates per task.
        if more && (self.order == JobOrder::CreationTime || self.serving.len() == 1) {
            return task;
        }
        self.serving.pop_first();
        if more {
            let key = self.key(job);
            self.serving.insert(key);
        }
        task
    }
}
