//! `batchscale fmt`: rewrite formula files in the canonical layout, or with
//! `--check` report the files that would change.

use clap::Args;

use super::io::{read_formula, stderr_color};
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::diagnostics::render;
use crate::extract::Carrier;
use crate::format::format_formula;
use crate::lint::check_formula;

/// Arguments of `batchscale fmt`.
#[derive(Debug, Args)]
pub struct FmtArgs {
    /// Change nothing; exit 1 when a file would change.
    #[arg(long)]
    pub check: bool,
    /// Read standard input (`-`) as this file: its extension picks the
    /// kind of file, and messages name it.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,
    /// Formula files to format in place; `-` (or nothing) formats standard input to standard output.
    #[arg(value_name = "PATHS")]
    pub paths: Vec<String>,
}

/// Runs `batchscale fmt`.
pub fn run(args: &FmtArgs) -> i32 {
    let stdin = ["-".to_string()];
    let paths: &[String] = if args.paths.is_empty() {
        &stdin
    } else {
        &args.paths
    };
    let mut code = EXIT_OK;
    for path in paths {
        let origin = match (path.as_str(), &args.stdin_filename) {
            ("-", Some(name)) => name.as_str(),
            ("-", None) => "<stdin>",
            _ => path.as_str(),
        };
        let text = match read_formula(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: {e}");
                code = EXIT_USAGE;
                continue;
            }
        };
        let carrier = Carrier::detect(origin, &text);
        if carrier != Carrier::Plain {
            // Rewriting a formula inside its host would need the host's own
            // quoting rules; saying so beats a confusing syntax error.
            eprintln!(
                "error: {origin}: a {} file: `fmt` rewrites formula files only, so its formulas were not formatted (`batchscale check` reads them)",
                carrier.describe()
            );
            code = EXIT_USAGE;
            continue;
        }
        let formatted = match format_formula(&text) {
            Ok(f) => f,
            Err(_) => {
                // The check pipeline reports every syntax error, with fixes.
                for d in check_formula(&text, &Default::default())
                    .iter()
                    .filter(|d| d.severity == crate::Severity::Error)
                {
                    eprintln!("{}\n", render(&text, origin, d, stderr_color()));
                }
                eprintln!("error: {origin}: not formatted: the formula does not parse");
                code = code.max(EXIT_FAILED);
                continue;
            }
        };
        if args.check {
            if formatted != text {
                println!("would reformat: {origin}");
                code = code.max(EXIT_FAILED);
            }
        } else if path == "-" {
            print!("{formatted}");
        } else if formatted != text {
            if let Err(e) = std::fs::write(path, &formatted) {
                eprintln!("error: {origin}: cannot write: {e}");
                code = EXIT_USAGE;
            }
        }
    }
    code
}
