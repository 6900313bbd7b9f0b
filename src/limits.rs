//! Resource limits: every one is an ordinary error with a code, a span and the limit's value.

/// Limits applied while parsing, checking and evaluating a formula.
///
/// The defaults are the Azure Batch service's own limits (8,192 characters, 100
/// statements) plus a nesting depth of 64 and an evaluation work budget. Any of them
/// may be raised, but never past the hard caps ([`Limits::MAX_FORMULA_BYTES`],
/// [`Limits::MAX_NESTING`], ...), which keep every input bounded in time and stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest formula, in characters (service: 8,192).
    pub max_chars: usize,
    /// Most non-empty statements (service: 100).
    pub max_statements: usize,
    /// Deepest expression nesting: brackets, argument lists, `? :` middles,
    /// prefix operators and member/method accesses each count one level.
    pub max_nesting: usize,
    /// Most evaluation steps (nodes visited plus vector elements touched) in one run.
    pub max_eval_steps: u64,
    /// Largest vector a formula may build.
    pub max_vector_len: usize,
}

impl Limits {
    /// Hard cap on formula size in bytes, even when service limits are lifted.
    pub const MAX_FORMULA_BYTES: usize = 1 << 20;
    /// Hard cap on nesting depth, even when limits are lifted (keeps every
    /// recursive pass within a 2 MiB stack in debug builds).
    pub const MAX_NESTING: usize = 100;
    /// Hard cap on the evaluation work budget.
    pub const MAX_EVAL_STEPS: u64 = 1 << 32;
    /// Hard cap on vector length.
    pub const MAX_VECTOR_LEN: usize = 1 << 24;

    /// The service's limits (the default).
    pub const SERVICE: Limits = Limits {
        max_chars: 8192,
        max_statements: 100,
        max_nesting: 64,
        max_eval_steps: 10_000_000,
        max_vector_len: 1 << 20,
    };

    /// Every limit raised to its hard cap.
    pub const LIFTED: Limits = Limits {
        max_chars: Self::MAX_FORMULA_BYTES,
        max_statements: usize::MAX,
        max_nesting: Self::MAX_NESTING,
        max_eval_steps: Self::MAX_EVAL_STEPS,
        max_vector_len: Self::MAX_VECTOR_LEN,
    };

    /// These limits with each value clamped to its hard cap.
    pub fn clamped(self) -> Limits {
        Limits {
            max_chars: self.max_chars.min(Self::MAX_FORMULA_BYTES),
            max_statements: self.max_statements,
            max_nesting: self.max_nesting.min(Self::MAX_NESTING),
            max_eval_steps: self.max_eval_steps.min(Self::MAX_EVAL_STEPS),
            max_vector_len: self.max_vector_len.min(Self::MAX_VECTOR_LEN),
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::SERVICE
    }
}
