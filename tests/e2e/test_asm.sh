#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_asm.sh BUILD: the kernels are what their names say, read from the
# machine code itself. Each kernel's disassembly must contain its entry
# instruction exactly UNROLL (8) times, and no other entry instruction; and
# every asm file's header documents instruction, kernel entry, clobbers and
# where it works. Prints TAP.
set -u
. "$(dirname "$0")/tap.sh"
build=$1

if ! command -v objdump >/dev/null; then
	echo "ok 1 # SKIP objdump not found (binutils)"; echo "1..1"; exit 0
fi

# count INSTRUCTION-REGEX in function SYMBOL of object OBJ
count() {
	objdump -d --no-show-raw-insn "$1" | awk -v sym="<$2>:" -v re="$3" '
		/^[0-9a-f]+ <.*>:$/ { on = ($2 == sym); next }
		on && $0 ~ re { c++ }
		END { print c + 0 }'
}
check() { # check OBJ SYMBOL WHAT REGEX EXPECTED
	local got
	[ -f "$1" ] || { ok 1 "$2: $1 not built"; return; }
	got=$(count "$1" "$2" "$4")
	[ "$got" -eq "$5" ]
	ok $? "$2: $3 x$5 in its machine code (found $got)"
}
entries='\t(syscall|sysenter|int +\$0x80)'

o64=$build/64/asm o32=$build/32/asm
for k in getppid enosys clock_gettime; do
	check "$o64/syscall_64.o" "k_syscall_64_$k" syscall '\tsyscall' 8
	check "$o64/syscall_64.o" "k_syscall_64_$k" "no other entry" '\t(sysenter|int +\$0x80)' 0
done
for k in getppid enosys; do
	check "$o64/int80_64.o" "k_int80_64_$k" 'int $0x80' '\tint +\$0x80' 8
	check "$o64/int80_64.o" "k_int80_64_$k" "no other entry" '\t(syscall|sysenter)' 0
done
check "$o64/vdso_64.o" k_vdso_64 "indirect call" '\tcall +\*' 8
check "$o64/vdso_64.o" k_vdso_64 "no entry instruction" "$entries" 0
for k in gettimeofday time getcpu; do
	check "$o64/vsyscall_64.o" "k_vsyscall_64_$k" "call" '\tcall +\*' 8
done
check "$o64/vsyscall_64.o" k_vsyscall_64_time "the +0x400 slot" 'mov +\$0xffffffffff600400' 1
check "$o64/empty_64.o" k_empty_64 "no call or entry" "$entries|\tcall" 0

if [ -d "$o32" ]; then
	check "$o32/sysenter_32.o" k_sysenter_32_getppid sysenter '\tsysenter' 8
	check "$o32/sysenter_32.o" k_sysenter_32_getppid "no other entry" '\t(syscall|int +\$0x80)' 0
	check "$o32/sysenter_32.o" k_sysenter_32_getppid "mov %esp,%ebp (the frame)" 'mov +%esp,%ebp' 8
	check "$o32/syscall_32.o" k_syscall_32_getppid syscall '\tsyscall' 8
	check "$o32/syscall_32.o" k_syscall_32_getppid "mov %ecx,%ebp (argument 2)" 'mov +%ecx,%ebp' 8
	check "$o32/syscall_32.o" k_syscall_32_getppid "no other entry" '\t(sysenter|int +\$0x80)' 0
	for k in getppid enosys clock_gettime; do
		check "$o32/int80_32.o" "k_int80_32_$k" 'int $0x80' '\tint +\$0x80' 8
	done
	check "$o32/kernel_vsyscall_32.o" k_kernel_vsyscall_32_getppid "call *AT_SYSINFO" '\tcall +\*' 8
	check "$o32/kernel_vsyscall_32.o" k_kernel_vsyscall_32_getppid "no entry instruction of its own" "$entries" 0
	check "$o32/vdso_32.o" k_vdso_32 "indirect call" '\tcall +\*' 8
	check "$o32/empty_32.o" k_empty_32 "no call or entry" "$entries|\tcall" 0
else
	n=$((n + 1)); echo "ok $n # SKIP no i386 objects: \$(CC) -m32 unavailable"
fi

for f in "$here"/asm/*_64.S "$here"/asm/*_32.S; do
	missing=""
	for w in "Instruction:" "Kernel entry:" "Clobbers:" "Works:"; do
		grep -q "$w" "$f" || missing="$missing $w"
	done
	[ -z "$missing" ]
	ok $? "$(basename "$f") documents instruction, kernel entry, clobbers, where it works${missing:+ (missing:$missing)}"
done
tap_done
