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
'-j+[Worker threads (default\: all cores)]:N:_default' \
'--threads=[Worker threads (default\: all cores)]:N:_default' \
'*--by=[Group by these fields (comma-separated; dotted paths reach nested objects)]:FIELD[,FIELD…]:_default' \
'--time-field=[The field holding the time]:FIELD:_default' \
'--latency-field=[The field holding the latency]:FIELD:_default' \
'--latency-unit=[The unit of a bare latency number (default\: from the field'\''s name, else ms)]:UNIT:(ms s us ns)' \
'--success-field=[The field holding the success flag]:FIELD:_default' \
'--status-field=[The field holding the status (a word or an HTTP status)]:FIELD:_default' \
'--error-field=[The field holding the error message]:FIELD:_default' \
'--level-field=[The field holding the log level]:FIELD:_default' \
'--message-field=[The field holding the log message]:FIELD:_default' \
'--format=[Output format]:FORMAT:((table\:"An aligned table for people (fits the terminal)"
json\:"One JSON document"
csv\:"Comma-separated values with a header row"))' \
'--top-errors=[How many of the most frequent errors to list]:N:_default' \
'--strict[Stop at the first line that cannot be read, naming file\:line (exit 2)]' \
'-q[Never show a progress bar]' \
'--quiet[Never show a progress bar]' \
'--no-progress[Never show a progress bar]' \
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
(completions)
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
'completions:Print shell completions' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'tlm commands' commands "$@"
}
(( $+functions[_tlm__subcmd__completions_commands] )) ||
_tlm__subcmd__completions_commands() {
    local commands; commands=()
    _describe -t commands 'tlm completions commands' commands "$@"
}
(( $+functions[_tlm__subcmd__help_commands] )) ||
_tlm__subcmd__help_commands() {
    local commands; commands=(
'summarize:Throughput, success rate, latency percentiles per group, and top errors' \
'completions:Print shell completions' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'tlm help commands' commands "$@"
}
(( $+functions[_tlm__subcmd__help__subcmd__completions_commands] )) ||
_tlm__subcmd__help__subcmd__completions_commands() {
    local commands; commands=()
    _describe -t commands 'tlm help completions commands' commands "$@"
}
(( $+functions[_tlm__subcmd__help__subcmd__help_commands] )) ||
_tlm__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'tlm help help commands' commands "$@"
}
(( $+functions[_tlm__subcmd__help__subcmd__summarize_commands] )) ||
_tlm__subcmd__help__subcmd__summarize_commands() {
    local commands; commands=()
    _describe -t commands 'tlm help summarize commands' commands "$@"
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
