# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_tlm_global_optspecs
    string join \n h/help V/version
end

function __fish_tlm_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_tlm_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_tlm_using_subcommand
    set -l cmd (__fish_tlm_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c tlm -n "__fish_tlm_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tlm -n "__fish_tlm_needs_command" -s V -l version -d 'Print version'
complete -c tlm -n "__fish_tlm_needs_command" -f -a "summarize" -d 'Throughput, success rate, latency percentiles per group, and top errors'
complete -c tlm -n "__fish_tlm_needs_command" -f -a "errors" -d 'Failures and error-level events by message, similar messages clustered'
complete -c tlm -n "__fish_tlm_needs_command" -f -a "slow" -d 'The slowest requests, as the original records (ready for `| jq`)'
complete -c tlm -n "__fish_tlm_needs_command" -f -a "check" -d 'Threshold rules that exit 1 on breach, for cron and CI'
complete -c tlm -n "__fish_tlm_needs_command" -f -a "completions" -d 'Print shell completions'
complete -c tlm -n "__fish_tlm_needs_command" -f -a "man" -d 'Print the man page (roff): `tlm man > tlm.1`'
complete -c tlm -n "__fish_tlm_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tlm -n "__fish_tlm_using_subcommand summarize" -s j -l threads -d 'Worker threads, 1 to 1024 (default: all cores)' -r
complete -c tlm -n "__fish_tlm_using_subcommand summarize" -l input-format -d 'Read every input in this format instead of detecting each file\'s' -r -f -a "json\t'One JSON object per line'
logfmt\t'`key=value` pairs (Go\'s slog text handler, logrus, Heroku)'
python\t'Python logging\'s `%(asctime)s - %(name)s - %(levelname)s - %(message)s`'
access\t'nginx/Apache combined or common log format, optionally with request times'
syslog\t'Syslog, RFC 3164 or RFC 5424'
pattern\t'`--pattern`: a regex with named captures'
text\t'Any other text: a leading timestamp and a level word where there are ones'"
complete -c tlm -n "__fish_tlm_using_subcommand summarize" -l chunk-size -d 'Chunk size in bytes (for testing chunk boundaries; the default suits every input)' -r
complete -c tlm -n "__fish_tlm_using_subcommand summarize" -l pattern -d 'Read lines with this regex; named captures become fields: `(?P<time>…)`, `(?P<latency_ms>…)`, `(?P<level>…)`, `(?P<msg>…)`, any other name' -r
complete -c tlm -n "__fish_tlm_using_subcommand summarize" -l by -d 'Group by these fields (comma-separated; dotted paths reach nested objects)' -r
complete -c tlm -n "__fish_tlm_using_subcommand summarize" -l time-field -d 'The field holding the time' -r
complete -c tlm -n "__fish_tlm_using_subcommand summarize" -l latency-field -d 'The field holding the latency' -r
complete -c tlm -n "__fish_tlm_using_subcommand summarize" -l latency-unit -d 'The unit of a bare latency number (default: from the field\'s name, else ms)' -r -f -a "ms\t''
s\t''
us\t''
ns\t''"
complete -c tlm -n "__fish_tlm_using_subcommand summarize" -l success-field -d 'The field holding the success flag' -r
complete -c tlm -n "__fish_tlm_using_subcommand summarize" -l status-field -d 'The field holding the status (a word or an HTTP status)' -r
complete -c tlm -n "__fish_tlm_using_subcommand summarize" -l error-field -d 'The field holding the error message' -r
complete -c tlm -n "__fish_tlm_using_subcommand summarize" -l level-field -d 'The field holding the log level' -r
complete -c tlm -n "__fish_tlm_using_subcommand summarize" -l message-field -d 'The field holding the log message' -r
complete -c tlm -n "__fish_tlm_using_subcommand summarize" -l time-format -d 'A strftime layout for times no built-in layout reads (\'%d.%m.%Y %H:%M:%S\')' -r
complete -c tlm -n "__fish_tlm_using_subcommand summarize" -l since -d 'Only records at or after this time: RFC 3339, unix seconds, or a duration before now (`15m`, `1h`, `7d`)' -r
complete -c tlm -n "__fish_tlm_using_subcommand summarize" -l until -d 'Only records before this time (same forms as --since)' -r
complete -c tlm -n "__fish_tlm_using_subcommand summarize" -l now -d 'What "now" is for relative times (default: the clock), so scripts and tests repeat' -r
complete -c tlm -n "__fish_tlm_using_subcommand summarize" -l where -d 'Only records where FIELD=VALUE, FIELD!=VALUE, FIELD~REGEX, FIELD>N (also >=, <, <=; N may be a duration: `latency>250ms`). Repeatable; all must hold. `latency` and `time` mean the detected latency and time' -r
complete -c tlm -n "__fish_tlm_using_subcommand summarize" -l format -d 'Output format' -r -f -a "table\t'An aligned table for people (fits the terminal)'
json\t'One JSON document'
csv\t'Comma-separated values with a header row'"
complete -c tlm -n "__fish_tlm_using_subcommand summarize" -l top-errors -d 'How many of the most frequent errors to list' -r
complete -c tlm -n "__fish_tlm_using_subcommand summarize" -l strict -d 'Stop at the first line that cannot be read, naming file:line (exit 2)'
complete -c tlm -n "__fish_tlm_using_subcommand summarize" -s q -l quiet -l no-progress -d 'Never show a progress bar'
complete -c tlm -n "__fish_tlm_using_subcommand summarize" -l raw-errors -d 'List error messages as they are, without clustering similar ones into templates'
complete -c tlm -n "__fish_tlm_using_subcommand summarize" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tlm -n "__fish_tlm_using_subcommand summarize" -s V -l version -d 'Print version'
complete -c tlm -n "__fish_tlm_using_subcommand errors" -s j -l threads -d 'Worker threads, 1 to 1024 (default: all cores)' -r
complete -c tlm -n "__fish_tlm_using_subcommand errors" -l input-format -d 'Read every input in this format instead of detecting each file\'s' -r -f -a "json\t'One JSON object per line'
logfmt\t'`key=value` pairs (Go\'s slog text handler, logrus, Heroku)'
python\t'Python logging\'s `%(asctime)s - %(name)s - %(levelname)s - %(message)s`'
access\t'nginx/Apache combined or common log format, optionally with request times'
syslog\t'Syslog, RFC 3164 or RFC 5424'
pattern\t'`--pattern`: a regex with named captures'
text\t'Any other text: a leading timestamp and a level word where there are ones'"
complete -c tlm -n "__fish_tlm_using_subcommand errors" -l chunk-size -d 'Chunk size in bytes (for testing chunk boundaries; the default suits every input)' -r
complete -c tlm -n "__fish_tlm_using_subcommand errors" -l pattern -d 'Read lines with this regex; named captures become fields: `(?P<time>…)`, `(?P<latency_ms>…)`, `(?P<level>…)`, `(?P<msg>…)`, any other name' -r
complete -c tlm -n "__fish_tlm_using_subcommand errors" -l by -d 'Group by these fields (comma-separated; dotted paths reach nested objects)' -r
complete -c tlm -n "__fish_tlm_using_subcommand errors" -l time-field -d 'The field holding the time' -r
complete -c tlm -n "__fish_tlm_using_subcommand errors" -l latency-field -d 'The field holding the latency' -r
complete -c tlm -n "__fish_tlm_using_subcommand errors" -l latency-unit -d 'The unit of a bare latency number (default: from the field\'s name, else ms)' -r -f -a "ms\t''
s\t''
us\t''
ns\t''"
complete -c tlm -n "__fish_tlm_using_subcommand errors" -l success-field -d 'The field holding the success flag' -r
complete -c tlm -n "__fish_tlm_using_subcommand errors" -l status-field -d 'The field holding the status (a word or an HTTP status)' -r
complete -c tlm -n "__fish_tlm_using_subcommand errors" -l error-field -d 'The field holding the error message' -r
complete -c tlm -n "__fish_tlm_using_subcommand errors" -l level-field -d 'The field holding the log level' -r
complete -c tlm -n "__fish_tlm_using_subcommand errors" -l message-field -d 'The field holding the log message' -r
complete -c tlm -n "__fish_tlm_using_subcommand errors" -l time-format -d 'A strftime layout for times no built-in layout reads (\'%d.%m.%Y %H:%M:%S\')' -r
complete -c tlm -n "__fish_tlm_using_subcommand errors" -l since -d 'Only records at or after this time: RFC 3339, unix seconds, or a duration before now (`15m`, `1h`, `7d`)' -r
complete -c tlm -n "__fish_tlm_using_subcommand errors" -l until -d 'Only records before this time (same forms as --since)' -r
complete -c tlm -n "__fish_tlm_using_subcommand errors" -l now -d 'What "now" is for relative times (default: the clock), so scripts and tests repeat' -r
complete -c tlm -n "__fish_tlm_using_subcommand errors" -l where -d 'Only records where FIELD=VALUE, FIELD!=VALUE, FIELD~REGEX, FIELD>N (also >=, <, <=; N may be a duration: `latency>250ms`). Repeatable; all must hold. `latency` and `time` mean the detected latency and time' -r
complete -c tlm -n "__fish_tlm_using_subcommand errors" -l format -d 'Output format' -r -f -a "table\t'An aligned table for people (fits the terminal)'
json\t'One JSON document'
csv\t'Comma-separated values with a header row'"
complete -c tlm -n "__fish_tlm_using_subcommand errors" -l top -d 'How many rows to show' -r
complete -c tlm -n "__fish_tlm_using_subcommand errors" -l strict -d 'Stop at the first line that cannot be read, naming file:line (exit 2)'
complete -c tlm -n "__fish_tlm_using_subcommand errors" -s q -l quiet -l no-progress -d 'Never show a progress bar'
complete -c tlm -n "__fish_tlm_using_subcommand errors" -l raw -d 'Keep messages as they are, without clustering similar ones into templates'
complete -c tlm -n "__fish_tlm_using_subcommand errors" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tlm -n "__fish_tlm_using_subcommand errors" -s V -l version -d 'Print version'
complete -c tlm -n "__fish_tlm_using_subcommand slow" -s j -l threads -d 'Worker threads, 1 to 1024 (default: all cores)' -r
complete -c tlm -n "__fish_tlm_using_subcommand slow" -l input-format -d 'Read every input in this format instead of detecting each file\'s' -r -f -a "json\t'One JSON object per line'
logfmt\t'`key=value` pairs (Go\'s slog text handler, logrus, Heroku)'
python\t'Python logging\'s `%(asctime)s - %(name)s - %(levelname)s - %(message)s`'
access\t'nginx/Apache combined or common log format, optionally with request times'
syslog\t'Syslog, RFC 3164 or RFC 5424'
pattern\t'`--pattern`: a regex with named captures'
text\t'Any other text: a leading timestamp and a level word where there are ones'"
complete -c tlm -n "__fish_tlm_using_subcommand slow" -l chunk-size -d 'Chunk size in bytes (for testing chunk boundaries; the default suits every input)' -r
complete -c tlm -n "__fish_tlm_using_subcommand slow" -l pattern -d 'Read lines with this regex; named captures become fields: `(?P<time>…)`, `(?P<latency_ms>…)`, `(?P<level>…)`, `(?P<msg>…)`, any other name' -r
complete -c tlm -n "__fish_tlm_using_subcommand slow" -l by -d 'Group by these fields (comma-separated; dotted paths reach nested objects)' -r
complete -c tlm -n "__fish_tlm_using_subcommand slow" -l time-field -d 'The field holding the time' -r
complete -c tlm -n "__fish_tlm_using_subcommand slow" -l latency-field -d 'The field holding the latency' -r
complete -c tlm -n "__fish_tlm_using_subcommand slow" -l latency-unit -d 'The unit of a bare latency number (default: from the field\'s name, else ms)' -r -f -a "ms\t''
s\t''
us\t''
ns\t''"
complete -c tlm -n "__fish_tlm_using_subcommand slow" -l success-field -d 'The field holding the success flag' -r
complete -c tlm -n "__fish_tlm_using_subcommand slow" -l status-field -d 'The field holding the status (a word or an HTTP status)' -r
complete -c tlm -n "__fish_tlm_using_subcommand slow" -l error-field -d 'The field holding the error message' -r
complete -c tlm -n "__fish_tlm_using_subcommand slow" -l level-field -d 'The field holding the log level' -r
complete -c tlm -n "__fish_tlm_using_subcommand slow" -l message-field -d 'The field holding the log message' -r
complete -c tlm -n "__fish_tlm_using_subcommand slow" -l time-format -d 'A strftime layout for times no built-in layout reads (\'%d.%m.%Y %H:%M:%S\')' -r
complete -c tlm -n "__fish_tlm_using_subcommand slow" -l since -d 'Only records at or after this time: RFC 3339, unix seconds, or a duration before now (`15m`, `1h`, `7d`)' -r
complete -c tlm -n "__fish_tlm_using_subcommand slow" -l until -d 'Only records before this time (same forms as --since)' -r
complete -c tlm -n "__fish_tlm_using_subcommand slow" -l now -d 'What "now" is for relative times (default: the clock), so scripts and tests repeat' -r
complete -c tlm -n "__fish_tlm_using_subcommand slow" -l where -d 'Only records where FIELD=VALUE, FIELD!=VALUE, FIELD~REGEX, FIELD>N (also >=, <, <=; N may be a duration: `latency>250ms`). Repeatable; all must hold. `latency` and `time` mean the detected latency and time' -r
complete -c tlm -n "__fish_tlm_using_subcommand slow" -l over -d 'Every outcome slower than this (`100ms`, `1.5s`, `2m`), in input order' -r
complete -c tlm -n "__fish_tlm_using_subcommand slow" -l top -d 'The N slowest, slowest first (ties in input order)' -r
complete -c tlm -n "__fish_tlm_using_subcommand slow" -l format -d 'Output format (default: jsonl when stdout is not a terminal, table on a terminal)' -r -f -a "jsonl\t'The original lines, byte for byte (the default when stdout is not a terminal)'
table\t'A table: time, group, latency, outcome, error, file:line (the default on a terminal)'
json\t'A JSON array of the parsed records with file and line'
csv\t'CSV: file, line, time, group, latency_ms, outcome, error'"
complete -c tlm -n "__fish_tlm_using_subcommand slow" -l strict -d 'Stop at the first line that cannot be read, naming file:line (exit 2)'
complete -c tlm -n "__fish_tlm_using_subcommand slow" -s q -l quiet -l no-progress -d 'Never show a progress bar'
complete -c tlm -n "__fish_tlm_using_subcommand slow" -l per-group -d 'With --top: the N slowest of each group (groups by --by, or the detected group field)'
complete -c tlm -n "__fish_tlm_using_subcommand slow" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tlm -n "__fish_tlm_using_subcommand slow" -s V -l version -d 'Print version'
complete -c tlm -n "__fish_tlm_using_subcommand check" -s j -l threads -d 'Worker threads, 1 to 1024 (default: all cores)' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l input-format -d 'Read every input in this format instead of detecting each file\'s' -r -f -a "json\t'One JSON object per line'
logfmt\t'`key=value` pairs (Go\'s slog text handler, logrus, Heroku)'
python\t'Python logging\'s `%(asctime)s - %(name)s - %(levelname)s - %(message)s`'
access\t'nginx/Apache combined or common log format, optionally with request times'
syslog\t'Syslog, RFC 3164 or RFC 5424'
pattern\t'`--pattern`: a regex with named captures'
text\t'Any other text: a leading timestamp and a level word where there are ones'"
complete -c tlm -n "__fish_tlm_using_subcommand check" -l chunk-size -d 'Chunk size in bytes (for testing chunk boundaries; the default suits every input)' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l pattern -d 'Read lines with this regex; named captures become fields: `(?P<time>…)`, `(?P<latency_ms>…)`, `(?P<level>…)`, `(?P<msg>…)`, any other name' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l by -d 'Group by these fields (comma-separated; dotted paths reach nested objects)' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l time-field -d 'The field holding the time' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l latency-field -d 'The field holding the latency' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l latency-unit -d 'The unit of a bare latency number (default: from the field\'s name, else ms)' -r -f -a "ms\t''
s\t''
us\t''
ns\t''"
complete -c tlm -n "__fish_tlm_using_subcommand check" -l success-field -d 'The field holding the success flag' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l status-field -d 'The field holding the status (a word or an HTTP status)' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l error-field -d 'The field holding the error message' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l level-field -d 'The field holding the log level' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l message-field -d 'The field holding the log message' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l time-format -d 'A strftime layout for times no built-in layout reads (\'%d.%m.%Y %H:%M:%S\')' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l since -d 'Only records at or after this time: RFC 3339, unix seconds, or a duration before now (`15m`, `1h`, `7d`)' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l until -d 'Only records before this time (same forms as --since)' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l now -d 'What "now" is for relative times (default: the clock), so scripts and tests repeat' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l where -d 'Only records where FIELD=VALUE, FIELD!=VALUE, FIELD~REGEX, FIELD>N (also >=, <, <=; N may be a duration: `latency>250ms`). Repeatable; all must hold. `latency` and `time` mean the detected latency and time' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l max-error-rate -d 'Breach when the error rate is above this (`5%`, or a fraction `0.05`)' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l min-success-rate -d 'Breach when the success rate is below this (`99.9%`)' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l max-p50 -d 'Breach when p50 latency is above this (`50ms`)' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l max-p90 -d 'Breach when p90 latency is above this' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l max-p95 -d 'Breach when p95 latency is above this' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l max-p99 -d 'Breach when p99 latency is above this' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l max-p999 -d 'Breach when p99.9 latency is above this' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l max-latency -d 'Breach when the slowest outcome is above this' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l min-throughput -d 'Breach when throughput is below this (`10/s`, `600/m`, `3600/h`)' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l min-count -d 'Breach when there are fewer outcomes than this' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l max-failures -d 'Breach when there are more failures than this' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l max-skipped-ratio -d 'Breach when more than this share of non-blank lines could not be read (`1%`)' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l min-records -d 'Breach when fewer records than this were read' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l rule -d 'A rule on any figure: \'p95 < 500ms\', \'error_rate <= 1%\', \'count >= 100\', \'group=recommend: p99 < 2s\'. Repeatable' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l rules -d 'A file of rules, one per line, `#` comments' -r -F
complete -c tlm -n "__fish_tlm_using_subcommand check" -l warn -d 'A warning-level rule (same syntax as --rule). Repeatable' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l last -d 'Only the N most recent outcomes by time ("errors in the last 100 requests")' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l window -d 'Only the span of this length ending at the newest record (or at --now): `5m`' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l for -d 'Sustained: a rule is breached only if it is breached in every bucket of this span ending at the newest record (or --now), like Prometheus `for:`' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l bucket -d 'Bucket size for --for' -r
complete -c tlm -n "__fish_tlm_using_subcommand check" -l format -d 'Output format' -r -f -a "text\t'A line per rule and scope, then a summary line'
json\t'One JSON document with the same facts'
nagios\t'Monitoring Plugins: one status line with performance data; exit 0/1/2/3'"
complete -c tlm -n "__fish_tlm_using_subcommand check" -l strict -d 'Stop at the first line that cannot be read, naming file:line (exit 2)'
complete -c tlm -n "__fish_tlm_using_subcommand check" -s q -l quiet -l no-progress -d 'Never show a progress bar'
complete -c tlm -n "__fish_tlm_using_subcommand check" -l fail-on-warn -d 'Exit 1 on warnings too'
complete -c tlm -n "__fish_tlm_using_subcommand check" -l allow-empty -d 'Pass when there are no outcomes in the window (by default "no data" is a breach)'
complete -c tlm -n "__fish_tlm_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tlm -n "__fish_tlm_using_subcommand check" -s V -l version -d 'Print version'
complete -c tlm -n "__fish_tlm_using_subcommand completions" -s h -l help -d 'Print help'
complete -c tlm -n "__fish_tlm_using_subcommand completions" -s V -l version -d 'Print version'
complete -c tlm -n "__fish_tlm_using_subcommand man" -s h -l help -d 'Print help'
complete -c tlm -n "__fish_tlm_using_subcommand man" -s V -l version -d 'Print version'
complete -c tlm -n "__fish_tlm_using_subcommand help; and not __fish_seen_subcommand_from summarize errors slow check completions man help" -f -a "summarize" -d 'Throughput, success rate, latency percentiles per group, and top errors'
complete -c tlm -n "__fish_tlm_using_subcommand help; and not __fish_seen_subcommand_from summarize errors slow check completions man help" -f -a "errors" -d 'Failures and error-level events by message, similar messages clustered'
complete -c tlm -n "__fish_tlm_using_subcommand help; and not __fish_seen_subcommand_from summarize errors slow check completions man help" -f -a "slow" -d 'The slowest requests, as the original records (ready for `| jq`)'
complete -c tlm -n "__fish_tlm_using_subcommand help; and not __fish_seen_subcommand_from summarize errors slow check completions man help" -f -a "check" -d 'Threshold rules that exit 1 on breach, for cron and CI'
complete -c tlm -n "__fish_tlm_using_subcommand help; and not __fish_seen_subcommand_from summarize errors slow check completions man help" -f -a "completions" -d 'Print shell completions'
complete -c tlm -n "__fish_tlm_using_subcommand help; and not __fish_seen_subcommand_from summarize errors slow check completions man help" -f -a "man" -d 'Print the man page (roff): `tlm man > tlm.1`'
complete -c tlm -n "__fish_tlm_using_subcommand help; and not __fish_seen_subcommand_from summarize errors slow check completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
