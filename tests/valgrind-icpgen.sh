#!/bin/sh
# icpgen under valgrind, for make valgrind: the shell suites call this
# in place of the binary.  VG_ICPGEN names the binary.
exec valgrind -q --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite \
    --suppressions="$(dirname "$0")/valgrind.supp" "$VG_ICPGEN" "$@"
