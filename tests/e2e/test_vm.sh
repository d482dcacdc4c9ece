#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_vm.sh BUILD: the VM lane (scripts/vm/vm-run.sh test), as part of make test.
exec "$(cd "$(dirname "$0")/../.." && pwd)/scripts/vm/vm-run.sh" "$1" test
