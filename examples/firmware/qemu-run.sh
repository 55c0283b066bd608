#!/usr/bin/env bash
# Cargo runner for the firmware (.cargo/config.toml): runs the ELF on a QEMU board with
# semihosting and decodes the defmt frames it writes to stdout with defmt-print, against the
# ELF's own defmt table. The exit status is QEMU's, i.e. the firmware's verdict.
#
#   qemu-run.sh <qemu machine> <elf>      # e.g. qemu-run.sh mps2-an386 target/…/release/demo
set -euo pipefail
machine=$1
elf=$2
if ! command -v defmt-print >/dev/null 2>&1; then
    echo "qemu-run: defmt-print decodes the firmware's log; install it with" >&2
    echo "  cargo install defmt-print --version 1.2.0 --locked" >&2
    exit 127
fi
qemu-system-arm -M "$machine" -nographic -semihosting-config enable=on,target=native \
    -kernel "$elf" | defmt-print -e "$elf"
