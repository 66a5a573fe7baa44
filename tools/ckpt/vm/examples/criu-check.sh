# Runs Debian's criu in the test VM: `criu check` must say "Looks good".
#   make vm RUN=tools/ckpt/vm/examples/criu-check.sh FILES=$(tools/ckpt/vm/criu-files.sh)
# The guest's root holds only static binaries, so put criu's libraries
# where its dynamic loader looks.
mkdir -p /lib64 /lib/x86_64-linux-gnu
cp /host/lib/ld-linux-x86-64.so.2 /lib64/
cp /host/lib/* /lib/x86_64-linux-gnu/
/host/criu check
