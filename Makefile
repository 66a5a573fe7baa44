# ckpt: in-kernel checkpoint/restart for Linux 6.12 containers.
#
# Everything starts here; each target installs what it is missing (Debian
# packages included) and rebuilds only what changed.  Build trees and
# VM logs live in $(CACHE), outside the work tree.
#
#   make check                  build all, boot the debug VM, run every test
#   make demo                   the main job: checkpoint a running container
#   make shell                  a root shell in the VM, with ckpt on PATH
#   make bench                  benchmark against CRIU (release kernel)
#   make vm RUN=script [FILES=dir]   run a script in the VM (FILES at /host)
#   make kernel | tools | selftests   build one part
#   make checkpatch             scripts/checkpatch.pl on our kernel files
#
# KERNEL=debug (default: KASAN, lockdep, kmemleak) or KERNEL=release.

CACHE	?= /var/cache/ckpt
KERNEL	?= debug
# One output tree per clone: the tools' dependency files name their sources
# by absolute path, and a clone elsewhere must not trip over them.
OUT	:= $(CACHE)/out/$(firstword $(shell printf %s '$(CURDIR)' | cksum))
VM	:= tools/ckpt/vm
BZIMAGE	:= $(CACHE)/build-$(KERNEL)/arch/x86/boot/bzImage
KSFT	:= $(CACHE)/src/tools/testing/selftests
export CKPT_CACHE := $(CACHE)

.PHONY: all deps kernel tools selftests check shell vm demo bench bench-run checkpatch clean

all: kernel tools selftests

deps:
	@$(VM)/deps.sh

kernel: deps
	@$(VM)/kernel.sh $(KERNEL) >/dev/null

tools: deps
	@$(MAKE) -s -C tools/ckpt O=$(OUT)/ckpt all

selftests: kernel
	@$(MAKE) -s -C tools/testing/selftests/checkpoint \
		OUT=$(OUT)/selftests KSFT_DIR=$(KSFT) all
	@$(MAKE) -s -C tools/testing/selftests/checkpoint \
		OUT=$(OUT)/selftests list > $(OUT)/selftests/list
	@mkdir -p $(OUT)/selftests/vmtests
	@cp tools/ckpt/tests/golden/vm-golden.sh tools/ckpt/tests/golden/golden \
		tools/ckpt/tests/golden/v1.img tools/ckpt/tests/golden/v2.img \
		tools/ckpt/tests/golden/v3.img \
		$(OUT)/selftests/vmtests/
	@$(MAKE) -s -C tools/ckpt O=$(OUT)/ckpt vm-progs
	@cp $(OUT)/ckpt/tests/counter $(OUT)/ckpt/tests/testhelper $(OUT)/selftests/vmtests/
	@cp tools/ckpt/tests/migrate/vm-migrate.sh $(OUT)/selftests/vmtests/
	@cp tools/ckpt/tests/errors/vm-errors.sh $(OUT)/selftests/vmtests/
	@cp tools/testing/selftests/checkpoint/vm-tree.sh $(OUT)/selftests/vmtests/

check: kernel tools selftests
	@$(VM)/check.sh $(BZIMAGE) $(OUT)/ckpt $(OUT)/selftests

shell: kernel tools
	@$(VM)/run.sh --kernel $(BZIMAGE) --mode shell --ckpt $(OUT)/ckpt/ckpt \
		$(if $(FILES),--files $(FILES))

vm: kernel tools
	@test -n "$(RUN)" || { echo "usage: make vm RUN=path/to/script [FILES=host/dir]"; exit 2; }
	@$(VM)/run.sh --kernel $(BZIMAGE) --mode script --run $(RUN) \
		--ckpt $(OUT)/ckpt/ckpt $(if $(FILES),--files $(FILES))

demo: kernel tools
	@mkdir -p $(OUT)/demo
	@$(CC) -std=c11 -O2 -Wall -Wextra -Werror -static \
		-o $(OUT)/demo/counter tools/ckpt/demo/counter.c
	@$(VM)/run.sh --kernel $(BZIMAGE) --mode script --run tools/ckpt/demo/demo.sh \
		--ckpt $(OUT)/ckpt/ckpt --files $(OUT)/demo --timeout 900

# The benchmark always runs on the release kernel; results go to $(CACHE)/bench.
bench:
	@$(MAKE) --no-print-directory KERNEL=release bench-run

bench-run: kernel tools
	@tools/ckpt/bench/run.sh $(BZIMAGE) $(OUT)/ckpt/ckpt

checkpatch: kernel
	@$(CACHE)/src/scripts/checkpatch.pl --no-tree --terse -f \
		$$(git ls-files 'kernel/checkpoint/*.[ch]' 'arch/x86/checkpoint/*.[ch]' \
			include/linux/checkpoint.h include/uapi/linux/checkpoint.h)

clean:
	rm -rf $(OUT)
