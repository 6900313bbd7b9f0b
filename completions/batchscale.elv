
use builtin;
use str;

set edit:completion:arg-completer[batchscale] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'batchscale'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'batchscale'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand eval 'Evaluate a formula as the service would and print its results'
            cand explain 'Evaluate a formula and say why, statement by statement'
            cand tune 'Search formula constants for the best simulated outcome under constraints'
            cand repl 'Try formulas interactively against a pool you describe'
            cand check 'Check formulas (and the files that carry them) for errors and likely mistakes'
            cand fmt 'Format formula files in the canonical layout'
            cand simulate 'Run a formula against a workload over simulated days'
            cand replay 'Evaluate a formula over a pool''s recorded metrics, as the service would have'
            cand trace 'Build task traces for `simulate` from Azure Batch service logs'
            cand new 'Write a formula from a template (`--list` lists them)'
            cand test 'Run formula unit tests (`*.test.toml`): cases at given times and scenario bounds'
            cand lsp 'Serve the Language Server Protocol on standard input and output (for editors)'
            cand completions 'Print the shell completion script for bash, zsh, fish, powershell or elvish'
            cand man 'Write a man page for the command and each subcommand into a directory'
            cand schema 'Print the JSON Schema of a context file or a scenario file'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'batchscale;eval'= {
            cand --context 'Evaluation context JSON (now, pool, metrics)'
            cand --metrics 'Metric series CSV (`time` column plus one column per metric)'
            cand --now 'The evaluation instant (RFC 3339); overrides the context''s `now`'
            cand --seed 'Seed of `rand()`; overrides the context''s `seed`'
            cand --format 'Output format'
            cand --max-chars 'Longest formula in characters (service: 8192)'
            cand --max-statements 'Most statements (service: 100)'
            cand --max-nesting 'Deepest expression nesting (default 64)'
            cand --max-eval-steps 'Evaluation work budget in steps'
            cand --no-service-limits 'Lift every limit to its hard cap'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'batchscale;explain'= {
            cand --context 'Evaluation context JSON (now, pool, metrics)'
            cand --metrics 'Metric series CSV (`time` column plus one column per metric)'
            cand --now 'The evaluation instant (RFC 3339); overrides the context''s `now`'
            cand --seed 'Seed of `rand()`; overrides the context''s `seed`'
            cand --format 'Output format'
            cand --max-chars 'Longest formula in characters (service: 8192)'
            cand --max-statements 'Most statements (service: 100)'
            cand --max-nesting 'Deepest expression nesting (default 64)'
            cand --max-eval-steps 'Evaluation work budget in steps'
            cand --no-service-limits 'Lift every limit to its hard cap'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'batchscale;tune'= {
            cand --vary 'A constant to vary: a variable the formula assigns a number once (`$maxNodes = 20;`), over LO, LO + STEP, ... up to HI. Repeat for a grid'
            cand --minimize 'The `summary.json` figure to minimise (`cost.total`, `wait.p95_s`, `jobs[0].completed_after_s`)'
            cand --subject-to 'A bound every chosen point must meet: `''METRIC <= VALUE''` (or `<`, `>=`, `>`). Repeatable'
            cand --seeds 'Seeds per point (the base seed and the N − 1 after it); figures are means, reported with their 95% interval'
            cand --seed 'The base seed (overrides the scenario''s `seed`)'
            cand --jobs 'Threads to simulate on (default: every core)'
            cand --formula 'A formula file to use instead of the scenario''s formula'
            cand --out 'Write `points.csv`, `pareto.csv`, `pareto.svg` and `best.formula` here'
            cand --allow-outside-paths 'Let the scenario''s `formula_file` and `trace` name files outside its folder'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'batchscale;repl'= {
            cand --context 'Evaluation context JSON (now, pool, metrics, seed)'
            cand --max-chars 'Longest formula in characters (service: 8192)'
            cand --max-statements 'Most statements (service: 100)'
            cand --max-nesting 'Deepest expression nesting (default 64)'
            cand --max-eval-steps 'Evaluation work budget in steps'
            cand --no-service-limits 'Lift every limit to its hard cap'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'batchscale;check'= {
            cand --format 'Output format'
            cand --output-file 'Write the report to this file instead of standard output'
            cand --color 'When to colour the text report'
            cand --allow 'Do not report this code (warnings and infos only); repeatable'
            cand --deny 'Report this code as an error; `--deny warnings` denies every warning; repeatable'
            cand --explain 'Print the explanation of a code and exit; with no code, list every code with its one-line summary'
            cand --define 'Fill a template placeholder (`{{NAME}}`, `{NAME}`, `${NAME}`); repeatable'
            cand --max-chars 'Longest formula in characters (service: 8192)'
            cand --max-statements 'Most statements (service: 100)'
            cand --max-nesting 'Deepest expression nesting (default 64)'
            cand --stdin-filename 'Read standard input (`-`) as this file: its extension picks the reader, and reports name it'
            cand --exclude 'Leave out files and directories matching GLOB (`.gitignore` syntax, relative to the directory walked) when walking; repeatable'
            cand --exit-zero 'Exit 0 even when errors are found (input and usage errors still exit 2)'
            cand --fix 'Apply the safe fixes (a missing `;`) to the files, then report what is left'
            cand --unsafe-fixes 'With `--fix`, also apply the unsafe fixes (a did-you-mean name for one that does not resolve): guesses a person should review'
            cand --no-service-limits 'Lift every limit to its hard cap'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'batchscale;fmt'= {
            cand --stdin-filename 'Read standard input (`-`) as this file: its extension picks the kind of file, and messages name it'
            cand --check 'Change nothing; exit 1 when a file would change'
            cand --diff 'Change nothing; print a unified diff of each file that would change, and exit 1 if any would'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'batchscale;simulate'= {
            cand --out 'Write `summary.txt`, `timeline.csv`, `timeline.json` and `chart.svg` here (with `--compare`, into `DIR/a` and `DIR/b`)'
            cand --seed 'The random seed (overrides the scenario''s `seed`)'
            cand --formula 'A formula file to use instead of the scenario''s formula'
            cand --compare 'Run two formulas on the same workload and seed, side by side'
            cand --seeds 'Run N seeds (the base seed and the N − 1 after it) on all cores and report each figure as a mean with its 95% interval'
            cand --allow-outside-paths 'Let the scenario''s `formula_file` and `trace` name files outside the scenario''s folder (refused by default, so that a scenario from elsewhere cannot make batchscale read other files)'
            cand --no-chart 'Do not print the terminal chart'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'batchscale;replay'= {
            cand --metrics 'Recorded metrics CSV (the `eval --metrics` format)'
            cand --context 'The pool''s state before the first evaluation (the `eval --context` format)'
            cand --interval 'Time between evaluations (ISO 8601)'
            cand --delay 'How long a sample takes to become visible to the formula (ISO 8601)'
            cand --start 'The first evaluation (RFC 3339). Default: the first sample''s time'
            cand --end 'No evaluation after this (RFC 3339). Default: the last sample''s time plus the delay'
            cand --format 'What to print on standard output'
            cand --out 'Write `summary.txt`, `timeline.csv`, `timeline.json` and `chart.svg` here'
            cand --explain 'Write the explanation of every evaluation here, one JSON object a line (the `explain --format json` shape plus its `time`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'batchscale;trace'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand import 'Build a trace CSV (`submit,duration,slots,job,exit_code`) from the TaskStartEvent, TaskCompleteEvent and TaskFailEvent records of Azure Batch service logs (JSON lines, as a diagnostic setting writes them)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'batchscale;trace;import'= {
            cand -o 'Where to write the CSV (`-` for standard output)'
            cand --output 'Where to write the CSV (`-` for standard output)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'batchscale;trace;help'= {
            cand import 'Build a trace CSV (`submit,duration,slots,job,exit_code`) from the TaskStartEvent, TaskCompleteEvent and TaskFailEvent records of Azure Batch service logs (JSON lines, as a diagnostic setting writes them)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'batchscale;trace;help;import'= {
        }
        &'batchscale;trace;help;help'= {
        }
        &'batchscale;new'= {
            cand --set 'Set a parameter: `--set maxNodes=10` (the `$` may be given)'
            cand -o 'Write the formula to FILE instead of standard output (an existing file is not replaced)'
            cand --output 'Write the formula to FILE instead of standard output (an existing file is not replaced)'
            cand --list 'List the templates and their parameters'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'batchscale;test'= {
            cand --format 'Output format'
            cand --run 'Run only the cases and scenario checks whose name matches: a glob (`grow*`), or, without `*`, `?` or `[`, any name containing it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'batchscale;lsp'= {
            cand --generate 'Write the files generated from the tables (docs/rules/*.md, the VS Code grammars) under this repository root, and exit'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'batchscale;completions'= {
            cand --out 'Write every shell''s script into this directory instead (created if missing), under the names the shells look for'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'batchscale;man'= {
            cand --out 'The directory to write the pages into (created if missing)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'batchscale;schema'= {
            cand --out 'Write every schema into this directory instead (created if missing), as `context.schema.json`, `scenario.schema.json` and `batchscale.schema.json`'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'batchscale;help'= {
            cand eval 'Evaluate a formula as the service would and print its results'
            cand explain 'Evaluate a formula and say why, statement by statement'
            cand tune 'Search formula constants for the best simulated outcome under constraints'
            cand repl 'Try formulas interactively against a pool you describe'
            cand check 'Check formulas (and the files that carry them) for errors and likely mistakes'
            cand fmt 'Format formula files in the canonical layout'
            cand simulate 'Run a formula against a workload over simulated days'
            cand replay 'Evaluate a formula over a pool''s recorded metrics, as the service would have'
            cand trace 'Build task traces for `simulate` from Azure Batch service logs'
            cand new 'Write a formula from a template (`--list` lists them)'
            cand test 'Run formula unit tests (`*.test.toml`): cases at given times and scenario bounds'
            cand lsp 'Serve the Language Server Protocol on standard input and output (for editors)'
            cand completions 'Print the shell completion script for bash, zsh, fish, powershell or elvish'
            cand man 'Write a man page for the command and each subcommand into a directory'
            cand schema 'Print the JSON Schema of a context file or a scenario file'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'batchscale;help;eval'= {
        }
        &'batchscale;help;explain'= {
        }
        &'batchscale;help;tune'= {
        }
        &'batchscale;help;repl'= {
        }
        &'batchscale;help;check'= {
        }
        &'batchscale;help;fmt'= {
        }
        &'batchscale;help;simulate'= {
        }
        &'batchscale;help;replay'= {
        }
        &'batchscale;help;trace'= {
            cand import 'Build a trace CSV (`submit,duration,slots,job,exit_code`) from the TaskStartEvent, TaskCompleteEvent and TaskFailEvent records of Azure Batch service logs (JSON lines, as a diagnostic setting writes them)'
        }
        &'batchscale;help;trace;import'= {
        }
        &'batchscale;help;new'= {
        }
        &'batchscale;help;test'= {
        }
        &'batchscale;help;lsp'= {
        }
        &'batchscale;help;completions'= {
        }
        &'batchscale;help;man'= {
        }
        &'batchscale;help;schema'= {
        }
        &'batchscale;help;help'= {
        }
    ]
    $completions[$command]
}
