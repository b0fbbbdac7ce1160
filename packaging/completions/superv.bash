# bash completion for superv(1): commands, options, and process names asked
# from the running daemon (nothing, silently, when none answers).

# Process selectors from `superv [GLOBAL OPTIONS] status`: each process as
# GROUP:NAME and NAME, then (unless the first argument is "processes") every
# GROUP:* and GROUP, and "all".
# shellcheck disable=SC2207  # compgen output split into COMPREPLY: the completion idiom
_superv_selectors() {
    local what=$1 cmd=$2
    shift 2
    local runner=()
    command -v timeout >/dev/null 2>&1 && runner=(timeout 2)
    "${runner[@]}" "$cmd" "$@" status 2>/dev/null | awk -v groups="$what" '
        !NF { next }
        { print $1 }
        (colon = index($1, ":")) {
            print substr($1, colon + 1)
            if (groups == "all") { print substr($1, 1, colon) "*"; print substr($1, 1, colon - 1) }
        }
    ' | sort -u
    [[ $what == all ]] && echo all
}

_superv() {
    local cur prev words cword
    if declare -F _init_completion >/dev/null; then
        _init_completion -n : || return
    else
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD - 1]}
    fi

    local commands="daemon status start stop restart signal reload update pid tail shutdown
        check import version"
    # Global options (before the command) and the command itself.
    local global=() command="" command_at=0 i
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            -s | --socket | -c | --config)
                global+=("${words[i]}" "${words[i + 1]}")
                ((i++))
                ;;
            --socket=* | --config=*) global+=("${words[i]}") ;;
            -*) ;;
            *)
                command=${words[i]}
                command_at=$i
                break
                ;;
        esac
    done

    case $prev in
        -s | --socket | -c | --config)
            COMPREPLY=($(compgen -f -- "$cur"))
            compopt -o filenames 2>/dev/null
            return
            ;;
    esac

    if [[ -z $command ]]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "-s --socket -c --config -h --help" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$commands" -- "$cur"))
        fi
        return
    fi

    # Positional arguments of the command so far, options left out.
    local args=0
    for ((i = command_at + 1; i < cword; i++)); do
        case ${words[i]} in
            --) ;;
            -n | --bytes | --backend | -c | --config) ((i++)) ;;
            -*) ;;
            *) ((args++)) ;;
        esac
    done

    local options="" selectors=0
    case $command in
        daemon)
            local j
            for ((j = command_at + 1; j < cword; j++)); do
                if [[ ${words[j]} == -- ]]; then
                    # After --: the command to supervise, then its arguments.
                    if ((j + 1 == cword)); then
                        COMPREPLY=($(compgen -c -- "$cur" | sort -u))
                    else
                        COMPREPLY=($(compgen -f -- "$cur"))
                        compopt -o filenames 2>/dev/null
                    fi
                    return
                fi
            done
            if [[ $prev == --backend ]]; then
                COMPREPLY=($(compgen -W "auto uring epoll uring-poll" -- "$cur"))
                return
            fi
            options="-c --config --init --backend --no-strict-modes -h --help --"
            ;;
        check) options="-c --config --no-strict-modes -h --help" ;;
        import)
            options="--no-strict-modes -h --help"
            if [[ $cur != -* ]] && ((args == 0)); then
                COMPREPLY=($(compgen -f -- "$cur"))
                compopt -o filenames 2>/dev/null
                return
            fi
            ;;
        status | pid) options="--json -h --help" selectors=1 ;;
        start | stop | restart) options="--json -h --help" selectors=1 ;;
        signal)
            options="--json -h --help"
            if ((args == 0)) && [[ $cur != -* ]]; then
                COMPREPLY=($(compgen -W "HUP INT QUIT KILL USR1 USR2 TERM CONT STOP WINCH" \
                    -- "$cur"))
                return
            fi
            selectors=1
            ;;
        tail)
            [[ $prev == -n || $prev == --bytes ]] && return
            options="-f --follow -n --bytes -h --help"
            if [[ $cur != -* ]]; then
                if ((args == 0)); then
                    COMPREPLY=($(compgen -W "$(_superv_selectors processes "${words[0]}" \
                        "${global[@]}")" -- "$cur"))
                elif ((args == 1)); then
                    COMPREPLY=($(compgen -W "stdout stderr" -- "$cur"))
                fi
                declare -F __ltrim_colon_completions >/dev/null && __ltrim_colon_completions "$cur"
                return
            fi
            ;;
        reload | update | shutdown) options="--json -h --help" ;;
        version) options="--json -h --help" ;;
        *) return ;;
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$options" -- "$cur"))
    elif ((selectors)); then
        COMPREPLY=($(compgen -W "$(_superv_selectors all "${words[0]}" "${global[@]}")" \
            -- "$cur"))
        declare -F __ltrim_colon_completions >/dev/null && __ltrim_colon_completions "$cur"
    fi
}

complete -F _superv superv
