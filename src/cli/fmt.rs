//! `batchscale fmt`: rewrite formula files in the canonical layout, or with
//! `--check` report the files that would change.

use std::path::Path;

use clap::Args;

use super::io::{
    errln, out, outln, read_formula_file, rewrite_if_unchanged, stderr_color, write_out_bytes,
};
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::diagnostics::{escape_controls, render};
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
    /// Change nothing; print a unified diff of each file that would change, and exit 1 if any would.
    #[arg(long)]
    pub diff: bool,
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
        let file = match read_formula_file(path) {
            Ok(f) => f,
            Err(e) => {
                errln!("error: {e}");
                code = EXIT_USAGE;
                continue;
            }
        };
        let text = &file.text;
        let carrier = Carrier::detect(origin, text);
        if carrier != Carrier::Plain {
            // Rewriting a formula inside its host would need the host's own
            // quoting rules; saying so beats a confusing syntax error.
            errln!(
                "error: {origin}: a {} file: `fmt` rewrites formula files only, so its formulas were not formatted (`batchscale check` reads them)",
                carrier.describe()
            );
            code = EXIT_USAGE;
            continue;
        }
        let formatted = match format_formula(text) {
            Ok(f) => f,
            Err(_) => {
                // The check pipeline reports every syntax error, with fixes.
                for d in check_formula(text, &Default::default())
                    .iter()
                    .filter(|d| d.severity == crate::Severity::Error)
                {
                    errln!("{}", render(text, origin, d, stderr_color()));
                }
                errln!("error: {origin}: not formatted: the formula does not parse");
                code = code.max(EXIT_FAILED);
                continue;
            }
        };
        if args.diff {
            if formatted != *text {
                out!("{}", unified_diff(origin, text, &formatted));
                code = code.max(EXIT_FAILED);
            }
        } else if args.check {
            if formatted != *text {
                outln!("would reformat: {}", escape_controls(origin));
                code = code.max(EXIT_FAILED);
            }
        } else if path == "-" {
            write_out_bytes(&file.encoding.encode(&formatted));
        } else if formatted != *text {
            // The file keeps its encoding and byte-order mark; the rewrite is
            // atomic and refused when the file changed since it was read.
            let bytes = file.encoding.encode(&formatted);
            if let Err(e) = rewrite_if_unchanged(Path::new(path), &file.bytes, &bytes) {
                errln!("error: {origin}: {e}");
                code = EXIT_USAGE;
            }
        }
    }
    code
}

/// A unified diff (three lines of context) from `old` to `new`, both named
/// `origin`, as `diff -u` and `git apply` read it.
pub fn unified_diff(origin: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(origin, origin)
        .to_string()
}
