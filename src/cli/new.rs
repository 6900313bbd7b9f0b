//! `batchscale new`: write a formula from one of the templates of
//! `templates/` (docs/templates.md), with its parameters (`$name = constant;`
//! lines) set by `--set`.

use clap::Args;

use super::io::{errln, outln, write_atomic};
use super::{EXIT_OK, EXIT_USAGE};

/// A bundled template.
pub struct Template {
    /// The name given to `batchscale new`.
    pub name: &'static str,
    /// One line: what it does.
    pub summary: &'static str,
    /// The formula.
    pub text: &'static str,
}

/// The templates, in the order `--list` shows them.
pub const TEMPLATES: &[Template] = &[
    Template {
        name: "queue-spot",
        summary: "queue depth, a dedicated floor and a Spot share",
        text: include_str!("../../templates/queue-spot.formula"),
    },
    Template {
        name: "cpu-hysteresis",
        summary: "CPU load, grow above a high mark, shrink below a low one, hold between",
        text: include_str!("../../templates/cpu-hysteresis.formula"),
    },
    Template {
        name: "working-hours",
        summary: "a fixed size in working hours, a floor at night that grows with the queue",
        text: include_str!("../../templates/working-hours.formula"),
    },
    Template {
        name: "guarded-start",
        summary: "queue depth, with a start size until enough samples exist (GetSamplePercent)",
        text: include_str!("../../templates/guarded-start.formula"),
    },
    Template {
        name: "preemption-replace",
        summary: "Spot nodes for the queue, a dedicated node for each one preempted",
        text: include_str!("../../templates/preemption-replace.formula"),
    },
    Template {
        name: "drain-shrink",
        summary: "grow at once, shrink in steps and never below the busy nodes (taskcompletion)",
        text: include_str!("../../templates/drain-shrink.formula"),
    },
];

/// Arguments of `batchscale new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// List the templates and their parameters.
    #[arg(long, conflicts_with_all = ["template", "set", "output"])]
    pub list: bool,
    /// Set a parameter: `--set maxNodes=10` (the `$` may be given).
    #[arg(long, value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Write the formula to FILE instead of standard output (an existing
    /// file is not replaced).
    #[arg(short, long = "output", value_name = "FILE")]
    pub output: Option<String>,
    /// The template (see `--list`).
    #[arg(value_name = "TEMPLATE", required_unless_present = "list")]
    pub template: Option<String>,
}

/// A parameter line of a template: `$name = constant;`.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter<'a> {
    /// The name without `$`.
    pub name: &'a str,
    /// The constant as written.
    pub value: &'a str,
    /// The byte range of the constant in the text.
    pub range: std::ops::Range<usize>,
}

/// The parameters of `text`: each line `$name = number;`, in order.
pub fn parameters(text: &str) -> Vec<Parameter<'_>> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(p) = parameter(line, offset) {
            out.push(p);
        }
        offset += line.len();
    }
    out
}

fn parameter(line: &str, offset: usize) -> Option<Parameter<'_>> {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    let rest = trimmed.strip_prefix('$')?;
    let name_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let name = rest.get(..name_len)?;
    let after = rest.get(name_len..)?;
    let eq = after.len() - after.trim_start().len();
    let after_eq = after.trim_start().strip_prefix('=')?;
    let spaces = after_eq.len() - after_eq.trim_start().len();
    let value_part = after_eq.trim_start();
    let end = value_part.find(';')?;
    let value = value_part.get(..end)?.trim_end();
    if name.is_empty() || value.parse::<f64>().is_err() {
        return None;
    }
    let start = offset + indent + 1 + name_len + eq + 1 + spaces;
    Some(Parameter {
        name,
        value,
        range: start..start + value.len(),
    })
}

