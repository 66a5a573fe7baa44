/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the ckpt command's files share: the subcommands and error reporting.
 */
#ifndef CKPT_CMD_H
#define CKPT_CMD_H

#include <stdio.h>

/* A subcommand gets its own name in argv[0] and returns the exit status. */
int cmd_info(int argc, char **argv);
void cmd_info_usage(FILE *out);
int cmd_run(int argc, char **argv);
void cmd_run_usage(FILE *out);
int cmd_checkpoint(int argc, char **argv);
void cmd_checkpoint_usage(FILE *out);
int cmd_restart(int argc, char **argv);
void cmd_restart_usage(FILE *out);

/* "ckpt: " and the message on stderr, after what stdout has so far. */
__attribute__((format(printf, 1, 2)))
void ckpt_error(const char *fmt, ...);

/* Whether @arg asks for help: -h or --help. */
int is_help_option(const char *arg);

/*
 * Whether argv[*i] is the option @opt, which takes a value: "-o VALUE" and
 * "-oVALUE" for a one-letter option, "--name VALUE" and "--name=VALUE" for a
 * long one.  Returns 1 with *@value set and *@i on the value's argument; 0
 * if it is another argument; -1 after a "@cmd: ..." error if the value is
 * missing.
 */
int option_value(const char *cmd, int argc, char **argv, int *i,
		 const char *opt, const char **value);

#endif /* CKPT_CMD_H */
