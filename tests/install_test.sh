#!/usr/bin/env bash
# install_test.sh BUILD_DIR SOURCE_DIR: the installed package works outside the tree.
#
#   1. `cmake --install BUILD_DIR` into a temporary prefix, which is then moved (the
#      package must be relocatable): the layout, and the public headers compile alone
#      against the installed include/ (none needs a private header of formats/).
#   2. examples/convert_string, copied out of the tree, is configured and built with
#      find_package(dconv) (CMAKE_PREFIX_PATH), then with pkg-config --static; both
#      programs print the cleaned article as Markdown.
#   3. docs/dconv.1 renders without warnings, and its OPTIONS are exactly the options of
#      `dconv --help`; FORMATS names every format of `dconv --list-formats`.
#   4. tools/completion/dconv.bash loads, registers itself for dconv, offers the formats
#      and styles of `dconv --list-formats`, and exactly the options of `dconv --help`.
#
# Environment (set by tests/CMakeLists.txt): CMAKE, CXX, CXXFLAGS, LDFLAGS: the build's
# CMake, compiler and flags, for the consumer builds.
set -euo pipefail

build=$(cd "$1" && pwd)
source_dir=$(cd "$2" && pwd)
cmake=${CMAKE:-cmake}
cxx=${CXX:-c++}
read -r -a cxxflags <<<"${CXXFLAGS:-}"
read -r -a ldflags <<<"${LDFLAGS:-}"
dconv=$build/dconv

work=$(mktemp -d "${TMPDIR:-/tmp}/dconv-install-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0
fail() {  # MESSAGE [NAMES]: NAMES one a line, shown on one
    local names=${2:-}
    echo "FAIL: $1${names:+ ${names//$'\n'/ }}" >&2
    failures=$((failures + 1))
}
step() { echo "== $*"; }

# Sorted, one per line: the short and long options of `dconv --help`'s Options section
# (lines "  -t,--to ...", "  --no-clean ...").
help_options() {
    "$dconv" --help | sed -n 's/^  \(-[A-Za-z],\)\{0,1\}\(--[a-z0-9-]*\).*/\1\2/p' |
        tr ',' '\n' | sort -u
}
# The names of one section of `dconv --list-formats` (input, output, style), as the
# completion script reads them.
format_names() {
    local section=$1 line current='' name
    "$dconv" --list-formats | while IFS= read -r line; do
        case $line in
            "Input formats"*) current=input ;;
            "Output formats"*) current=output ;;
            "Styles"* | "Print styles"*) current=style ;;
            "  "*) if [[ $current == "$section" ]]; then read -r name _ <<<"$line" && echo "$name"; fi ;;
            *) current= ;;
        esac
    done | sort -u
}
expected_options=$(help_options)
[[ -n $expected_options ]] || fail "no options found in 'dconv --help'"

# --- 1. install ------------------------------------------------------------------------
step "cmake --install $build"
"$cmake" --install "$build" --prefix "$work/staged" >"$work/install.log"
mv "$work/staged" "$work/prefix"  # relocated: nothing may point at the staging prefix
prefix=$work/prefix
# lib, or lib/x86_64-linux-gnu when the build was configured for /usr
libdir=$(sed -n 's/^CMAKE_INSTALL_LIBDIR:PATH=//p' "$build/CMakeCache.txt")
libdir=${libdir:-lib}
for file in bin/dconv include/dconv/convert.hpp include/dconv/document.hpp \
    "$libdir"/cmake/dconv/dconvConfig.cmake "$libdir"/cmake/dconv/dconvConfigVersion.cmake \
    "$libdir"/cmake/dconv/dconvTargets.cmake "$libdir"/libdconv.a "$libdir"/libdconv_core.a \
    "$libdir"/pkgconfig/dconv.pc share/man/man1/dconv.1 share/bash-completion/completions/dconv; do
    [[ -e $prefix/$file ]] || fail "not installed: $file"
done
[[ "$("$prefix/bin/dconv" --version)" == "$("$dconv" --version)" ]] ||
    fail "bin/dconv --version differs from the build's"
if grep -rq "$work/staged" "$prefix/$libdir/cmake" "$prefix/$libdir/pkgconfig"; then
    fail "the package names the prefix it was installed to: not relocatable"
fi

