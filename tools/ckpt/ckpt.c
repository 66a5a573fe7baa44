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
	{ "run", cmd_run, cmd_run_usage,
	  "start a program as the init of a new container" },
	{ "checkpoint", cmd_checkpoint, cmd_checkpoint_usage,
	  "freeze a container, save it to an image, thaw or kill it" },
	{ "restart", cmd_restart, cmd_restart_usage,
	  "have the kernel check an image (--dry-run), or restart it" },
	{ "info", cmd_info, cmd_info_usage,
	  "print what an image holds (tasks, memory, files), and check it" },
	{ "convert", cmd_convert, cmd_convert_usage,
	  "rewrite an image of an older format version as a current one" },
	{ "migrate", cmd_migrate, cmd_migrate_usage,
	  "move a running container to 'ckpt restart --listen' on another host" },
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
		" %2d  success\n"
		" %2d  error: cannot open, read or write a file, out of memory, or as the message says\n"
		" %2d  usage error\n"
		" %2d  not a ckpt image: empty, bad magic, no header record first\n"
		" %2d  truncated image: it ends before its tail record\n"
		" %2d  corrupt image: bad checksum, counts, record length or padding\n"
		" %2d  wrong architecture: the image cannot be restarted on this machine\n"
		" %2d  unsupported image format version (an older one: see 'ckpt convert')\n"
		" %2d  no such container: no such process, or no container of that name\n"
		" %2d  not frozen: the container could not be frozen, or a task in it was not\n"
		" %2d  permission denied: the message says which capability or access is missing\n"
		" %2d  the kernel refused for another reason, which the message gives\n"
		" %2d  network: cannot resolve, connect or listen, the connection was lost,\n"
		"     or the other side did not answer as 'ckpt restart --listen' does\n",
		CKPT_OK, CKPT_ERR_GENERIC, CKPT_ERR_USAGE, CKPT_ERR_NOT_IMAGE,
		CKPT_ERR_TRUNCATED, CKPT_ERR_CORRUPT, CKPT_ERR_ARCH,
		CKPT_ERR_VERSION, CKPT_ERR_NO_CONTAINER, CKPT_ERR_NOT_FROZEN,
		CKPT_ERR_PERM, CKPT_ERR_KERNEL, CKPT_ERR_NETWORK);
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

int option_value(const char *cmd, int argc, char **argv, int *i,
		 const char *opt, const char **value)
{
	const char *arg = argv[*i];
	size_t len = strlen(opt);

	if (strncmp(arg, opt, len))
		return 0;
	if (arg[len] == '\0') {
		if (*i + 1 >= argc) {
			ckpt_error("%s: %s needs a value", cmd, opt);
			return -1;
		}
		*value = argv[++*i];
		return 1;
	}
	/* -oFILE, --name=NAME; but --named is no --name */
	if (opt[1] != '-' || arg[len] == '=') {
		*value = arg + len + (opt[1] == '-');
		return 1;
	}
	return 0;
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