/// `text` with each `NAME=VALUE` of `sets` replacing a parameter's constant.
pub fn apply(template: &str, text: &str, sets: &[String]) -> Result<String, String> {
    let params = parameters(text);
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for set in sets {
        let (name, value) = set
            .split_once('=')
            .ok_or_else(|| format!("--set `{set}`: expected NAME=VALUE, such as `maxNodes=10`"))?;
        let name = name.trim().trim_start_matches('$');
        let value = value.trim();
        let param = params.iter().find(|p| p.name == name).ok_or_else(|| {
            let names: Vec<&str> = params.iter().map(|p| p.name).collect();
            let hint = crate::builtins::hint(crate::suggest::did_you_mean(name, names.iter().copied()));
            format!(
                "--set `{set}`: `{template}` has no parameter `{name}`{hint}; its parameters are `{}`",
                names.join("`, `")
            )
        })?;
        if !is_decimal(value) {
            return Err(format!(
                "--set `{set}`: `{value}` is not a number (a constant such as `10`, `0.75` or `-1`)"
            ));
        }
        edits.retain(|(range, _)| *range != param.range);
        edits.push((param.range.clone(), value.to_string()));
    }
    edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    let mut out = text.to_string();
    for (range, value) in edits {
        out.replace_range(range, &value);
    }
    Ok(out)
}

/// `-?digits(.digits)?`: a literal the formula language reads as written.
fn is_decimal(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && all_digits(fraction)
}

fn list() -> String {
    let mut out = String::new();
    for t in TEMPLATES {
        let params: Vec<String> = parameters(t.text)
            .iter()
            .map(|p| format!("{}={}", p.name, p.value))
            .collect();
        out.push_str(&format!(
            "{:<20}{}\n{:<20}{}\n",
            t.name,
            t.summary,
            "",
            params.join(" ")
        ));
    }
    out
}

/// Runs `batchscale new`.
pub fn run(args: &NewArgs) -> i32 {
    if args.list {
        outln!("{}", list().trim_end());
        return EXIT_OK;
    }
    let name = args.template.as_deref().unwrap_or("");
    let Some(template) = TEMPLATES.iter().find(|t| t.name == name) else {
        let hint = crate::builtins::hint(crate::suggest::did_you_mean(
            name,
            TEMPLATES.iter().map(|t| t.name),
        ));
        errln!("error: no template `{name}`{hint}; `batchscale new --list` lists them");
        return EXIT_USAGE;
    };
    let text = match apply(template.name, template.text, &args.set) {
        Ok(t) => t,
        Err(e) => {
            errln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    match &args.output {
        None => super::io::out!("{text}"),
        Some(path) => {
            if std::path::Path::new(path).exists() {
                errln!("error: {path}: the file exists; choose another name or remove it");
                return EXIT_USAGE;
            }
            if let Err(e) = write_atomic(std::path::Path::new(path), text.as_bytes()) {
                errln!("error: {path}: cannot write: {e}");
                return EXIT_USAGE;
            }
        }
    }
    EXIT_OK
}

#[cfg(test)]
mod tests {
    use super::{apply, parameters, TEMPLATES};

    #[test]
    fn parameters_are_the_constant_lines() {
        let text = "// c\n$maxNodes = 40;\n  $share=0.75; // x\n$pending = avg($X);\n";
        let params = parameters(text);
        let found: Vec<(&str, &str)> = params.iter().map(|p| (p.name, p.value)).collect();
        assert_eq!(found, [("maxNodes", "40"), ("share", "0.75")]);
        for p in &params {
            assert_eq!(&text[p.range.clone()], p.value);
        }
    }

    #[test]
    fn set_replaces_only_the_named_constant() {
        let text = "$maxNodes = 40;\n$share = 0.75;\n";
        assert_eq!(
            apply("t", text, &["maxNodes=10".into(), "$share=0.5".into()]).unwrap(),
            "$maxNodes = 10;\n$share = 0.5;\n"
        );
        let e = apply("t", text, &["maxNode=3".into()]).unwrap_err();
        assert!(
            e.contains("no parameter `maxNode`; did you mean `maxNodes`?"),
            "{e}"
        );
        assert!(apply("t", text, &["maxNodes=ten".into()])
            .unwrap_err()
            .contains("not a number"));
        assert!(apply("t", text, &["maxNodes".into()])
            .unwrap_err()
            .contains("NAME=VALUE"));
        assert!(apply("t", text, &["maxNodes=inf".into()]).is_err());
    }

    #[test]
    fn every_template_has_parameters() {
        for t in TEMPLATES {
            assert!(parameters(t.text).len() >= 2, "{}", t.name);
        }
    }
}