step "public headers: only include/dconv/*.hpp, each compiles alone"
unexpected=$(cd "$prefix/include" && find . -type f ! -path './dconv/*.hpp')
[[ -z $unexpected ]] || fail "unexpected files under include/: $unexpected"
for header in "$source_dir"/include/dconv/*.hpp; do
    [[ -e $prefix/include/dconv/${header##*/} ]] || fail "header not installed: ${header##*/}"
done
for header in "$prefix"/include/dconv/*.hpp; do
    name=dconv/${header##*/}
    # A quoted include must name another public header.
    while read -r included; do
        [[ -e $prefix/include/$included ]] || fail "$name includes \"$included\", not a public header"
    done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$header")
    echo "#include <$name>" >"$work/header.cpp"
    "$cxx" -std=c++20 -fsyntax-only -Wall -Wextra -Werror -I"$prefix/include" "$work/header.cpp" ||
        fail "$name does not compile alone against the installed headers"
done

step "dconvConfigVersion.cmake: SameMajorVersion"
version=$("$dconv" --version | awk '{print $2}')
cat >"$work/version.cmake" <<'EOF'
set(CMAKE_SIZEOF_VOID_P 8)
string(REPLACE "." ";" parts "${PACKAGE_FIND_VERSION}")
list(GET parts 0 PACKAGE_FIND_VERSION_MAJOR)
include("${VERSION_FILE}")
message("${PACKAGE_VERSION} ${PACKAGE_VERSION_COMPATIBLE}")
EOF
check_version() {  # WANTED EXPECTED_COMPATIBLE
    local answer
    answer=$("$cmake" -DPACKAGE_FIND_VERSION="$1" -DVERSION_FILE="$prefix/$libdir/cmake/dconv/dconvConfigVersion.cmake" \
        -P "$work/version.cmake" 2>&1)
    [[ $answer == "$version $2" ]] || fail "find_package(dconv $1): '$answer', expected '$version $2'"
}
check_version "${version%%.*}.0" TRUE
check_version "$((${version%%.*} + 1)).0" FALSE

# --- 2. the example, outside the tree ----------------------------------------------------
check_example_output() {  # PROGRAM HOW
    local output
    if ! output=$("$1"); then
        fail "$2: the example failed"
        return
    fi
    for wanted in 'title: "Lighthouse keepers return to Fastnet Rock"' 'author: "Mary Byrne"' \
        'For the first time in thirty years' \
        "the island's birds"; do
        grep -qF -- "$wanted" <<<"$output" || fail "$2: the output lacks: $wanted"
    done
    for unwanted in 'Sign in' 'Share on Facebook' 'All rights reserved'; do
        if grep -qF -- "$unwanted" <<<"$output"; then fail "$2: boilerplate left: $unwanted"; fi
    done
}
cp -r "$source_dir/examples/convert_string" "$work/example"

step "examples/convert_string with find_package(dconv)"
if "$cmake" -S "$work/example" -B "$work/example-build" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON \
    -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_CXX_FLAGS="${CXXFLAGS:-}" \
    -DCMAKE_EXE_LINKER_FLAGS="${LDFLAGS:-}" >"$work/configure.log" 2>&1 &&
    "$cmake" --build "$work/example-build" >"$work/build.log" 2>&1; then
    grep -q "^dconv_DIR:PATH=$prefix/$libdir/cmake/dconv$" "$work/example-build/CMakeCache.txt" ||
        fail "find_package(dconv) did not use the installed package: $(grep dconv_DIR "$work/example-build/CMakeCache.txt")"
    if grep -qi warning "$work/configure.log" "$work/build.log"; then
        fail "warnings building the example"
        cat "$work/configure.log" "$work/build.log" >&2
    fi
    check_example_output "$work/example-build/convert_string" "CMake"
else
    fail "the example does not build with find_package(dconv)"
    cat "$work/configure.log" "$work/build.log" >&2 || true
fi

step "examples/convert_string with pkg-config --static dconv"
export PKG_CONFIG_PATH=$prefix/$libdir/pkgconfig
if [[ "$(pkg-config --modversion dconv)" != "$version" ]]; then
    fail "pkg-config --modversion dconv: $(pkg-config --modversion dconv), expected $version"
