//! A counting global allocator proves that a warm, repeated evaluation of the
//! docs' Example 2 performs no heap allocation at all (issue 7): the evaluator
//! reuses its storage, windows are borrowed slices, aggregates stream over
//! them, and the results string is built only when asked.

#[path = "../benches/common/mod.rs"]
mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use batchscale::{EvalContext, Formula};
use common::formulas::{shipyard, EXAMPLE2, EXAMPLE3};

/// Counts allocations made by the current thread while counting is on.
struct Counting;

thread_local! {
    static ON: Cell<bool> = const { Cell::new(false) };
    static COUNT: Cell<u64> = const { Cell::new(0) };
}

fn note() {
    // `try_with`: thread-local storage may be gone while a thread shuts down.
    let _ = ON.try_with(|on| {
        if on.get() {
            let _ = COUNT.try_with(|c| c.set(c.get() + 1));
        }
    });
}

// SAFETY: every call is forwarded unchanged to the system allocator; the
// bookkeeping touches only const-initialised thread-locals, which never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note();
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note();
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Allocations made by `f` on this thread.
fn allocations(f: impl FnOnce()) -> u64 {
    COUNT.with(|c| c.set(0));
    ON.with(|on| on.set(true));
    f();
    ON.with(|on| on.set(false));
    COUNT.with(Cell::get)
}

/// Runs `text` once to warm the evaluator, then counts 1,000 further runs.
fn warm_runs(text: &str, ctx: &EvalContext) -> u64 {
    let formula = Formula::parse(text).unwrap();
    assert!(formula.diagnostics().is_empty());
    let mut evaluator = formula.evaluator();
    let first = evaluator.run(ctx).unwrap();
    allocations(|| {
        for _ in 0..1000 {
            assert_eq!(evaluator.run(ctx), Ok(first));
        }
    })
}

#[test]
fn the_counter_sees_allocations() {
    let n = allocations(|| {
        let v: Vec<u64> = Vec::with_capacity(std::hint::black_box(16));
        drop(std::hint::black_box(v));
    });
    assert_eq!(n, 1);
}

#[test]
fn warm_example2_allocates_nothing() {
    assert_eq!(warm_runs(EXAMPLE2, &common::example2_context()), 0);
}

#[test]
fn warm_example3_allocates_nothing() {
    assert_eq!(warm_runs(EXAMPLE3, &common::example3_context()), 0);
}

#[test]
fn warm_shipyard_formula_allocates_nothing() {
    assert_eq!(warm_runs(&shipyard(), &common::shipyard_context()), 0);
}

#[test]
fn a_formula_that_keeps_a_vector_reuses_its_buffer() {
    // `$v` keeps a copy of the window; the second and later runs reuse the
    // buffer the first one allocated.
    let text =
        "$v = $PendingTasks.GetSample(TimeInterval_Minute * 15); $TargetDedicatedNodes = max($v);";
    assert_eq!(warm_runs(text, &common::example2_context()), 0);
}
