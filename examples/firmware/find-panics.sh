#!/usr/bin/env bash
# Where can `panic_never` panic? Builds it with the feature `find-panics` (a panic handler that
# spins, so the ELF links even when a panic is reachable), finds every branch into core's panic
# functions, and prints each one's inlined call chain (outermost first, core frames left out):
#
#   panic_never::optim::drivers (panic_never.rs:433) > lossmap::optim::minimize::minimize (minimize.rs:133) > …
#
# Usage (extra arguments go to cargo build):
#   examples/firmware/find-panics.sh --features capi
#   TARGET=thumbv6m-none-eabi examples/firmware/find-panics.sh --features capi
#
# Needs llvm-objdump and llvm-addr2line (Debian: apt install llvm) or the arm-none-eabi binutils.
set -euo pipefail
cd "$(dirname "$0")"

TARGET=${TARGET:-thumbv7em-none-eabihf}
pick() { for t in "$@"; do command -v "$t" >/dev/null 2>&1 && { echo "$t"; return; }; done; }
OBJDUMP=$(pick llvm-objdump arm-none-eabi-objdump)
ADDR2LINE=$(pick llvm-addr2line arm-none-eabi-addr2line)
if [ -z "$OBJDUMP" ] || [ -z "$ADDR2LINE" ]; then
    echo "find-panics: needs llvm-objdump and llvm-addr2line (apt install llvm) or arm-none-eabi binutils" >&2
    exit 2
fi

features="find-panics"
extra=()
while [ $# -gt 0 ]; do # merge a caller's --features with ours
    case "$1" in
        --features) features="$features,${2:-}"; shift 2 || shift ;;
        --features=*) features="$features,${1#--features=}"; shift ;;
        *) extra+=("$1"); shift ;;
    esac
done
cargo build --quiet --release --target "$TARGET" --bin panic_never --features "$features" ${extra[@]+"${extra[@]}"}
elf="${CARGO_TARGET_DIR:-target}/$TARGET/release/panic_never"

dis=$("$OBJDUMP" -d -C --no-show-raw-insn "$elf")
# 1. Instructions that call a panic entry point of core.
panic_re='<[^>]*(core::panicking::|core::slice::index::|unwrap_failed|expect_failed|panic_const|slice_error_fail|panic_already)[^>]*>'
calls=$(grep -E "^\s*[0-9a-f]+:\s+bl?(\.w)?\s+(0x)?[0-9a-f]+ $panic_re" <<<"$dis" | awk '{sub(":", "", $1); print $1}' || true)
if [ -z "$calls" ]; then
    echo "find-panics: no call into core's panic functions in $elf: nothing can panic."
    exit 0
fi
# 2. A call that other code branches to is a shared stub (its own line info is meaningless):
#    report the branches instead.
sites=()
for a in $calls; do
    from=$(grep -E "^\s*[0-9a-f]+:\s+b[a-z.]*\s+(0x)?0*${a#"${a%%[!0]*}"} " <<<"$dis" | awk '{sub(":", "", $1); print $1}' || true)
    if [ -n "$from" ]; then sites+=($from); else sites+=("$a"); fi
done

# 3. Inlined call chains of every site, outermost first, without core/compiler frames.
for a in "${sites[@]}"; do
    "$ADDR2LINE" -e "$elf" -f -i -C "0x$a" | paste - - | awk -F'\t' '
        { fn = $1; sub(/::h[0-9a-f]+$/, "", fn); loc = $2; sub(/.*\//, "", loc) }
        fn !~ /^(core::|<core::|_\$LT\$core|compiler_builtins|__rustc|\?\?)/ { chain[n++] = fn " (" loc ")" }
        END { if (n) { s = chain[n-1]; for (i = n - 2; i >= 0; i--) s = s " > " chain[i]; print s } }'
done | sort | uniq -c | sort -rn