fi
pkg_libs=$(pkg-config --cflags --libs --static dconv)
# CMake's generator expressions ($<IF:...>) are for CMake: a .pc file is read as it is
# (and pkg-config prints their '<' and '>' escaped: $\<IF:...)
if [[ $pkg_libs == *'$<'* || $pkg_libs == *'$\<'* ]] || grep -q '\$<' "$prefix/$libdir/pkgconfig/dconv.pc"; then
    fail "pkg-config --cflags --libs --static dconv prints a CMake generator expression: $pkg_libs"
fi
read -r -a pkg_flags <<<"$pkg_libs"
if "$cxx" -std=c++20 -Wall -Wextra -Werror "${cxxflags[@]}" -o "$work/convert_string" \
    "$work/example/main.cpp" "${pkg_flags[@]}" "${ldflags[@]}"; then
    check_example_output "$work/convert_string" "pkg-config"
else
    fail "the example does not build with pkg-config --static dconv"
fi

# --- 3. the man page ---------------------------------------------------------------------
step "docs/dconv.1"
if command -v groff >/dev/null; then
    warnings=$(groff -man -ww -z "$source_dir/docs/dconv.1" 2>&1)
    [[ -z $warnings ]] || fail "dconv.1 renders with warnings: $warnings"
    rendered=$(groff -man -Tascii -P-cbou "$source_dir/docs/dconv.1" 2>/dev/null)
    # An entry of OPTIONS starts at the paragraph indent: "       -t, --to FMT".
    man_options=$(sed -n '/^OPTIONS/,/^[A-Z]/p' <<<"$rendered" | grep -E '^ {7}-' |
        grep -oE '(^|[ ,])--?[A-Za-z][a-z0-9-]*' | tr -d ' ,' | sort -u)
    missing=$(comm -23 <(echo "$expected_options") <(echo "$man_options"))
    stale=$(comm -13 <(echo "$expected_options") <(echo "$man_options"))
    [[ -z $missing ]] || fail "dconv.1 lacks options of dconv --help:" "$missing"
    [[ -z $stale ]] || fail "dconv.1 lists options dconv --help does not have:" "$stale"
    formats=$(sed -n '/^FORMATS/,/^[A-Z]/p' <<<"$rendered")
    for name in $(format_names input) $(format_names output); do
        grep -qE "^ +$name( |$)" <<<"$formats" || fail "dconv.1's FORMATS lacks $name"
    done
else
    fail "groff is missing (Debian: groff-base), needed to check docs/dconv.1"
fi
cmp -s "$source_dir/docs/dconv.1" "$prefix/share/man/man1/dconv.1" || fail "installed dconv.1 differs"

# --- 4. bash completion ------------------------------------------------------------------
step "tools/completion/dconv.bash"
completion=$prefix/share/bash-completion/completions/dconv
# complete WORDS...: what the completion offers for the last word, one per line.
complete_words() {
    bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _dconv
             printf "%s\n" "${COMPREPLY[@]}"' _ "$completion" "$dconv" "$@" | sort -u
}
registered=$(bash -c 'source "$1" && complete -p dconv' _ "$completion" 2>&1) ||
    fail "the completion does not load: $registered"
[[ $registered == "complete -F _dconv dconv" ]] || fail "complete -p dconv: $registered"
check_offers() {  # WHAT EXPECTED OFFERED
    local missing
    missing=$(comm -23 <(echo "$2" | sort -u) <(echo "$3"))
    [[ -z $missing ]] || fail "the completion of $1 lacks:" "$missing"
}
check_offers "--to" "$(format_names output; echo all)" "$(complete_words --to '')"
check_offers "--to md," "$(format_names output | sed 's/^/md,/')" "$(complete_words --to md,)"
check_offers "--from" "$(format_names input)" "$(complete_words --from '')"
check_offers "--style" "$(format_names style)" "$(complete_words --style '')"
check_offers "--paper" "$(printf '%s\n' a4 letter)" "$(complete_words --paper '')"
offered_options=$(complete_words -)
check_offers "options" "$expected_options" "$offered_options"
stale=$(comm -13 <(echo "$expected_options") <(grep -v = <<<"$offered_options"))
[[ -z $stale ]] || fail "the completion offers options dconv --help does not have:" "$stale"
cmp -s "$source_dir/tools/completion/dconv.bash" "$completion" || fail "installed completion differs"

if ((failures)); then
    echo "install_test: $failures failures" >&2
    exit 1
fi
echo "install_test: the installed package, the example, the manual and the completion all check"
