//! The pest parser derived from `grammar/autoscale.pest`.

#![allow(missing_docs)]

/// The parser generated from the grammar file.
#[derive(pest_derive::Parser)]
#[grammar = "../grammar/autoscale.pest"]
pub struct FormulaParser;
