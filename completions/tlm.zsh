#compdef tlm

autoload -U is-at-least

_tlm() {
    typeset -A opt_args
    typeset -a _arguments_options
    local ret=1

    if is-at-least 5.2; then
        _arguments_options=(-s -S -C)
    else
        _arguments_options=(-s -C)
    fi

    local context curcontext="$curcontext" state line
    _arguments "${_arguments_options[@]}" : \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_tlm_commands" \
"*::: :->tlm" \
&& ret=0
    case $state in
    (tlm)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:tlm-command-$line[1]:"
        case $line[1] in
            (summarize)
_arguments "${_arguments_options[@]}" : \
'-j+[Worker threads, 1 to 1024 (default\: all cores)]:N:_default' \
'--threads=[Worker threads, 1 to 1024 (default\: all cores)]:N:_default' \
'--input-format=[Read every input in this format instead of detecting each file'\''s]:FORMAT:((json\:"One JSON object per line"
logfmt\:"\`key=value\` pairs (Go'\''s slog text handler, logrus, Heroku)"
python\:"Python logging'\''s \`%(asctime)s - %(name)s - %(levelname)s - %(message)s\`"
access\:"nginx/Apache combined or common log format, optionally with request times"
syslog\:"Syslog, RFC 3164 or RFC 5424"
pattern\:"\`--pattern\`\: a regex with named captures"
text\:"Any other text\: a leading timestamp and a level word where there are ones"))' \
'--chunk-size=[Chunk size in bytes (for testing chunk boundaries; the default suits every input)]:BYTES:_default' \
'--pattern=[Read lines with this regex; named captures become fields\: \`(?P<time>…)\`, \`(?P<latency_ms>…)\`, \`(?P<level>…)\`, \`(?P<msg>…)\`, any other name]:REGEX:_default' \
'*--by=[Group by these fields (comma-separated; dotted paths reach nested objects)]:FIELD[,FIELD…]:_default' \
'--time-field=[The field holding the time]:FIELD:_default' \
'--latency-field=[The field holding the latency]:FIELD:_default' \
'--latency-unit=[The unit of a bare latency number (default\: from the field'\''s name, else ms)]:UNIT:(ms s us ns)' \
'--success-field=[The field holding the success flag]:FIELD:_default' \
'--status-field=[The field holding the status (a word or an HTTP status)]:FIELD:_default' \
'--error-field=[The field holding the error message]:FIELD:_default' \
'--level-field=[The field holding the log level]:FIELD:_default' \
'--message-field=[The field holding the log message]:FIELD:_default' \
'--time-format=[A strftime layout for times no built-in layout reads ('\''%d.%m.%Y %H\:%M\:%S'\'')]:LAYOUT:_default' \
'--since=[Only records at or after this time\: RFC 3339, unix seconds, or a duration before now (\`15m\`, \`1h\`, \`7d\`)]:TIME:_default' \
'--until=[Only records before this time (same forms as --since)]:TIME:_default' \
'--now=[What "now" is for relative times (default\: the clock), so scripts and tests repeat]:TIME:_default' \
'*--where=[Only records where FIELD=VALUE, FIELD!=VALUE, FIELD~REGEX, FIELD>N (also >=, <, <=; N may be a duration\: \`latency>250ms\`). Repeatable; all must hold. \`latency\` and \`time\` mean the detected latency and time]:COND:_default' \
'--format=[Output format]:FORMAT:((table\:"An aligned table for people (fits the terminal)"
json\:"One JSON document"
csv\:"Comma-separated values with a header row"))' \
'--top-errors=[How many of the most frequent errors to list]:N:_default' \
'--strict[Stop at the first line that cannot be read, naming file\:line (exit 2)]' \
'-q[Never show a progress bar]' \
'--quiet[Never show a progress bar]' \
'--no-progress[Never show a progress bar]' \
'--raw-errors[List error messages as they are, without clustering similar ones into templates]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'*::paths -- Files or directories to read (`-` for stdin; stdin when none is given and it is piped). gzip and zstd are decompressed transparently:_files' \
&& ret=0
;;
(errors)
_arguments "${_arguments_options[@]}" : \
'-j+[Worker threads, 1 to 1024 (default\: all cores)]:N:_default' \
'--threads=[Worker threads, 1 to 1024 (default\: all cores)]:N:_default' \
'--input-format=[Read every input in this format instead of detecting each file'\''s]:FORMAT:((json\:"One JSON object per line"
logfmt\:"\`key=value\` pairs (Go'\''s slog text handler, logrus, Heroku)"
python\:"Python logging'\''s \`%(asctime)s - %(name)s - %(levelname)s - %(message)s\`"
access\:"nginx/Apache combined or common log format, optionally with request times"
syslog\:"Syslog, RFC 3164 or RFC 5424"
pattern\:"\`--pattern\`\: a regex with named captures"
text\:"Any other text\: a leading timestamp and a level word where there are ones"))' \
'--chunk-size=[Chunk size in bytes (for testing chunk boundaries; the default suits every input)]:BYTES:_default' \
'--pattern=[Read lines with this regex; named captures become fields\: \`(?P<time>…)\`, \`(?P<latency_ms>…)\`, \`(?P<level>…)\`, \`(?P<msg>…)\`, any other name]:REGEX:_default' \
'*--by=[Group by these fields (comma-separated; dotted paths reach nested objects)]:FIELD[,FIELD…]:_default' \
'--time-field=[The field holding the time]:FIELD:_default' \
'--latency-field=[The field holding the latency]:FIELD:_default' \
'--latency-unit=[The unit of a bare latency number (default\: from the field'\''s name, else ms)]:UNIT:(ms s us ns)' \
'--success-field=[The field holding the success flag]:FIELD:_default' \
'--status-field=[The field holding the status (a word or an HTTP status)]:FIELD:_default' \
'--error-field=[The field holding the error message]:FIELD:_default' \
'--level-field=[The field holding the log level]:FIELD:_default' \
'--message-field=[The field holding the log message]:FIELD:_default' \
'--time-format=[A strftime layout for times no built-in layout reads ('\''%d.%m.%Y %H\:%M\:%S'\'')]:LAYOUT:_default' \
'--since=[Only records at or after this time\: RFC 3339, unix seconds, or a duration before now (\`15m\`, \`1h\`, \`7d\`)]:TIME:_default' \
'--until=[Only records before this time (same forms as --since)]:TIME:_default' \
'--now=[What "now" is for relative times (default\: the clock), so scripts and tests repeat]:TIME:_default' \
'*--where=[Only records where FIELD=VALUE, FIELD!=VALUE, FIELD~REGEX, FIELD>N (also >=, <, <=; N may be a duration\: \`latency>250ms\`). Repeatable; all must hold. \`latency\` and \`time\` mean the detected latency and time]:COND:_default' \
'--format=[Output format]:FORMAT:((table\:"An aligned table for people (fits the terminal)"
json\:"One JSON document"
csv\:"Comma-separated values with a header row"))' \
'--top=[How many rows to show]:N:_default' \
'--strict[Stop at the first line that cannot be read, naming file\:line (exit 2)]' \
'-q[Never show a progress bar]' \
'--quiet[Never show a progress bar]' \
'--no-progress[Never show a progress bar]' \
'--raw[Keep messages as they are, without clustering similar ones into templates]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'*::paths -- Files or directories to read (`-` for stdin; stdin when none is given and it is piped). gzip and zstd are decompressed transparently:_files' \
&& ret=0
;;
(slow)
_arguments "${_arguments_options[@]}" : \
'-j+[Worker threads, 1 to 1024 (default\: all cores)]:N:_default' \
'--threads=[Worker threads, 1 to 1024 (default\: all cores)]:N:_default' \
'--input-format=[Read every input in this format instead of detecting each file'\''s]:FORMAT:((json\:"One JSON object per line"
logfmt\:"\`key=value\` pairs (Go'\''s slog text handler, logrus, Heroku)"
python\:"Python logging'\''s \`%(asctime)s - %(name)s - %(levelname)s - %(message)s\`"
access\:"nginx/Apache combined or common log format, optionally with request times"
syslog\:"Syslog, RFC 3164 or RFC 5424"
pattern\:"\`--pattern\`\: a regex with named captures"
text\:"Any other text\: a leading timestamp and a level word where there are ones"))' \
'--chunk-size=[Chunk size in bytes (for testing chunk boundaries; the default suits every input)]:BYTES:_default' \
'--pattern=[Read lines with this regex; named captures become fields\: \`(?P<time>…)\`, \`(?P<latency_ms>…)\`, \`(?P<level>…)\`, \`(?P<msg>…)\`, any other name]:REGEX:_default' \
'*--by=[Group by these fields (comma-separated; dotted paths reach nested objects)]:FIELD[,FIELD…]:_default' \
'--time-field=[The field holding the time]:FIELD:_default' \
'--latency-field=[The field holding the latency]:FIELD:_default' \
'--latency-unit=[The unit of a bare latency number (default\: from the field'\''s name, else ms)]:UNIT:(ms s us ns)' \
'--success-field=[The field holding the success flag]:FIELD:_default' \
'--status-field=[The field holding the status (a word or an HTTP status)]:FIELD:_default' \
'--error-field=[The field holding the error message]:FIELD:_default' \
'--level-field=[The field holding the log level]:FIELD:_default' \
'--message-field=[The field holding the log message]:FIELD:_default' \
'--time-format=[A strftime layout for times no built-in layout reads ('\''%d.%m.%Y %H\:%M\:%S'\'')]:LAYOUT:_default' \
'--since=[Only records at or after this time\: RFC 3339, unix seconds, or a duration before now (\`15m\`, \`1h\`, \`7d\`)]:TIME:_default' \
'--until=[Only records before this time (same forms as --since)]:TIME:_default' \
'--now=[What "now" is for relative times (default\: the clock), so scripts and tests repeat]:TIME:_default' \
'*--where=[Only records where FIELD=VALUE, FIELD!=VALUE, FIELD~REGEX, FIELD>N (also >=, <, <=; N may be a duration\: \`latency>250ms\`). Repeatable; all must hold. \`latency\` and \`time\` mean the detected latency and time]:COND:_default' \
'--over=[Every outcome slower than this (\`100ms\`, \`1.5s\`, \`2m\`), in input order]:DURATION:_default' \
'--top=[The N slowest, slowest first (ties in input order)]:N:_default' \
'--format=[Output format (default\: jsonl when stdout is not a terminal, table on a terminal)]:FORMAT:((jsonl\:"The original lines, byte for byte (the default when stdout is not a terminal)"
table\:"A table\: time, group, latency, outcome, error, file\:line (the default on a terminal)"
json\:"A JSON array of the parsed records with file and line"
csv\:"CSV\: file, line, time, group, latency_ms, outcome, error"))' \
'--strict[Stop at the first line that cannot be read, naming file\:line (exit 2)]' \
'-q[Never show a progress bar]' \
'--quiet[Never show a progress bar]' \
'--no-progress[Never show a progress bar]' \
'--per-group[With --top\: the N slowest of each group (groups by --by, or the detected group field)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'*::paths -- Files or directories to read (`-` for stdin; stdin when none is given and it is piped). gzip and zstd are decompressed transparently:_files' \
&& ret=0
;;
(check)
_arguments "${_arguments_options[@]}" : \
'-j+[Worker threads, 1 to 1024 (default\: all cores)]:N:_default' \
'--threads=[Worker threads, 1 to 1024 (default\: all cores)]:N:_default' \
'--input-format=[Read every input in this format instead of detecting each file'\''s]:FORMAT:((json\:"One JSON object per line"
logfmt\:"\`key=value\` pairs (Go'\''s slog text handler, logrus, Heroku)"
python\:"Python logging'\''s \`%(asctime)s - %(name)s - %(levelname)s - %(message)s\`"
access\:"nginx/Apache combined or common log format, optionally with request times"
syslog\:"Syslog, RFC 3164 or RFC 5424"
pattern\:"\`--pattern\`\: a regex with named captures"
text\:"Any other text\: a leading timestamp and a level word where there are ones"))' \
'--chunk-size=[Chunk size in bytes (for testing chunk boundaries; the default suits every input)]:BYTES:_default' \
'--pattern=[Read lines with this regex; named captures become fields\: \`(?P<time>…)\`, \`(?P<latency_ms>…)\`, \`(?P<level>…)\`, \`(?P<msg>…)\`, any other name]:REGEX:_default' \
'*--by=[Group by these fields (comma-separated; dotted paths reach nested objects)]:FIELD[,FIELD…]:_default' \
'--time-field=[The field holding the time]:FIELD:_default' \
'--latency-field=[The field holding the latency]:FIELD:_default' \
'--latency-unit=[The unit of a bare latency number (default\: from the field'\''s name, else ms)]:UNIT:(ms s us ns)' \
'--success-field=[The field holding the success flag]:FIELD:_default' \
'--status-field=[The field holding the status (a word or an HTTP status)]:FIELD:_default' \
'--error-field=[The field holding the error message]:FIELD:_default' \
'--level-field=[The field holding the log level]:FIELD:_default' \
'--message-field=[The field holding the log message]:FIELD:_default' \
'--time-format=[A strftime layout for times no built-in layout reads ('\''%d.%m.%Y %H\:%M\:%S'\'')]:LAYOUT:_default' \
'--since=[Only records at or after this time\: RFC 3339, unix seconds, or a duration before now (\`15m\`, \`1h\`, \`7d\`)]:TIME:_default' \
'--until=[Only records before this time (same forms as --since)]:TIME:_default' \
'--now=[What "now" is for relative times (default\: the clock), so scripts and tests repeat]:TIME:_default' \
'*--where=[Only records where FIELD=VALUE, FIELD!=VALUE, FIELD~REGEX, FIELD>N (also >=, <, <=; N may be a duration\: \`latency>250ms\`). Repeatable; all must hold. \`latency\` and \`time\` mean the detected latency and time]:COND:_default' \
'--max-error-rate=[Breach when the error rate is above this (\`5%\`, or a fraction \`0.05\`)]:RATE:_default' \
'--min-success-rate=[Breach when the success rate is below this (\`99.9%\`)]:RATE:_default' \
'--max-p50=[Breach when p50 latency is above this (\`50ms\`)]:DURATION:_default' \
'--max-p90=[Breach when p90 latency is above this]:DURATION:_default' \
'--max-p95=[Breach when p95 latency is above this]:DURATION:_default' \
'--max-p99=[Breach when p99 latency is above this]:DURATION:_default' \
'--max-p999=[Breach when p99.9 latency is above this]:DURATION:_default' \
'--max-latency=[Breach when the slowest outcome is above this]:DURATION:_default' \
'--min-throughput=[Breach when throughput is below this (\`10/s\`, \`600/m\`, \`3600/h\`)]:RATE:_default' \
'--min-count=[Breach when there are fewer outcomes than this]:N:_default' \
'--max-failures=[Breach when there are more failures than this]:N:_default' \
'--max-skipped-ratio=[Breach when more than this share of non-blank lines could not be read (\`1%\`)]:RATE:_default' \
'--min-records=[Breach when fewer records than this were read]:N:_default' \
'*--rule=[A rule on any figure\: '\''p95 < 500ms'\'', '\''error_rate <= 1%'\'', '\''count >= 100'\'', '\''group=recommend\: p99 < 2s'\''. Repeatable]:RULE:_default' \
'--rules=[A file of rules, one per line, \`#\` comments]:FILE:_files' \
'*--warn=[A warning-level rule (same syntax as --rule). Repeatable]:RULE:_default' \
'(--window --for)--last=[Only the N most recent outcomes by time ("errors in the last 100 requests")]:N:_default' \
'--window=[Only the span of this length ending at the newest record (or at --now)\: \`5m\`]:DURATION:_default' \
'--for=[Sustained\: a rule is breached only if it is breached in every bucket of this span ending at the newest record (or --now), like Prometheus \`for\:\`]:DURATION:_default' \
'--bucket=[Bucket size for --for]:DURATION:_default' \
'--format=[Output format]:FORMAT:((text\:"A line per rule and scope, then a summary line"
json\:"One JSON document with the same facts"
nagios\:"Monitoring Plugins\: one status line with performance data; exit 0/1/2/3"))' \
'--strict[Stop at the first line that cannot be read, naming file\:line (exit 2)]' \
'-q[Never show a progress bar]' \
'--quiet[Never show a progress bar]' \
'--no-progress[Never show a progress bar]' \
'--fail-on-warn[Exit 1 on warnings too]' \
'--allow-empty[Pass when there are no outcomes in the window (by default "no data" is a breach)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'*::paths -- Files or directories to read (`-` for stdin; stdin when none is given and it is piped). gzip and zstd are decompressed transparently:_files' \
&& ret=0
;;
(completions)
_arguments "${_arguments_options[@]}" : \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
':shell -- The shell to generate completions for:(bash elvish fish powershell zsh)' \
&& ret=0
;;
(man)
_arguments "${_arguments_options[@]}" : \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_tlm__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:tlm-help-command-$line[1]:"
        case $line[1] in
            (summarize)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(errors)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(slow)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(check)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(completions)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(man)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
}

(( $+functions[_tlm_commands] )) ||
_tlm_commands() {
    local commands; commands=(
'summarize:Throughput, success rate, latency percentiles per group, and top errors' \
'errors:Failures and error-level events by message, similar messages clustered' \
'slow:The slowest requests, as the original records (ready for \`| jq\`)' \
'check:Threshold rules that exit 1 on breach, for cron and CI' \
'completions:Print shell completions' \
'man:Print the man page (roff)\: \`tlm man > tlm.1\`' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'tlm commands' commands "$@"
}
(( $+functions[_tlm__subcmd__check_commands] )) ||
_tlm__subcmd__check_commands() {
    local commands; commands=()
    _describe -t commands 'tlm check commands' commands "$@"
}
(( $+functions[_tlm__subcmd__completions_commands] )) ||
_tlm__subcmd__completions_commands() {
    local commands; commands=()
    _describe -t commands 'tlm completions commands' commands "$@"
}
(( $+functions[_tlm__subcmd__errors_commands] )) ||
_tlm__subcmd__errors_commands() {
    local commands; commands=()
    _describe -t commands 'tlm errors commands' commands "$@"
}
(( $+functions[_tlm__subcmd__help_commands] )) ||
_tlm__subcmd__help_commands() {
    local commands; commands=(
'summarize:Throughput, success rate, latency percentiles per group, and top errors' \
'errors:Failures and error-level events by message, similar messages clustered' \
'slow:The slowest requests, as the original records (ready for \`| jq\`)' \
'check:Threshold rules that exit 1 on breach, for cron and CI' \
'completions:Print shell completions' \
'man:Print the man page (roff)\: \`tlm man > tlm.1\`' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'tlm help commands' commands "$@"
}
(( $+functions[_tlm__subcmd__help__subcmd__check_commands] )) ||
_tlm__subcmd__help__subcmd__check_commands() {
    local commands; commands=()
    _describe -t commands 'tlm help check commands' commands "$@"
}
(( $+functions[_tlm__subcmd__help__subcmd__completions_commands] )) ||
_tlm__subcmd__help__subcmd__completions_commands() {
    local commands; commands=()
    _describe -t commands 'tlm help completions commands' commands "$@"
}
(( $+functions[_tlm__subcmd__help__subcmd__errors_commands] )) ||
_tlm__subcmd__help__subcmd__errors_commands() {
    local commands; commands=()
    _describe -t commands 'tlm help errors commands' commands "$@"
}
(( $+functions[_tlm__subcmd__help__subcmd__help_commands] )) ||
_tlm__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'tlm help help commands' commands "$@"
}
(( $+functions[_tlm__subcmd__help__subcmd__man_commands] )) ||
_tlm__subcmd__help__subcmd__man_commands() {
    local commands; commands=()
    _describe -t commands 'tlm help man commands' commands "$@"
}
(( $+functions[_tlm__subcmd__help__subcmd__slow_commands] )) ||
_tlm__subcmd__help__subcmd__slow_commands() {
    local commands; commands=()
    _describe -t commands 'tlm help slow commands' commands "$@"
}
(( $+functions[_tlm__subcmd__help__subcmd__summarize_commands] )) ||
_tlm__subcmd__help__subcmd__summarize_commands() {
    local commands; commands=()
    _describe -t commands 'tlm help summarize commands' commands "$@"
}
(( $+functions[_tlm__subcmd__man_commands] )) ||
_tlm__subcmd__man_commands() {
    local commands; commands=()
    _describe -t commands 'tlm man commands' commands "$@"
}
(( $+functions[_tlm__subcmd__slow_commands] )) ||
_tlm__subcmd__slow_commands() {
    local commands; commands=()
    _describe -t commands 'tlm slow commands' commands "$@"
}
(( $+functions[_tlm__subcmd__summarize_commands] )) ||
_tlm__subcmd__summarize_commands() {
    local commands; commands=()
    _describe -t commands 'tlm summarize commands' commands "$@"
}

if [ "$funcstack[1]" = "_tlm" ]; then
    _tlm "$@"
else
    compdef _tlm tlm
fi
