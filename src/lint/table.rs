//! The table of rule codes: severity, one-line summary and the text of
//! `batchscale check --explain CODE`.

use crate::diagnostics::Severity;

/// One rule code.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// The stable kebab-case code.
    pub code: &'static str,
    /// Its default severity.
    pub severity: Severity,
    /// One line.
    pub summary: &'static str,
    /// The long explanation, with an example and the fix.
    pub explain: &'static str,
}

macro_rules! rule {
    ($code:literal, $sev:ident, $summary:literal, $explain:literal) => {
        Rule {
            code: $code,
            severity: Severity::$sev,
            summary: $summary,
            explain: $explain,
        }
    };
}

/// Every code `check` reports.
pub const RULES: &[Rule] = &[
    rule!(
        "syntax-error",
        Error,
        "the formula cannot be parsed",
        "The service rejects the formula with AutoScalingFormulaSyntaxError.

    $TargetDedicatedNodes = max(0, ;

The message says what was expected where. Fix the text at the caret."
    ),
    rule!(
        "too-many-errors",
        Info,
        "check stopped reporting syntax errors for this formula",
        "After 50 syntax errors in one formula, `check` stops re-parsing it: the rest
is not worth reading until the first errors are fixed, and a hostile file must
not make `check` slow. Fix the errors reported and run `check` again."
    ),
    rule!(
        "missing-semicolon",
        Error,
        "two statements with no `;` between them",
        "Statements are separated by `;`. A line break is not a separator: two
statements on consecutive lines with no `;` are a syntax error on the service
(a real production incident: the pool stopped scaling after an edit).

    $tasks = $PendingTasks.GetSample(1)
    $TargetDedicatedNodes = max(0, val($tasks, 0));

Fix: insert `;` at the end of the first statement (the suggested fix)."
    ),
    rule!(
        "template-placeholder",
        Error,
        "`{...}` or `{{...}}` left in the formula",
        "A template placeholder that was never filled: the generator's interpolation did
not happen (a Python string without its `f` prefix, an unrendered Mustache or
Jinja template). `{` is not part of the formula language, so the service
rejects it.

    $TargetDedicatedNodes = min({max_nodes}, $tasks);

Fix the generator, or check the template with values:
`batchscale check --define max_nodes=10 FILE`."
    ),
    rule!(
        "formula-too-long",
        Error,
        "longer than the service's 8,192 characters",
        "The service rejects formulas longer than 8,192 characters with
AutoScalingFormulaTooLong. Comments count. Remove comments or combine
statements."
    ),
    rule!(
        "too-many-statements",
        Error,
        "more statements than the service allows",
        "The service limits the number of statements (100). Combine statements."
    ),
    rule!(
        "too-deep",
        Error,
        "brackets or operators nested too deep",
        "Expressions nested deeper than the limit (64) are rejected. Split the
expression into several statements."
    ),
    rule!(
        "undefined-symbol",
        Error,
        "a name that is neither a variable nor a built-in",
        "Evaluation fails with `Undefined symbol: NAME`. Names are case-sensitive.

    $TargetDedicatedNodes = $PendingTask.GetSample(1);

The help suggests the closest existing name (`$PendingTasks`)."
    ),
    rule!(
        "read-before-assigned",
        Error,
        "a variable read before the statement that assigns it",
        "Statements run in order; a user variable does not exist until its assignment
has run, so reading it earlier fails with `Undefined symbol`.

    $TargetDedicatedNodes = tasks;
    tasks = 3;

Move the assignment above the first read."
    ),
    rule!(
        "unknown-member",
        Error,
        "a timestamp member that does not exist",
        "Timestamps have the members year, month, day, weekday, hour, minute and second.

    isMorning = time().hours < 12;

The help suggests the closest member."
    ),
    rule!(
        "unknown-method",
        Error,
        "a sample method that does not exist",
        "Sampled variables have the methods GetSample, GetSamplePercent,
GetSamplePeriod, Count and HistoryBeginTime. Methods people reach for, such as
`.GetAverage()` or `.Sum()`, do not exist; aggregate the vector instead:

    $TargetDedicatedNodes = avg($PendingTasks.GetSample(TimeInterval_Minute * 5));"
    ),
    rule!(
        "wrong-arity",
        Error,
        "a function or method called with the wrong number of arguments",
        "The help shows the signature.

    $TargetDedicatedNodes = max();"
    ),
    rule!(
        "type-mismatch",
        Error,
        "a value of the wrong type",
        "An operator or function that cannot take this type, such as a timestamp
assigned to a target:

    $TargetDedicatedNodes = time();"
    ),
    rule!(
        "read-only-assignment",
        Error,
        "assigning a read-only variable or constant",
        "Only $TargetDedicatedNodes, $TargetLowPriorityNodes, $NodeDeallocationOption
and user variables can be assigned.

    $PendingTasks = 3;"
    ),
    rule!(
        "not-sampled",
        Error,
        "a sample method on something without a sample history",
        "GetSample and the other sample methods apply to sampled service variables
such as $PendingTasks or $CPUPercent.

    x = 3; $TargetDedicatedNodes = x.GetSample(1);"
    ),
    rule!(
        "unguarded-sample",
        Warning,
        "a windowed GetSample that fails on a new pool",
        "`GetSample(window)` without a `samplePercent` argument requires 70% of the
window's samples. A new pool has none, so the first evaluation fails with
InsufficientSampleData and the pool never scales (batch-shipyard issue #138:
`Line 9, Col 43: Insufficient data from data set: $PendingTasks wanted 70%,
received 0%`).

    $TargetDedicatedNodes = avg($PendingTasks.GetSample(TimeInterval_Minute * 15));

Guard it with GetSamplePercent, which never fails:

    $samples = $PendingTasks.GetSamplePercent(TimeInterval_Minute * 15);
    $tasks = $samples < 70 ? max(0, $PendingTasks.GetSample(1))
                           : avg($PendingTasks.GetSample(TimeInterval_Minute * 15));

or pass the share you accept: `$PendingTasks.GetSample(TimeInterval_Minute * 15, 50)`."
    ),
    rule!(
        "lone-latest-sample",
        Warning,
        "a metric read only through GetSample(1)",
        "The documentation warns against deciding on the last sample alone: one sample
follows every spike and every gap of the metric, and the pool swings with it.

    $TargetDedicatedNodes = val($PendingTasks.GetSample(1), 0);

Combine it with a window, as the documentation's examples do:

    $TargetDedicatedNodes = max($PendingTasks.GetSample(1),
                                avg($PendingTasks.GetSample(TimeInterval_Minute * 5, 50)));"
    ),
    rule!(
        "fractional-target",
        Warning,
        "a target that can be fractional",
        "The service truncates a target towards zero when it applies it: 0.5 becomes 0,
2.9 becomes 2 (Azure/Batch #151); its `results` string prints the truncated
value too (58.25 printed as 58, Azure/batch-shipyard #239). A formula computing `$tasks / 2` may keep a
pool at zero nodes while tasks wait.

    $TargetDedicatedNodes = $PendingTasks.GetSample(1) / 2;

Round on purpose: `ceil(...)` (documented since November 2022), `round(...)`."
    ),
    rule!(
        "negative-target",
        Warning,
        "a target that can be negative",
        "A difference or a negated value can fall below zero.

    $TargetDedicatedNodes = $CurrentDedicatedNodes - 2;

Bound it: `$TargetDedicatedNodes = max(0, $CurrentDedicatedNodes - 2);`."
    ),
    rule!(
        "no-target",
        Warning,
        "no target is assigned",
        "A formula that assigns neither $TargetDedicatedNodes nor
$TargetLowPriorityNodes (nor their aliases) leaves the pool at its current size.
Often the target's name is misspelt (`$targetDedicatedNodes`)."
    ),
    rule!(
        "unused-variable",
        Warning,
        "a user variable assigned and never read",
        "Usually a leftover or a misspelt name. The service lists every user variable in
the run's results, so a variable kept for that purpose can be allowed with
`--allow unused-variable`."
    ),
    rule!(
        "constant-condition",
        Warning,
        "a condition that is always true or always false",
        "Found by reasoning on the values a comparison allows: timestamp members have
fixed ranges (hour 0-23, weekday 0-7, month 1-12), metrics are never negative,
and `&&` needs every part to hold at once.

    isWeekend = time().weekday < 1 && time().weekday > 5;

can never hold; `||` was meant. A condition on a variable that is itself a
constant (a template parameter) is not reported."
    ),
    rule!(
        "similar-name",
        Warning,
        "a user variable named almost like a service variable",
        "Names are case-sensitive. Assigning `$targetDedicatedNodes` creates a user
variable; the pool's target is unchanged. A user `$taskSlotsPerNode` next to the
service's `$TaskSlotsPerNode` reads as one but is another.

    $targetDedicatedNodes = 4;

Use the service's exact spelling, or a name that is clearly different."
    ),
    rule!(
        "two-spellings",
        Warning,
        "one name used both with and without `$`",
        "`$tasks` and `tasks` are two different variables: the `$` is part of a user
variable's name, and the service lists both in the results.

    $tasks = val($PendingTasks.GetSample(1), 0);
    tasks = min($tasks, 10);
    $TargetDedicatedNodes = $tasks;

Use one spelling."
    ),
    rule!(
        "bare-metric",
        Warning,
        "a sampled metric used without a sample method",
        "The service accepts `$PendingTasks / 4` and reads the latest sample (Azure/Batch
#151), but this is undocumented, and one sample follows every spike. Read a
window, guarded by GetSamplePercent, or state the intent:

    $TargetDedicatedNodes = val($PendingTasks.GetSample(1), 0) / 4;"
    ),
    rule!(
        "not-statically-checkable",
        Info,
        "a formula or interval computed at deployment",
        "An ARM expression (`[parameters('formula')]`, `[concat(...)]`), a Bicep or
Terraform interpolation (`${...}`), or a `{{placeholder}}` in a template file:
the text is only known at deployment. Fill placeholders with
`--define NAME=VALUE` to check the result."
    ),
    rule!(
        "evaluation-interval",
        Error,
        "an evaluation interval outside 5 minutes to 168 hours",
        "The service rejects an autoScaleEvaluationInterval below PT5M or above PT168H
with InvalidAutoScalingSettings, and one that is not an ISO 8601 duration.

    \"autoScaleEvaluationInterval\": \"PT1M\""
    ),
    rule!(
        "no-formula",
        Warning,
        "auto-scaling enabled in a host file with no formula",
        "A pool (`az` pool or job JSON with `\"enableAutoScale\": true`, or an ARM pool's
`scaleSettings.autoScale`) turns auto-scaling on but gives no formula. The Batch
API requires `autoScaleFormula` whenever `enableAutoScale` is true, and ARM's
`autoScale` settings require `formula`, so the deployment fails.

    { \"enableAutoScale\": true, \"autoScaleEvaluationInterval\": \"PT5M\" }

Add the formula, or turn auto-scaling off."
    ),
    rule!(
        "misspelled-key",
        Warning,
        "a host file key that is a near miss of a formula key",
        "A key a letter or a case away from `autoScaleFormula` (or `formula` inside
ARM's `autoScale`): `autoscaleFormula`, `autoScaleformula`, `formular`. The
formula under it is still checked, but it may never reach the service as a
formula.

    { \"enableAutoScale\": true, \"autoscaleFormula\": \"...\" }

Spell the key as the API does."
    ),
    rule!(
        "unused-suppression",
        Warning,
        "a suppression comment that suppresses nothing",
        "`// batchscale: allow(CODE, ...)` drops the named warnings of the next
statement, `// batchscale: allow-file(CODE, ...)` those of the whole formula.
A code that drops nothing there, that is not a rule code, or that names an
error (the service would still reject the formula) is reported, as is a
comment that starts with `batchscale:` but is not a directive.

    // batchscale: allow(unused-variable)
    $TargetDedicatedNodes = 2;

Remove the stale code or comment. Directives are comments, so they count
toward the service's 8,192 characters."
    ),
];

/// The rule with this code.
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code)
}

/// The `--explain` text of `code`.
pub fn explain(code: &str) -> Option<String> {
    let r = rule(code)?;
    Some(format!(
        "{} ({}): {}\n\n{}\n",
        r.code,
        r.severity.as_str(),
        r.summary,
        r.explain
    ))
}
