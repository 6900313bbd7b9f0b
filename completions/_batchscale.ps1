
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'batchscale' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'batchscale'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'batchscale' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('eval', 'eval', [CompletionResultType]::ParameterValue, 'Evaluate a formula as the service would and print its results')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Evaluate a formula and say why, statement by statement')
            [CompletionResult]::new('tune', 'tune', [CompletionResultType]::ParameterValue, 'Search formula constants for the best simulated outcome under constraints')
            [CompletionResult]::new('repl', 'repl', [CompletionResultType]::ParameterValue, 'Try formulas interactively against a pool you describe')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check formulas (and the files that carry them) for errors and likely mistakes')
            [CompletionResult]::new('fmt', 'fmt', [CompletionResultType]::ParameterValue, 'Format formula files in the canonical layout')
            [CompletionResult]::new('simulate', 'simulate', [CompletionResultType]::ParameterValue, 'Run a formula against a workload over simulated days')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Evaluate a formula over a pool''s recorded metrics, as the service would have')
            [CompletionResult]::new('trace', 'trace', [CompletionResultType]::ParameterValue, 'Build task traces for `simulate` from Azure Batch service logs')
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Write a formula from a template (`--list` lists them)')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Run formula unit tests (`*.test.toml`): cases at given times and scenario bounds')
            [CompletionResult]::new('lsp', 'lsp', [CompletionResultType]::ParameterValue, 'Serve the Language Server Protocol on standard input and output (for editors)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the shell completion script for bash, zsh, fish, powershell or elvish')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write a man page for the command and each subcommand into a directory')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema of a context file or a scenario file')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'batchscale;eval' {
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Evaluation context JSON (now, pool, metrics)')
            [CompletionResult]::new('--metrics', '--metrics', [CompletionResultType]::ParameterName, 'Metric series CSV (`time` column plus one column per metric)')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'The evaluation instant (RFC 3339); overrides the context''s `now`')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed of `rand()`; overrides the context''s `seed`')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--max-chars', '--max-chars', [CompletionResultType]::ParameterName, 'Longest formula in characters (service: 8192)')
            [CompletionResult]::new('--max-statements', '--max-statements', [CompletionResultType]::ParameterName, 'Most statements (service: 100)')
            [CompletionResult]::new('--max-nesting', '--max-nesting', [CompletionResultType]::ParameterName, 'Deepest expression nesting (default 64)')
            [CompletionResult]::new('--max-eval-steps', '--max-eval-steps', [CompletionResultType]::ParameterName, 'Evaluation work budget in steps')
            [CompletionResult]::new('--no-service-limits', '--no-service-limits', [CompletionResultType]::ParameterName, 'Lift every limit to its hard cap')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'batchscale;explain' {
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Evaluation context JSON (now, pool, metrics)')
            [CompletionResult]::new('--metrics', '--metrics', [CompletionResultType]::ParameterName, 'Metric series CSV (`time` column plus one column per metric)')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'The evaluation instant (RFC 3339); overrides the context''s `now`')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed of `rand()`; overrides the context''s `seed`')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--max-chars', '--max-chars', [CompletionResultType]::ParameterName, 'Longest formula in characters (service: 8192)')
            [CompletionResult]::new('--max-statements', '--max-statements', [CompletionResultType]::ParameterName, 'Most statements (service: 100)')
            [CompletionResult]::new('--max-nesting', '--max-nesting', [CompletionResultType]::ParameterName, 'Deepest expression nesting (default 64)')
            [CompletionResult]::new('--max-eval-steps', '--max-eval-steps', [CompletionResultType]::ParameterName, 'Evaluation work budget in steps')
            [CompletionResult]::new('--no-service-limits', '--no-service-limits', [CompletionResultType]::ParameterName, 'Lift every limit to its hard cap')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'batchscale;tune' {
            [CompletionResult]::new('--vary', '--vary', [CompletionResultType]::ParameterName, 'A constant to vary: a variable the formula assigns a number once (`$maxNodes = 20;`), over LO, LO + STEP, ... up to HI. Repeat for a grid')
            [CompletionResult]::new('--minimize', '--minimize', [CompletionResultType]::ParameterName, 'The `summary.json` figure to minimise (`cost.total`, `wait.p95_s`, `jobs[0].completed_after_s`)')
            [CompletionResult]::new('--subject-to', '--subject-to', [CompletionResultType]::ParameterName, 'A bound every chosen point must meet: `''METRIC <= VALUE''` (or `<`, `>=`, `>`). Repeatable')
            [CompletionResult]::new('--seeds', '--seeds', [CompletionResultType]::ParameterName, 'Seeds per point (the base seed and the N − 1 after it); figures are means, reported with their 95% interval')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'The base seed (overrides the scenario''s `seed`)')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Threads to simulate on (default: every core)')
            [CompletionResult]::new('--formula', '--formula', [CompletionResultType]::ParameterName, 'A formula file to use instead of the scenario''s formula')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write `points.csv`, `pareto.csv`, `pareto.svg` and `best.formula` here')
            [CompletionResult]::new('--allow-outside-paths', '--allow-outside-paths', [CompletionResultType]::ParameterName, 'Let the scenario''s `formula_file` and `trace` name files outside its folder')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'batchscale;repl' {
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Evaluation context JSON (now, pool, metrics, seed)')
            [CompletionResult]::new('--max-chars', '--max-chars', [CompletionResultType]::ParameterName, 'Longest formula in characters (service: 8192)')
            [CompletionResult]::new('--max-statements', '--max-statements', [CompletionResultType]::ParameterName, 'Most statements (service: 100)')
            [CompletionResult]::new('--max-nesting', '--max-nesting', [CompletionResultType]::ParameterName, 'Deepest expression nesting (default 64)')
            [CompletionResult]::new('--max-eval-steps', '--max-eval-steps', [CompletionResultType]::ParameterName, 'Evaluation work budget in steps')
            [CompletionResult]::new('--no-service-limits', '--no-service-limits', [CompletionResultType]::ParameterName, 'Lift every limit to its hard cap')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'batchscale;check' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output-file', '--output-file', [CompletionResultType]::ParameterName, 'Write the report to this file instead of standard output')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the text report')
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Do not report this code (warnings and infos only); repeatable')
            [CompletionResult]::new('--deny', '--deny', [CompletionResultType]::ParameterName, 'Report this code as an error; `--deny warnings` denies every warning; repeatable')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print the explanation of a code and exit; with no code, list every code with its one-line summary')
            [CompletionResult]::new('--define', '--define', [CompletionResultType]::ParameterName, 'Fill a template placeholder (`{{NAME}}`, `{NAME}`, `${NAME}`); repeatable')
            [CompletionResult]::new('--max-chars', '--max-chars', [CompletionResultType]::ParameterName, 'Longest formula in characters (service: 8192)')
            [CompletionResult]::new('--max-statements', '--max-statements', [CompletionResultType]::ParameterName, 'Most statements (service: 100)')
            [CompletionResult]::new('--max-nesting', '--max-nesting', [CompletionResultType]::ParameterName, 'Deepest expression nesting (default 64)')
            [CompletionResult]::new('--stdin-filename', '--stdin-filename', [CompletionResultType]::ParameterName, 'Read standard input (`-`) as this file: its extension picks the reader, and reports name it')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Leave out files and directories matching GLOB (`.gitignore` syntax, relative to the directory walked) when walking; repeatable')
            [CompletionResult]::new('--exit-zero', '--exit-zero', [CompletionResultType]::ParameterName, 'Exit 0 even when errors are found (input and usage errors still exit 2)')
            [CompletionResult]::new('--fix', '--fix', [CompletionResultType]::ParameterName, 'Apply the safe fixes (a missing `;`) to the files, then report what is left')
            [CompletionResult]::new('--unsafe-fixes', '--unsafe-fixes', [CompletionResultType]::ParameterName, 'With `--fix`, also apply the unsafe fixes (a did-you-mean name for one that does not resolve): guesses a person should review')
            [CompletionResult]::new('--no-service-limits', '--no-service-limits', [CompletionResultType]::ParameterName, 'Lift every limit to its hard cap')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'batchscale;fmt' {
            [CompletionResult]::new('--stdin-filename', '--stdin-filename', [CompletionResultType]::ParameterName, 'Read standard input (`-`) as this file: its extension picks the kind of file, and messages name it')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Change nothing; exit 1 when a file would change')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'Change nothing; print a unified diff of each file that would change, and exit 1 if any would')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'batchscale;simulate' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write `summary.txt`, `timeline.csv`, `timeline.json` and `chart.svg` here (with `--compare`, into `DIR/a` and `DIR/b`)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'The random seed (overrides the scenario''s `seed`)')
            [CompletionResult]::new('--formula', '--formula', [CompletionResultType]::ParameterName, 'A formula file to use instead of the scenario''s formula')
            [CompletionResult]::new('--compare', '--compare', [CompletionResultType]::ParameterName, 'Run two formulas on the same workload and seed, side by side')
            [CompletionResult]::new('--seeds', '--seeds', [CompletionResultType]::ParameterName, 'Run N seeds (the base seed and the N − 1 after it) on all cores and report each figure as a mean with its 95% interval')
            [CompletionResult]::new('--allow-outside-paths', '--allow-outside-paths', [CompletionResultType]::ParameterName, 'Let the scenario''s `formula_file` and `trace` name files outside the scenario''s folder (refused by default, so that a scenario from elsewhere cannot make batchscale read other files)')
            [CompletionResult]::new('--no-chart', '--no-chart', [CompletionResultType]::ParameterName, 'Do not print the terminal chart')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'batchscale;replay' {
            [CompletionResult]::new('--metrics', '--metrics', [CompletionResultType]::ParameterName, 'Recorded metrics CSV (the `eval --metrics` format)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The pool''s state before the first evaluation (the `eval --context` format)')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Time between evaluations (ISO 8601)')
            [CompletionResult]::new('--delay', '--delay', [CompletionResultType]::ParameterName, 'How long a sample takes to become visible to the formula (ISO 8601)')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'The first evaluation (RFC 3339). Default: the first sample''s time')
            [CompletionResult]::new('--end', '--end', [CompletionResultType]::ParameterName, 'No evaluation after this (RFC 3339). Default: the last sample''s time plus the delay')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'What to print on standard output')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write `summary.txt`, `timeline.csv`, `timeline.json` and `chart.svg` here')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Write the explanation of every evaluation here, one JSON object a line (the `explain --format json` shape plus its `time`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'batchscale;trace' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Build a trace CSV (`submit,duration,slots,job,exit_code`) from the TaskStartEvent, TaskCompleteEvent and TaskFailEvent records of Azure Batch service logs (JSON lines, as a diagnostic setting writes them)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'batchscale;trace;import' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Where to write the CSV (`-` for standard output)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Where to write the CSV (`-` for standard output)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'batchscale;trace;help' {
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Build a trace CSV (`submit,duration,slots,job,exit_code`) from the TaskStartEvent, TaskCompleteEvent and TaskFailEvent records of Azure Batch service logs (JSON lines, as a diagnostic setting writes them)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'batchscale;trace;help;import' {
            break
        }
        'batchscale;trace;help;help' {
            break
        }
        'batchscale;new' {
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a parameter: `--set maxNodes=10` (the `$` may be given)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the formula to FILE instead of standard output (an existing file is not replaced)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the formula to FILE instead of standard output (an existing file is not replaced)')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'List the templates and their parameters')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'batchscale;test' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--run', '--run', [CompletionResultType]::ParameterName, 'Run only the cases and scenario checks whose name matches: a glob (`grow*`), or, without `*`, `?` or `[`, any name containing it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'batchscale;lsp' {
            [CompletionResult]::new('--generate', '--generate', [CompletionResultType]::ParameterName, 'Write the files generated from the tables (docs/rules/*.md, the VS Code grammars) under this repository root, and exit')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'batchscale;completions' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write every shell''s script into this directory instead (created if missing), under the names the shells look for')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'batchscale;man' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'The directory to write the pages into (created if missing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'batchscale;schema' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write every schema into this directory instead (created if missing), as `context.schema.json`, `scenario.schema.json` and `batchscale.schema.json`')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'batchscale;help' {
            [CompletionResult]::new('eval', 'eval', [CompletionResultType]::ParameterValue, 'Evaluate a formula as the service would and print its results')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Evaluate a formula and say why, statement by statement')
            [CompletionResult]::new('tune', 'tune', [CompletionResultType]::ParameterValue, 'Search formula constants for the best simulated outcome under constraints')
            [CompletionResult]::new('repl', 'repl', [CompletionResultType]::ParameterValue, 'Try formulas interactively against a pool you describe')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check formulas (and the files that carry them) for errors and likely mistakes')
            [CompletionResult]::new('fmt', 'fmt', [CompletionResultType]::ParameterValue, 'Format formula files in the canonical layout')
            [CompletionResult]::new('simulate', 'simulate', [CompletionResultType]::ParameterValue, 'Run a formula against a workload over simulated days')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Evaluate a formula over a pool''s recorded metrics, as the service would have')
            [CompletionResult]::new('trace', 'trace', [CompletionResultType]::ParameterValue, 'Build task traces for `simulate` from Azure Batch service logs')
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Write a formula from a template (`--list` lists them)')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Run formula unit tests (`*.test.toml`): cases at given times and scenario bounds')
            [CompletionResult]::new('lsp', 'lsp', [CompletionResultType]::ParameterValue, 'Serve the Language Server Protocol on standard input and output (for editors)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the shell completion script for bash, zsh, fish, powershell or elvish')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write a man page for the command and each subcommand into a directory')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema of a context file or a scenario file')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'batchscale;help;eval' {
            break
        }
        'batchscale;help;explain' {
            break
        }
        'batchscale;help;tune' {
            break
        }
        'batchscale;help;repl' {
            break
        }
        'batchscale;help;check' {
            break
        }
        'batchscale;help;fmt' {
            break
        }
        'batchscale;help;simulate' {
            break
        }
        'batchscale;help;replay' {
            break
        }
        'batchscale;help;trace' {
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Build a trace CSV (`submit,duration,slots,job,exit_code`) from the TaskStartEvent, TaskCompleteEvent and TaskFailEvent records of Azure Batch service logs (JSON lines, as a diagnostic setting writes them)')
            break
        }
        'batchscale;help;trace;import' {
            break
        }
        'batchscale;help;new' {
            break
        }
        'batchscale;help;test' {
            break
        }
        'batchscale;help;lsp' {
            break
        }
        'batchscale;help;completions' {
            break
        }
        'batchscale;help;man' {
            break
        }
        'batchscale;help;schema' {
            break
        }
        'batchscale;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
