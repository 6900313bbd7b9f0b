//! The `batchscale` command. Exit codes: 0 success, 1 invalid formula or failed
//! evaluation, 2 usage or input error.

use std::num::NonZeroUsize;
use std::process::ExitCode;

/// Most pest rule calls one parse may make. pest's limit is process-global, so
/// it is set here in the binary and never by the library.
const PEST_CALL_LIMIT: usize = 200_000_000;

fn main() -> ExitCode {
    pest::set_call_limit(NonZeroUsize::new(PEST_CALL_LIMIT));
    batchscale::cli::main()
}
