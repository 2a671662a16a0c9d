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
complete -c tlm -n "__fish_tlm_needs_command" -f -a "completions" -d 'Print shell completions'
complete -c tlm -n "__fish_tlm_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tlm -n "__fish_tlm_using_subcommand summarize" -s j -l threads -d 'Worker threads (default: all cores)' -r
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
complete -c tlm -n "__fish_tlm_using_subcommand summarize" -l format -d 'Output format' -r -f -a "table\t'An aligned table for people (fits the terminal)'
json\t'One JSON document'
csv\t'Comma-separated values with a header row'"
complete -c tlm -n "__fish_tlm_using_subcommand summarize" -l top-errors -d 'How many of the most frequent errors to list' -r
complete -c tlm -n "__fish_tlm_using_subcommand summarize" -l strict -d 'Stop at the first line that cannot be read, naming file:line (exit 2)'
complete -c tlm -n "__fish_tlm_using_subcommand summarize" -s q -l quiet -l no-progress -d 'Never show a progress bar'
complete -c tlm -n "__fish_tlm_using_subcommand summarize" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tlm -n "__fish_tlm_using_subcommand summarize" -s V -l version -d 'Print version'
complete -c tlm -n "__fish_tlm_using_subcommand completions" -s h -l help -d 'Print help'
complete -c tlm -n "__fish_tlm_using_subcommand completions" -s V -l version -d 'Print version'
complete -c tlm -n "__fish_tlm_using_subcommand help; and not __fish_seen_subcommand_from summarize completions help" -f -a "summarize" -d 'Throughput, success rate, latency percentiles per group, and top errors'
complete -c tlm -n "__fish_tlm_using_subcommand help; and not __fish_seen_subcommand_from summarize completions help" -f -a "completions" -d 'Print shell completions'
complete -c tlm -n "__fish_tlm_using_subcommand help; and not __fish_seen_subcommand_from summarize completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
