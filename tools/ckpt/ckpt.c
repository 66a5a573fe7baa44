// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt: checkpoint and restart process trees with checkpoint(2) and
 * restart(2), and inspect the images they write.
 *
 * This file finds the subcommand and prints the general help; each
 * subcommand lives in its own cmd_*.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "lib/ckpt.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	void (*usage)(FILE *out);
	const char *summary;
};

static const struct command commands[] = {
	{ "info", cmd_info, cmd_info_usage,
	  "print an image's header and records, and check it" },
};

#define NR_COMMANDS	(sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	fputs("Usage: ckpt COMMAND [ARGS...]\n"
	      "       ckpt help [COMMAND]\n"
	      "       ckpt COMMAND --help\n"
	      "\n"
	      "Checkpoint and restart process trees with the kernel's\n"
	      "checkpoint(2) and restart(2), and inspect their images.\n"
	      "\n"
	      "Commands:\n", out);
	for (size_t i = 0; i < NR_COMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name,
			commands[i].summary);
	/* Scripts rely on these numbers: they never change meaning. */
	fprintf(out,
		"\n"
		"Exit status:\n"
		"  %d  success\n"
		"  %d  error: cannot open or read a file, out of memory\n"
		"  %d  usage error\n"
		"  %d  not a ckpt image: empty, bad magic, no header record first\n"
		"  %d  truncated image: it ends before its tail record\n"
		"  %d  corrupt image: bad checksum, counts, record length or padding\n"
		"  %d  wrong architecture: the image cannot be restarted on this machine\n"
		"  %d  unsupported image format version\n",
		CKPT_OK, CKPT_ERR_GENERIC, CKPT_ERR_USAGE, CKPT_ERR_NOT_IMAGE,
		CKPT_ERR_TRUNCATED, CKPT_ERR_CORRUPT, CKPT_ERR_ARCH,
		CKPT_ERR_VERSION);
}

void ckpt_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);		/* keep the order a terminal shows */
	fputs("ckpt: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int is_help_option(const char *arg)
{
	return !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/* ckpt help [COMMAND] */
static int help(int argc, char **argv)
{
	const struct command *cmd;

	if (argc == 1) {
		usage(stdout);
		return CKPT_OK;
	}
	cmd = argc == 2 ? find_command(argv[1]) : NULL;
	if (!cmd) {
		if (argc == 2)
			ckpt_error("unknown command '%s'", argv[1]);
		else
			ckpt_error("help takes at most one command");
		usage(stderr);
		return CKPT_ERR_USAGE;
	}
	cmd->usage(stdout);
	return CKPT_OK;
}

int main(int argc, char **argv)
{
	const struct command *cmd;

	if (argc < 2) {
		ckpt_error("no command given");
		usage(stderr);
		return CKPT_ERR_USAGE;
	}
	if (is_help_option(argv[1]) || !strcmp(argv[1], "help"))
		return help(argc - 1, argv + 1);

	cmd = find_command(argv[1]);
	if (!cmd) {
		ckpt_error("unknown command '%s'", argv[1]);
		usage(stderr);
		return CKPT_ERR_USAGE;
	}
	return cmd->run(argc - 1, argv + 1);
}
