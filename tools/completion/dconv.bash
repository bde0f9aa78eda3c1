# bash completion for dconv. Installed as share/bash-completion/completions/dconv; to try
# it from the tree: source tools/completion/dconv.bash
#
# Options are listed here (tests/install_test.sh checks them against `dconv --help`);
# formats and style names come from the command itself, `dconv --list-formats`, when
# completing, so they are those of the dconv being completed.

_dconv_options="-t --to -f --from -o --output --clean --no-clean --favor-recall --favor-precision --keep-selector --drop-selector --explain --explain=json --columns --toc-depth --no-front-matter --no-smart
--encoding -j --jobs --bundle --title --author --metadata --style --paper --cover --resource-path
--force-extension --skip-existing --timeout -i --input-file --cache --allow-private --fetch-timeout --max-articles --no-images
--jsonl -q --quiet --list-formats --version -h --help"

# The names of one section of `dconv --list-formats`: "input" (readers), "output"
# (writers) or "style" (built-in styles of html, epub and pdf). The first word of each
# indented line under a heading that starts with that word.
_dconv_list() {
    local command=$1 section=$2 line name current=
    "$command" --list-formats 2>/dev/null | while IFS= read -r line; do
        case $line in
            "Input formats"*) current=input ;;
            "Output formats"*) current=output ;;
            "Styles"* | "Print styles"*) current=style ;;
            "  "*) if [[ $current == "$section" ]]; then read -r name _ <<<"$line" && echo "$name"; fi ;;
            *) current= ;;
        esac
    done | sort -u
}

_dconv() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev='' command=${COMP_WORDS[0]}
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    # bash splits "--to=md" at "=" (COMP_WORDBREAKS): "--to" "=" "md".
    if [[ $cur == "=" ]]; then
        cur=
    elif [[ $prev == "=" ]] && ((COMP_CWORD > 1)); then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
    else
        [[ $prev == --explain ]] && prev=  # a flag: "--explain page.txt"
    fi
    command -v -- "$command" >/dev/null 2>&1 || command=dconv
    COMPREPLY=()

    case $prev in
        -t | --to)
            # A comma-separated list: complete its last item.
            local done_items='' item
            [[ $cur == *,* ]] && done_items=${cur%,*},
            for item in $(_dconv_list "$command" output) all; do
                [[ $item == "${cur##*,}"* ]] && COMPREPLY+=("$done_items$item")
            done
            return
            ;;
        -f | --from)
            mapfile -t COMPREPLY < <(compgen -W "$(_dconv_list "$command" input)" -- "$cur")
            return
            ;;
        --style)
            mapfile -t COMPREPLY < <(compgen -W "$(_dconv_list "$command" style)" -- "$cur")
            _dconv_files "$cur" '*.css'
            return
            ;;
        --paper)
            mapfile -t COMPREPLY < <(compgen -W "a4 letter a5 legal a3" -- "$cur")
            return
            ;;
        --encoding)
            mapfile -t COMPREPLY < <(compgen -W "UTF-8 UTF-16LE UTF-16BE GB18030 GBK Big5
                Shift_JIS EUC-JP ISO-2022-JP EUC-KR windows-1252 ISO-8859-1 ISO-8859-2
                windows-1250 windows-1251 KOI8-R windows-1256 ISO-8859-8" -- "$cur")
            return
            ;;
        --metadata)
            compopt -o nospace 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -W "title= subtitle= author= date= site= publisher=
                language= source= description= rights= subject=" -- "$cur")
            return
            ;;
        --cover)
            _dconv_files "$cur" '*.@(jpg|jpeg|png|JPG|JPEG|PNG)'
            return
            ;;
        --resource-path)
            compopt -o dirnames 2>/dev/null
            COMPREPLY=()
            return
            ;;
        -o | --output | --bundle | -i | --input-file | --cache)
            _dconv_files "$cur"
            return
            ;;
        --explain)  # --explain=
            mapfile -t COMPREPLY < <(compgen -W "json" -- "$cur")
            return
            ;;
        -j | --jobs | --columns | --toc-depth | --timeout | --fetch-timeout | --max-articles | --title | --author | \
            --keep-selector | --drop-selector)
            return  # a number, free text or a CSS selector
            ;;
    esac

    if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$_dconv_options" -- "$cur")
        return
    fi
    _dconv_files "$cur"
}

# Appends the files (matching the extended glob PATTERN, if given) and directories that
# start with CUR to COMPREPLY, as file names (quoted, "/" after directories).
_dconv_files() {
    local cur=$1 pattern=${2:-} path
    compopt -o filenames 2>/dev/null
    while IFS= read -r path; do
        if [[ -z $pattern || -d $path ]]; then
            COMPREPLY+=("$path")
        else
            # shellcheck disable=SC2053  # a pattern on purpose
            [[ ${path##*/} == $pattern ]] && COMPREPLY+=("$path")
        fi
    done < <(compgen -f -- "$cur")
}

complete -F _dconv dconv
