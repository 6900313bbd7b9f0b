# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_batchscale_global_optspecs
    string join \n h/help V/version
end

function __fish_batchscale_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_batchscale_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_batchscale_using_subcommand
    set -l cmd (__fish_batchscale_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c batchscale -n "__fish_batchscale_needs_command" -s h -l help -d 'Print help'
complete -c batchscale -n "__fish_batchscale_needs_command" -s V -l version -d 'Print version'
complete -c batchscale -n "__fish_batchscale_needs_command" -f -a "eval" -d 'Evaluate a formula as the service would and print its results'
complete -c batchscale -n "__fish_batchscale_needs_command" -f -a "explain" -d 'Evaluate a formula and say why, statement by statement'
complete -c batchscale -n "__fish_batchscale_needs_command" -f -a "tune" -d 'Search formula constants for the best simulated outcome under constraints'
complete -c batchscale -n "__fish_batchscale_needs_command" -f -a "repl" -d 'Try formulas interactively against a pool you describe'
complete -c batchscale -n "__fish_batchscale_needs_command" -f -a "check" -d 'Check formulas (and the files that carry them) for errors and likely mistakes'
complete -c batchscale -n "__fish_batchscale_needs_command" -f -a "fmt" -d 'Format formula files in the canonical layout'
complete -c batchscale -n "__fish_batchscale_needs_command" -f -a "simulate" -d 'Run a formula against a workload over simulated days'
complete -c batchscale -n "__fish_batchscale_needs_command" -f -a "replay" -d 'Evaluate a formula over a pool\'s recorded metrics, as the service would have'
complete -c batchscale -n "__fish_batchscale_needs_command" -f -a "trace" -d 'Build task traces for `simulate` from Azure Batch service logs'
complete -c batchscale -n "__fish_batchscale_needs_command" -f -a "new" -d 'Write a formula from a template (`--list` lists them)'
complete -c batchscale -n "__fish_batchscale_needs_command" -f -a "test" -d 'Run formula unit tests (`*.test.toml`): cases at given times and scenario bounds'
complete -c batchscale -n "__fish_batchscale_needs_command" -f -a "lsp" -d 'Serve the Language Server Protocol on standard input and output (for editors)'
complete -c batchscale -n "__fish_batchscale_needs_command" -f -a "completions" -d 'Print the shell completion script for bash, zsh, fish, powershell or elvish'
complete -c batchscale -n "__fish_batchscale_needs_command" -f -a "man" -d 'Write a man page for the command and each subcommand into a directory'
complete -c batchscale -n "__fish_batchscale_needs_command" -f -a "schema" -d 'Print the JSON Schema of a context file or a scenario file'
complete -c batchscale -n "__fish_batchscale_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c batchscale -n "__fish_batchscale_using_subcommand eval" -l context -d 'Evaluation context JSON (now, pool, metrics)' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand eval" -l metrics -d 'Metric series CSV (`time` column plus one column per metric)' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand eval" -l now -d 'The evaluation instant (RFC 3339); overrides the context\'s `now`' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand eval" -l seed -d 'Seed of `rand()`; overrides the context\'s `seed`' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand eval" -l format -d 'Output format' -r -f -a "text\t'The results string (errors on stderr)'
json\t'The `AutoScaleRun` JSON of the REST API'"
complete -c batchscale -n "__fish_batchscale_using_subcommand eval" -l max-chars -d 'Longest formula in characters (service: 8192)' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand eval" -l max-statements -d 'Most statements (service: 100)' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand eval" -l max-nesting -d 'Deepest expression nesting (default 64)' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand eval" -l max-eval-steps -d 'Evaluation work budget in steps' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand eval" -l no-service-limits -d 'Lift every limit to its hard cap'
complete -c batchscale -n "__fish_batchscale_using_subcommand eval" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c batchscale -n "__fish_batchscale_using_subcommand explain" -l context -d 'Evaluation context JSON (now, pool, metrics)' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand explain" -l metrics -d 'Metric series CSV (`time` column plus one column per metric)' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand explain" -l now -d 'The evaluation instant (RFC 3339); overrides the context\'s `now`' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand explain" -l seed -d 'Seed of `rand()`; overrides the context\'s `seed`' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand explain" -l format -d 'Output format' -r -f -a "text\t'A block per statement, then the targets and the results string'
json\t'The same as one JSON document'"
complete -c batchscale -n "__fish_batchscale_using_subcommand explain" -l max-chars -d 'Longest formula in characters (service: 8192)' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand explain" -l max-statements -d 'Most statements (service: 100)' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand explain" -l max-nesting -d 'Deepest expression nesting (default 64)' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand explain" -l max-eval-steps -d 'Evaluation work budget in steps' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand explain" -l no-service-limits -d 'Lift every limit to its hard cap'
complete -c batchscale -n "__fish_batchscale_using_subcommand explain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c batchscale -n "__fish_batchscale_using_subcommand tune" -l vary -d 'A constant to vary: a variable the formula assigns a number once (`$maxNodes = 20;`), over LO, LO + STEP, ... up to HI. Repeat for a grid' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand tune" -l minimize -d 'The `summary.json` figure to minimise (`cost.total`, `wait.p95_s`, `jobs[0].completed_after_s`)' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand tune" -l subject-to -d 'A bound every chosen point must meet: `\'METRIC <= VALUE\'` (or `<`, `>=`, `>`). Repeatable' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand tune" -l seeds -d 'Seeds per point (the base seed and the N − 1 after it); figures are means, reported with their 95% interval' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand tune" -l seed -d 'The base seed (overrides the scenario\'s `seed`)' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand tune" -l jobs -d 'Threads to simulate on (default: every core)' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand tune" -l formula -d 'A formula file to use instead of the scenario\'s formula' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand tune" -l out -d 'Write `points.csv`, `pareto.csv`, `pareto.svg` and `best.formula` here' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand tune" -l allow-outside-paths -d 'Let the scenario\'s `formula_file` and `trace` name files outside its folder'
complete -c batchscale -n "__fish_batchscale_using_subcommand tune" -s h -l help -d 'Print help'
complete -c batchscale -n "__fish_batchscale_using_subcommand repl" -l context -d 'Evaluation context JSON (now, pool, metrics, seed)' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand repl" -l max-chars -d 'Longest formula in characters (service: 8192)' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand repl" -l max-statements -d 'Most statements (service: 100)' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand repl" -l max-nesting -d 'Deepest expression nesting (default 64)' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand repl" -l max-eval-steps -d 'Evaluation work budget in steps' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand repl" -l no-service-limits -d 'Lift every limit to its hard cap'
complete -c batchscale -n "__fish_batchscale_using_subcommand repl" -s h -l help -d 'Print help'
complete -c batchscale -n "__fish_batchscale_using_subcommand check" -l format -d 'Output format' -r -f -a "text\t'Rustc-style text with the source line and a caret'
json\t'One JSON record per line'
github\t'GitHub Actions workflow annotations'
service\t'The service\'s `Line L, Col C: message` text, positions within the formula'
sarif\t'SARIF 2.1.0, for GitHub code scanning'
junit\t'JUnit XML, for CI test tabs'
gitlab\t'GitLab Code Quality JSON'
azure\t'Azure Pipelines `##vso[task.logissue]` commands'
checkstyle\t'Checkstyle XML'"
complete -c batchscale -n "__fish_batchscale_using_subcommand check" -l output-file -d 'Write the report to this file instead of standard output' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand check" -l color -d 'When to colour the text report' -r -f -a "auto\t'On a terminal, unless `NO_COLOR` is set or `CLICOLOR=0`; `CLICOLOR_FORCE` forces it'
always\t'Always'
never\t'Never'"
complete -c batchscale -n "__fish_batchscale_using_subcommand check" -l allow -d 'Do not report this code (warnings and infos only); repeatable' -r -f -a "syntax-error\t'the formula cannot be parsed'
too-many-errors\t'check stopped reporting syntax errors for this formula'
missing-semicolon\t'two statements with no `;` between them'
template-placeholder\t'`{...}` or `{{...}}` left in the formula'
formula-too-long\t'longer than the service\'s 8,192 characters'
too-many-statements\t'more statements than the service allows'
too-deep\t'brackets or operators nested too deep'
undefined-symbol\t'a name that is neither a variable nor a built-in'
read-before-assigned\t'a variable read before the statement that assigns it'
unknown-member\t'a timestamp member that does not exist'
unknown-method\t'a sample method that does not exist'
wrong-arity\t'a function or method called with the wrong number of arguments'
type-mismatch\t'a value of the wrong type'
read-only-assignment\t'assigning a read-only variable or constant'
not-sampled\t'a sample method on something without a sample history'
unguarded-sample\t'a windowed GetSample that fails on a new pool'
lone-latest-sample\t'a metric read only through GetSample(1)'
fractional-target\t'a target that can be fractional'
negative-target\t'a target that can be negative'
no-target\t'no target is assigned'
unused-variable\t'a user variable assigned and never read'
constant-condition\t'a condition that is always true or always false'
similar-name\t'a user variable named almost like a service variable'
two-spellings\t'one name used both with and without `$`'
bare-metric\t'a sampled metric used without a sample method'
not-statically-checkable\t'a formula or interval computed at deployment'
evaluation-interval\t'an evaluation interval outside 5 minutes to 168 hours'
no-formula\t'auto-scaling enabled in a host file with no formula'
misspelled-key\t'a host file key that is a near miss of a formula key'
unused-suppression\t'a suppression comment that suppresses nothing'"
complete -c batchscale -n "__fish_batchscale_using_subcommand check" -l deny -d 'Report this code as an error; `--deny warnings` denies every warning; repeatable' -r -f -a "warnings\t'every warning'
syntax-error\t'the formula cannot be parsed'
too-many-errors\t'check stopped reporting syntax errors for this formula'
missing-semicolon\t'two statements with no `;` between them'
template-placeholder\t'`{...}` or `{{...}}` left in the formula'
formula-too-long\t'longer than the service\'s 8,192 characters'
too-many-statements\t'more statements than the service allows'
too-deep\t'brackets or operators nested too deep'
undefined-symbol\t'a name that is neither a variable nor a built-in'
read-before-assigned\t'a variable read before the statement that assigns it'
unknown-member\t'a timestamp member that does not exist'
unknown-method\t'a sample method that does not exist'
wrong-arity\t'a function or method called with the wrong number of arguments'
type-mismatch\t'a value of the wrong type'
read-only-assignment\t'assigning a read-only variable or constant'
not-sampled\t'a sample method on something without a sample history'
unguarded-sample\t'a windowed GetSample that fails on a new pool'
lone-latest-sample\t'a metric read only through GetSample(1)'
fractional-target\t'a target that can be fractional'
negative-target\t'a target that can be negative'
no-target\t'no target is assigned'
unused-variable\t'a user variable assigned and never read'
constant-condition\t'a condition that is always true or always false'
similar-name\t'a user variable named almost like a service variable'
two-spellings\t'one name used both with and without `$`'
bare-metric\t'a sampled metric used without a sample method'
not-statically-checkable\t'a formula or interval computed at deployment'
evaluation-interval\t'an evaluation interval outside 5 minutes to 168 hours'
no-formula\t'auto-scaling enabled in a host file with no formula'
misspelled-key\t'a host file key that is a near miss of a formula key'
unused-suppression\t'a suppression comment that suppresses nothing'"
complete -c batchscale -n "__fish_batchscale_using_subcommand check" -l explain -d 'Print the explanation of a code and exit; with no code, list every code with its one-line summary' -r -f -a "syntax-error\t'the formula cannot be parsed'
too-many-errors\t'check stopped reporting syntax errors for this formula'
missing-semicolon\t'two statements with no `;` between them'
template-placeholder\t'`{...}` or `{{...}}` left in the formula'
formula-too-long\t'longer than the service\'s 8,192 characters'
too-many-statements\t'more statements than the service allows'
too-deep\t'brackets or operators nested too deep'
undefined-symbol\t'a name that is neither a variable nor a built-in'
read-before-assigned\t'a variable read before the statement that assigns it'
unknown-member\t'a timestamp member that does not exist'
unknown-method\t'a sample method that does not exist'
wrong-arity\t'a function or method called with the wrong number of arguments'
type-mismatch\t'a value of the wrong type'
read-only-assignment\t'assigning a read-only variable or constant'
not-sampled\t'a sample method on something without a sample history'
unguarded-sample\t'a windowed GetSample that fails on a new pool'
lone-latest-sample\t'a metric read only through GetSample(1)'
fractional-target\t'a target that can be fractional'
negative-target\t'a target that can be negative'
no-target\t'no target is assigned'
unused-variable\t'a user variable assigned and never read'
constant-condition\t'a condition that is always true or always false'
similar-name\t'a user variable named almost like a service variable'
two-spellings\t'one name used both with and without `$`'
bare-metric\t'a sampled metric used without a sample method'
not-statically-checkable\t'a formula or interval computed at deployment'
evaluation-interval\t'an evaluation interval outside 5 minutes to 168 hours'
no-formula\t'auto-scaling enabled in a host file with no formula'
misspelled-key\t'a host file key that is a near miss of a formula key'
unused-suppression\t'a suppression comment that suppresses nothing'"
complete -c batchscale -n "__fish_batchscale_using_subcommand check" -l define -d 'Fill a template placeholder (`{{NAME}}`, `{NAME}`, `${NAME}`); repeatable' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand check" -l max-chars -d 'Longest formula in characters (service: 8192)' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand check" -l max-statements -d 'Most statements (service: 100)' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand check" -l max-nesting -d 'Deepest expression nesting (default 64)' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand check" -l stdin-filename -d 'Read standard input (`-`) as this file: its extension picks the reader, and reports name it' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand check" -l exclude -d 'Leave out files and directories matching GLOB (`.gitignore` syntax, relative to the directory walked) when walking; repeatable' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand check" -l exit-zero -d 'Exit 0 even when errors are found (input and usage errors still exit 2)'
complete -c batchscale -n "__fish_batchscale_using_subcommand check" -l fix -d 'Apply the safe fixes (a missing `;`) to the files, then report what is left'
complete -c batchscale -n "__fish_batchscale_using_subcommand check" -l unsafe-fixes -d 'With `--fix`, also apply the unsafe fixes (a did-you-mean name for one that does not resolve): guesses a person should review'
complete -c batchscale -n "__fish_batchscale_using_subcommand check" -l no-service-limits -d 'Lift every limit to its hard cap'
complete -c batchscale -n "__fish_batchscale_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c batchscale -n "__fish_batchscale_using_subcommand fmt" -l stdin-filename -d 'Read standard input (`-`) as this file: its extension picks the kind of file, and messages name it' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand fmt" -l check -d 'Change nothing; exit 1 when a file would change'
complete -c batchscale -n "__fish_batchscale_using_subcommand fmt" -l diff -d 'Change nothing; print a unified diff of each file that would change, and exit 1 if any would'
complete -c batchscale -n "__fish_batchscale_using_subcommand fmt" -s h -l help -d 'Print help'
complete -c batchscale -n "__fish_batchscale_using_subcommand simulate" -l out -d 'Write `summary.txt`, `timeline.csv`, `timeline.json` and `chart.svg` here (with `--compare`, into `DIR/a` and `DIR/b`)' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand simulate" -l seed -d 'The random seed (overrides the scenario\'s `seed`)' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand simulate" -l formula -d 'A formula file to use instead of the scenario\'s formula' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand simulate" -l compare -d 'Run two formulas on the same workload and seed, side by side' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand simulate" -l seeds -d 'Run N seeds (the base seed and the N − 1 after it) on all cores and report each figure as a mean with its 95% interval' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand simulate" -l allow-outside-paths -d 'Let the scenario\'s `formula_file` and `trace` name files outside the scenario\'s folder (refused by default, so that a scenario from elsewhere cannot make batchscale read other files)'
complete -c batchscale -n "__fish_batchscale_using_subcommand simulate" -l no-chart -d 'Do not print the terminal chart'
complete -c batchscale -n "__fish_batchscale_using_subcommand simulate" -s h -l help -d 'Print help'
complete -c batchscale -n "__fish_batchscale_using_subcommand replay" -l metrics -d 'Recorded metrics CSV (the `eval --metrics` format)' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand replay" -l context -d 'The pool\'s state before the first evaluation (the `eval --context` format)' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand replay" -l interval -d 'Time between evaluations (ISO 8601)' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand replay" -l delay -d 'How long a sample takes to become visible to the formula (ISO 8601)' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand replay" -l start -d 'The first evaluation (RFC 3339). Default: the first sample\'s time' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand replay" -l end -d 'No evaluation after this (RFC 3339). Default: the last sample\'s time plus the delay' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand replay" -l format -d 'What to print on standard output' -r -f -a "text\t'The summary'
csv\t'The timeline as CSV'
json\t'The timeline as JSON'"
complete -c batchscale -n "__fish_batchscale_using_subcommand replay" -l out -d 'Write `summary.txt`, `timeline.csv`, `timeline.json` and `chart.svg` here' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand replay" -l explain -d 'Write the explanation of every evaluation here, one JSON object a line (the `explain --format json` shape plus its `time`)' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand replay" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c batchscale -n "__fish_batchscale_using_subcommand trace; and not __fish_seen_subcommand_from import help" -s h -l help -d 'Print help'
complete -c batchscale -n "__fish_batchscale_using_subcommand trace; and not __fish_seen_subcommand_from import help" -f -a "import" -d 'Build a trace CSV (`submit,duration,slots,job,exit_code`) from the TaskStartEvent, TaskCompleteEvent and TaskFailEvent records of Azure Batch service logs (JSON lines, as a diagnostic setting writes them)'
complete -c batchscale -n "__fish_batchscale_using_subcommand trace; and not __fish_seen_subcommand_from import help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c batchscale -n "__fish_batchscale_using_subcommand trace; and __fish_seen_subcommand_from import" -s o -l output -d 'Where to write the CSV (`-` for standard output)' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand trace; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help'
complete -c batchscale -n "__fish_batchscale_using_subcommand trace; and __fish_seen_subcommand_from help" -f -a "import" -d 'Build a trace CSV (`submit,duration,slots,job,exit_code`) from the TaskStartEvent, TaskCompleteEvent and TaskFailEvent records of Azure Batch service logs (JSON lines, as a diagnostic setting writes them)'
complete -c batchscale -n "__fish_batchscale_using_subcommand trace; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c batchscale -n "__fish_batchscale_using_subcommand new" -l set -d 'Set a parameter: `--set maxNodes=10` (the `$` may be given)' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand new" -s o -l output -d 'Write the formula to FILE instead of standard output (an existing file is not replaced)' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand new" -l list -d 'List the templates and their parameters'
complete -c batchscale -n "__fish_batchscale_using_subcommand new" -s h -l help -d 'Print help'
complete -c batchscale -n "__fish_batchscale_using_subcommand test" -l format -d 'Output format' -r -f -a "text\t'Each case, and expected against actual for a failed one'
junit\t'JUnit XML for CI test tabs'
github\t'GitHub Actions annotations'"
complete -c batchscale -n "__fish_batchscale_using_subcommand test" -l run -d 'Run only the cases and scenario checks whose name matches: a glob (`grow*`), or, without `*`, `?` or `[`, any name containing it' -r
complete -c batchscale -n "__fish_batchscale_using_subcommand test" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c batchscale -n "__fish_batchscale_using_subcommand lsp" -l generate -d 'Write the files generated from the tables (docs/rules/*.md, the VS Code grammars) under this repository root, and exit' -r -F
complete -c batchscale -n "__fish_batchscale_using_subcommand lsp" -s h -l help -d 'Print help'
complete -c batchscale -n "__fish_batchscale_using_subcommand completions" -l out -d 'Write every shell\'s script into this directory instead (created if missing), under the names the shells look for' -r -F
complete -c batchscale -n "__fish_batchscale_using_subcommand completions" -s h -l help -d 'Print help'
complete -c batchscale -n "__fish_batchscale_using_subcommand man" -l out -d 'The directory to write the pages into (created if missing)' -r -F
complete -c batchscale -n "__fish_batchscale_using_subcommand man" -s h -l help -d 'Print help'
complete -c batchscale -n "__fish_batchscale_using_subcommand schema" -l out -d 'Write every schema into this directory instead (created if missing), as `context.schema.json`, `scenario.schema.json` and `batchscale.schema.json`' -r -F
complete -c batchscale -n "__fish_batchscale_using_subcommand schema" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c batchscale -n "__fish_batchscale_using_subcommand help; and not __fish_seen_subcommand_from eval explain tune repl check fmt simulate replay trace new test lsp completions man schema help" -f -a "eval" -d 'Evaluate a formula as the service would and print its results'
complete -c batchscale -n "__fish_batchscale_using_subcommand help; and not __fish_seen_subcommand_from eval explain tune repl check fmt simulate replay trace new test lsp completions man schema help" -f -a "explain" -d 'Evaluate a formula and say why, statement by statement'
complete -c batchscale -n "__fish_batchscale_using_subcommand help; and not __fish_seen_subcommand_from eval explain tune repl check fmt simulate replay trace new test lsp completions man schema help" -f -a "tune" -d 'Search formula constants for the best simulated outcome under constraints'
complete -c batchscale -n "__fish_batchscale_using_subcommand help; and not __fish_seen_subcommand_from eval explain tune repl check fmt simulate replay trace new test lsp completions man schema help" -f -a "repl" -d 'Try formulas interactively against a pool you describe'
complete -c batchscale -n "__fish_batchscale_using_subcommand help; and not __fish_seen_subcommand_from eval explain tune repl check fmt simulate replay trace new test lsp completions man schema help" -f -a "check" -d 'Check formulas (and the files that carry them) for errors and likely mistakes'
complete -c batchscale -n "__fish_batchscale_using_subcommand help; and not __fish_seen_subcommand_from eval explain tune repl check fmt simulate replay trace new test lsp completions man schema help" -f -a "fmt" -d 'Format formula files in the canonical layout'
complete -c batchscale -n "__fish_batchscale_using_subcommand help; and not __fish_seen_subcommand_from eval explain tune repl check fmt simulate replay trace new test lsp completions man schema help" -f -a "simulate" -d 'Run a formula against a workload over simulated days'
complete -c batchscale -n "__fish_batchscale_using_subcommand help; and not __fish_seen_subcommand_from eval explain tune repl check fmt simulate replay trace new test lsp completions man schema help" -f -a "replay" -d 'Evaluate a formula over a pool\'s recorded metrics, as the service would have'
complete -c batchscale -n "__fish_batchscale_using_subcommand help; and not __fish_seen_subcommand_from eval explain tune repl check fmt simulate replay trace new test lsp completions man schema help" -f -a "trace" -d 'Build task traces for `simulate` from Azure Batch service logs'
complete -c batchscale -n "__fish_batchscale_using_subcommand help; and not __fish_seen_subcommand_from eval explain tune repl check fmt simulate replay trace new test lsp completions man schema help" -f -a "new" -d 'Write a formula from a template (`--list` lists them)'
complete -c batchscale -n "__fish_batchscale_using_subcommand help; and not __fish_seen_subcommand_from eval explain tune repl check fmt simulate replay trace new test lsp completions man schema help" -f -a "test" -d 'Run formula unit tests (`*.test.toml`): cases at given times and scenario bounds'
complete -c batchscale -n "__fish_batchscale_using_subcommand help; and not __fish_seen_subcommand_from eval explain tune repl check fmt simulate replay trace new test lsp completions man schema help" -f -a "lsp" -d 'Serve the Language Server Protocol on standard input and output (for editors)'
complete -c batchscale -n "__fish_batchscale_using_subcommand help; and not __fish_seen_subcommand_from eval explain tune repl check fmt simulate replay trace new test lsp completions man schema help" -f -a "completions" -d 'Print the shell completion script for bash, zsh, fish, powershell or elvish'
complete -c batchscale -n "__fish_batchscale_using_subcommand help; and not __fish_seen_subcommand_from eval explain tune repl check fmt simulate replay trace new test lsp completions man schema help" -f -a "man" -d 'Write a man page for the command and each subcommand into a directory'
complete -c batchscale -n "__fish_batchscale_using_subcommand help; and not __fish_seen_subcommand_from eval explain tune repl check fmt simulate replay trace new test lsp completions man schema help" -f -a "schema" -d 'Print the JSON Schema of a context file or a scenario file'
complete -c batchscale -n "__fish_batchscale_using_subcommand help; and not __fish_seen_subcommand_from eval explain tune repl check fmt simulate replay trace new test lsp completions man schema help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c batchscale -n "__fish_batchscale_using_subcommand help; and __fish_seen_subcommand_from trace" -f -a "import" -d 'Build a trace CSV (`submit,duration,slots,job,exit_code`) from the TaskStartEvent, TaskCompleteEvent and TaskFailEvent records of Azure Batch service logs (JSON lines, as a diagnostic setting writes them)'
