//! `batchscale man --out DIR`: one roff man page for the command and one for
//! each subcommand (`batchscale-check.1`...), generated from the argument
//! definitions by clap_mangen, for packagers to install under `man1/`.

use std::path::Path;

use clap::{Args, CommandFactory};

use super::io::{errln, write_atomic};
use super::{Cli, EXIT_OK, EXIT_USAGE};

/// Arguments of `batchscale man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// The directory to write the pages into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: std::path::PathBuf,
}

/// Runs `batchscale man`.
pub fn run(args: &ManArgs) -> i32 {
    if let Err(e) = std::fs::create_dir_all(&args.out) {
        errln!("error: {}: cannot create: {e}", args.out.display());
        return EXIT_USAGE;
    }
    for (name, page) in pages() {
        let path = args.out.join(&name);
        if let Err(e) = write_atomic(Path::new(&path), page.as_bytes()) {
            errln!("error: {}: cannot write: {e}", path.display());
            return EXIT_USAGE;
        }
    }
    EXIT_OK
}

/// Every page, as (file name, roff text): `batchscale.1`, then one per
/// subcommand, nested ones named by their path (`batchscale-trace-import.1`).
pub fn pages() -> Vec<(String, String)> {
    let mut command = Cli::command();
    command.build();
    let mut out = Vec::new();
    add(&command, "batchscale", &mut out);
    out
}

fn add(command: &clap::Command, name: &str, out: &mut Vec<(String, String)>) {
    let page = command
        .clone()
        .name(name.to_string())
        .bin_name(name.replace('-', " "))
        .version(env!("CARGO_PKG_VERSION"));
    let mut bytes = Vec::new();
    // Rendering into memory cannot fail on I/O; a page that did would be
    // left out rather than written half.
    if clap_mangen::Man::new(page).render(&mut bytes).is_ok() {
        out.push((
            format!("{name}.1"),
            String::from_utf8_lossy(&bytes).into_owned(),
        ));
    }
    for sub in command.get_subcommands() {
        if sub.get_name() == "help" || sub.is_hide_set() {
            continue;
        }
        add(sub, &format!("{name}-{}", sub.get_name()), out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_pages_are_the_generated_ones() {
        // Regenerate with `batchscale man --out man`.
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/man");
        let pages = pages();
        for (name, page) in &pages {
            let committed = std::fs::read_to_string(format!("{dir}/{name}")).unwrap_or_default();
            assert!(
                committed == *page,
                "man/{name} is stale: run `batchscale man --out man`"
            );
        }
        // And no page is left over from a subcommand that is gone.
        let on_disk = std::fs::read_dir(dir).map_or(0, |d| d.count());
        assert_eq!(on_disk, pages.len());
    }

    #[test]
    fn a_page_for_the_command_and_each_subcommand() {
        let names: Vec<String> = pages().into_iter().map(|(n, _)| n).collect();
        for wanted in [
            "batchscale.1",
            "batchscale-check.1",
            "batchscale-simulate.1",
        ] {
            assert!(names.iter().any(|n| n == wanted), "{names:?}");
        }
        assert!(!names.iter().any(|n| n.contains("help")), "{names:?}");
    }
}
