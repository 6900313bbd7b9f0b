//! `batchscale completions SHELL`: the shell's completion script, generated
//! from the same argument definitions the command parses with, so it cannot
//! drift from them. Rule codes (`check --explain`, `--allow`, `--deny`) are
//! completed from the rule table.

use std::ffi::OsStr;

use clap::builder::{PossibleValue, StringValueParser, TypedValueParser};
use clap::{Args, CommandFactory};
use clap_complete::{Generator, Shell};

use super::io::{errln, out, write_atomic};
use super::{Cli, EXIT_OK, EXIT_USAGE};
use crate::lint::RULES;

/// Arguments of `batchscale completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in: the script is printed on standard output.
    #[arg(value_enum, required_unless_present = "out")]
    pub shell: Option<Shell>,
    /// Write every shell's script into this directory instead (created if
    /// missing), under the names the shells look for.
    #[arg(long, value_name = "DIR", conflicts_with = "shell")]
    pub out: Option<std::path::PathBuf>,
}

/// Runs `batchscale completions`.
pub fn run(args: &CompletionsArgs) -> i32 {
    if let Some(shell) = args.shell {
        out!("{}", script(shell));
        return EXIT_OK;
    }
    let Some(dir) = &args.out else {
        return EXIT_OK;
    };
    if let Err(e) = std::fs::create_dir_all(dir) {
        errln!("error: {}: cannot create: {e}", dir.display());
        return EXIT_USAGE;
    }
    for shell in SHELLS {
        let path = dir.join(file_name(shell));
        if let Err(e) = write_atomic(&path, script(shell).as_bytes()) {
            errln!("error: {}: cannot write: {e}", path.display());
            return EXIT_USAGE;
        }
    }
    EXIT_OK
}

/// The completion script of `shell`.
pub fn script(shell: Shell) -> String {
    let mut command = Cli::command();
    let mut bytes = Vec::new();
    clap_complete::generate(shell, &mut command, "batchscale", &mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The file name a packager installs `shell`'s script under (the names the
/// shells look for: `batchscale.bash`, `_batchscale`, `batchscale.fish`...).
pub fn file_name(shell: Shell) -> String {
    shell.file_name("batchscale")
}

/// Every shell clap_complete knows, for the committed scripts.
pub const SHELLS: [Shell; 5] = [
    Shell::Bash,
    Shell::Zsh,
    Shell::Fish,
    Shell::PowerShell,
    Shell::Elvish,
];

/// A rule code argument: any text is accepted here (an unknown code is
/// reported by `check` itself, with a did-you-mean), but the rule codes are
/// offered as the possible values, which the shells complete.
#[derive(Debug, Clone, Copy)]
pub struct RuleCode {
    /// Also offer `warnings` (for `--deny warnings`).
    pub warnings: bool,
}

impl TypedValueParser for RuleCode {
    type Value = String;

    fn parse_ref(
        &self,
        command: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        StringValueParser::new().parse_ref(command, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        let warnings = self
            .warnings
            .then(|| PossibleValue::new("warnings").help("every warning"));
        Some(Box::new(
            warnings.into_iter().chain(
                RULES
                    .iter()
                    .map(|r| PossibleValue::new(r.code).help(r.summary)),
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_scripts_are_the_generated_ones() {
        // Regenerate with `batchscale completions --out completions`.
        for shell in SHELLS {
            let path = format!(
                "{}/completions/{}",
                env!("CARGO_MANIFEST_DIR"),
                file_name(shell)
            );
            let committed = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                committed == script(shell),
                "{path} is stale: run `batchscale completions --out completions`"
            );
        }
    }

    #[test]
    fn every_rule_code_is_completed_after_explain() {
        // bash lists the values of `--explain` in the script's case arm.
        let bash = script(Shell::Bash);
        for rule in RULES {
            assert!(bash.contains(rule.code), "{} missing", rule.code);
        }
        let fish = script(Shell::Fish);
        assert!(fish.contains("-l explain"), "{fish}");
        assert!(fish.contains("unguarded-sample\\t'"), "{fish}");
    }
}
