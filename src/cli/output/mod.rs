//! Where `check` sends its report, and in which CI system's shape: the
//! streamed formats (text, JSON lines, GitHub and Azure Pipelines commands,
//! the service's form) are written file by file; the document formats (SARIF,
//! JUnit XML, GitLab Code Quality, Checkstyle) once, after the last file.
//! Whether to colour is decided here and nowhere else in `check`.

mod azure;
mod checkstyle;
mod gitlab;
mod junit;
mod sarif;
pub(in crate::cli) mod xml;

#[cfg(test)]
mod format_tests;

use std::io::Write;

use clap::ValueEnum;

use super::check::{CheckFormat, FileReport};

/// When to colour the text report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// On a terminal, unless `NO_COLOR` is set or `CLICOLOR=0`; `CLICOLOR_FORCE` forces it.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Whether the text report is coloured: the one place `check` decides it.
/// `auto` follows anstream's reading of `NO_COLOR`, `CLICOLOR_FORCE`,
/// `CLICOLOR` and the terminal; a report written to a file is never coloured
/// unless `always` is asked for.
pub fn use_color(when: ColorWhen, to_file: bool) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto if to_file => false,
        ColorWhen::Auto => {
            anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
        }
    }
}

/// Renders the whole report of a run (every file, in the order checked) in
/// `format`; the streamed formats give the concatenation of their files.
pub fn render(format: CheckFormat, reports: &[FileReport], color: bool) -> String {
    match format {
        CheckFormat::Sarif => sarif::render(reports),
        CheckFormat::Junit => junit::render(reports),
        CheckFormat::Gitlab => gitlab::render(reports),
        CheckFormat::Checkstyle => checkstyle::render(reports),
        _ => reports
            .iter()
            .map(|r| render_file(format, r, color))
            .collect(),
    }
}

/// One file's part of a streamed format.
fn render_file(format: CheckFormat, report: &FileReport, color: bool) -> String {
    match format {
        CheckFormat::Azure => azure::render(report),
        _ => report.render(format, color),
    }
}

/// Whether `format` is one document written after the last file.
fn is_document(format: CheckFormat) -> bool {
    matches!(
        format,
        CheckFormat::Sarif | CheckFormat::Junit | CheckFormat::Gitlab | CheckFormat::Checkstyle
    )
}

/// The destination of a run's report: standard output or `--output-file`.
pub struct Sink {
    format: CheckFormat,
    color: bool,
    out: Box<dyn Write>,
    /// Files kept for a document format.
    kept: Vec<FileReport>,
}

impl Sink {
    /// Opens the destination (creating `output_file` now, so that a bad path
    /// fails before any checking).
    pub fn open(
        format: CheckFormat,
        color: ColorWhen,
        output_file: Option<&str>,
    ) -> Result<Sink, String> {
        let out: Box<dyn Write> = match output_file {
            Some(path) => Box::new(std::io::BufWriter::new(
                std::fs::File::create(path)
                    .map_err(|e| format!("--output-file {path}: cannot create: {e}"))?,
            )),
            None => Box::new(std::io::stdout()),
        };
        Ok(Sink {
            format,
            color: use_color(color, output_file.is_some()),
            out,
            kept: Vec::new(),
        })
    }

    /// Reports one file: written now for a streamed format, kept for a document.
    pub fn add(&mut self, report: FileReport) -> std::io::Result<()> {
        if is_document(self.format) {
            self.kept.push(report);
            Ok(())
        } else {
            let text = render_file(self.format, &report, self.color);
            self.out.write_all(text.as_bytes())
        }
    }

    /// Writes a document format and flushes.
    pub fn finish(mut self) -> std::io::Result<()> {
        if is_document(self.format) {
            let text = render(self.format, &self.kept, false);
            self.out.write_all(text.as_bytes())?;
        }
        self.out.flush()
    }
}

/// A file name as a relative URI reference (SARIF `artifactLocation.uri`):
/// `\` becomes `/`, a leading `./` goes, an absolute path becomes a `file://`
/// URI, and every byte outside RFC 3986's unreserved set and `/` is
/// percent-encoded.
fn file_uri(origin: &str) -> String {
    let slashed = origin.replace('\\', "/");
    let relative = slashed.strip_prefix("./").unwrap_or(&slashed);
    let mut uri = String::new();
    if relative.starts_with('/') {
        uri.push_str("file://");
    }
    for byte in relative.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_are_relative_references() {
        assert_eq!(file_uri("./pools/a b.bicep"), "pools/a%20b.bicep");
        assert_eq!(file_uri("pools\\x.tf"), "pools/x.tf");
        assert_eq!(file_uri("/abs/f.formula"), "file:///abs/f.formula");
        // é is two bytes in UTF-8, each encoded.
        assert_eq!(file_uri("é.formula"), "%C3%A9.formula");
        assert_eq!(file_uri("<stdin>"), "%3Cstdin%3E");
    }

    #[test]
    fn explicit_color_choices_win() {
        assert!(use_color(ColorWhen::Always, true));
        assert!(!use_color(ColorWhen::Never, false));
        assert!(!use_color(ColorWhen::Auto, true));
    }
}
