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

/* "ckpt: " and the message on stderr, after what stdout has so far. */
__attribute__((format(printf, 1, 2)))
void ckpt_error(const char *fmt, ...);

/* Whether @arg asks for help: -h or --help. */
int is_help_option(const char *arg);

#endif /* CKPT_CMD_H */
