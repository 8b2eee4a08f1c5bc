# bash completion for wensou(1) — installed as
# PREFIX/share/bash-completion/completions/wensou (or source it from ~/.bashrc).
# Completes the subcommands, each one's options, directories after --db/-d,
# files after segment/inspect/index, and the values of --mode and --color.

_wensou()
{
    local cur prev words cword pfx=
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    words=("${COMP_WORDS[@]}")
    cword=$COMP_CWORD

    # bash splits "--color=al" at '=' (COMP_WORDBREAKS): the words are then
    # "--color" "=" "al" (or "--color" "=" while nothing follows the '=').
    if [[ $cur == = ]]; then
        prev=${COMP_WORDS[COMP_CWORD-1]}
        cur=
    elif [[ $prev == = ]] && ((cword >= 2)); then
        prev=${COMP_WORDS[COMP_CWORD-2]}
    elif [[ $cur == --*=* ]]; then
        # '=' not in COMP_WORDBREAKS: the word is "--color=al", and so is
        # what completes it ("--color=always")
        prev=${cur%%=*}
        pfx=$prev=
        cur=${cur#*=}
    fi

    # the subcommand: the first word after "wensou" that is not an option
    local cmd= i
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            -*) ;;
            *) cmd=${words[i]}; break ;;
        esac
    done

    local commands="segment inspect index search serve"
    if [[ -z $cmd ]]; then
        if [[ $cur == -* ]]; then
            mapfile -t COMPREPLY < <(compgen -W "--help -h --version -V" -- "$cur")
        else
            mapfile -t COMPREPLY < <(compgen -W "$commands help" -- "$cur")
        fi
        return 0
    fi

    # the value of the option before the cursor
    case $prev in
        -d | --db)
            case $cmd in
                index | search | serve)
                    compopt -o filenames 2>/dev/null
                    mapfile -t COMPREPLY < <(compgen -P "$pfx" -d -- "$cur")
                    return 0
                    ;;
            esac
            ;;
        --mode)
            [[ $cmd == segment ]] && mapfile -t COMPREPLY < <(compgen -P "$pfx" -W "accurate search" -- "$cur") && return 0
            ;;
        --color)
            [[ $cmd == search ]] && mapfile -t COMPREPLY < <(compgen -P "$pfx" -W "auto always never" -- "$cur") && return 0
            ;;
        --socket | --connect | --token-file | --web)
            # a socket path (--connect also takes HOST:PORT), the token file, the page's folder
            case $cmd in
                search | serve)
                    compopt -o filenames 2>/dev/null
                    mapfile -t COMPREPLY < <(compgen -P "$pfx" -f -- "$cur")
                    return 0
                    ;;
            esac
            ;;
        -n | --limit | --offset | --per-doc | --shards | --shard | --listen | --http | --cors-origin | --workers | --query-timeout | --max-memory)
            case $cmd in
                search | serve | index) COMPREPLY=(); return 0 ;;
            esac
            ;;
    esac

    [[ -n $pfx ]] && return 0        # --name=value of an option without values

    local opts
    case $cmd in
        segment) opts="--mode --no-hmm --no-user-dict -j --json --help -h" ;;
        inspect) opts="--text --help -h" ;;
        index) opts="-d --db --prune --rebuild --shards --shard -q --quiet --help -h" ;;
        search) opts="-d --db --connect -n --limit --offset --per-doc -j --json --color= --remote-shards --help -h" ;;
        serve) opts="-d --db --socket --listen --allow-remote --http --token-file --cors-origin --web --workers --query-timeout --max-memory --remote-shards -v --verbose --help -h" ;;
        *) return 0 ;;
    esac

    # after "--" there are only operands
    local seen_dashdash=0
    for ((i = 1; i < cword; i++)); do
        [[ ${words[i]} == -- ]] && seen_dashdash=1
    done

    if [[ $cur == -* && $seen_dashdash == 0 ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
        # no space after an option that ends in '='
        [[ ${#COMPREPLY[@]} == 1 && ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null
        return 0
    fi

    case $cmd in
        segment | inspect | index)
            # files (and folders, to walk into them; index reads them whole)
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -f -- "$cur")
            ;;
        *)
            # search: query words; serve: no operands
            COMPREPLY=()
            ;;
    esac
    return 0
}

complete -F _wensou wensou
