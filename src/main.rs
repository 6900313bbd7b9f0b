//! The `batchscale` command. Exit codes: 0 success, 1 invalid formula or failed
//! evaluation, 2 usage or input error.

fn main() {
    std::process::exit(batchscale::cli::main());
}
