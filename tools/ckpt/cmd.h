/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the ckpt command's files share: the subcommands and error reporting.
 */
#ifndef CKPT_CMD_H
#define CKPT_CMD_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/ckpt.h"

/* A subcommand gets its own name in argv[0] and returns the exit status. */
int cmd_info(int argc, char **argv);
void cmd_info_usage(FILE *out);
int cmd_run(int argc, char **argv);
void cmd_run_usage(FILE *out);
int cmd_checkpoint(int argc, char **argv);
void cmd_checkpoint_usage(FILE *out);
int cmd_restart(int argc, char **argv);
void cmd_restart_usage(FILE *out);
int cmd_convert(int argc, char **argv);
void cmd_convert_usage(FILE *out);
int cmd_migrate(int argc, char **argv);
void cmd_migrate_usage(FILE *out);

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

/* Where an image goes (output.c). */
struct output {
	const char *path;	/* NULL: stdout */
	char *tmp;		/* written, then renamed to @path; or NULL */
	int fd;
};

/*
 * Open the output of @cmd: stdout for NULL or "-" (refused, with a usage
 * error, if it is a terminal), else @path.  A regular file is written under
 * a temporary name beside it, so that a failed command leaves no partial
 * image and an older image of that name survives it; anything else (a
 * device, a FIFO) is written in place.  Returns the exit status, after a
 * message if not CKPT_OK.
 */
int open_output(const char *cmd, struct output *out, const char *path);

/* Whether the image goes to stdout, by name or as -o /dev/stdout. */
bool image_on_stdout(const struct output *out);

/*
 * Give the complete image its name (@ok), or drop it; the exit status,
 * after a message if not CKPT_OK.
 */
int close_output(struct output *out, bool ok);

/*
 * --progress: how far the image is, on stderr, about once a second from the
 * pump's thread, and once at the end.  Pass progress_report() and a struct
 * progress to ckpt_pump_start(), and call progress_end() once the outcome
 * is known.
 */
struct progress {
	const char *what;		/* "checkpoint" or "restart" */
	bool ratio;			/* the lz4 stream's share of the image
					 * (not after a restart(2), which stops
					 * reading at the tail) */
	uint64_t last_bytes, last_ns;	/* at the last report */
	struct ckpt_pump_stats final;	/* the pump's last report */
	bool have_final;
};

void progress_report(const struct ckpt_pump_stats *st, void *arg);

/* The last line: "WHAT: done: ..." if @ok, else "WHAT: failed: ...". */
void progress_end(struct progress *pr, bool ok);

/*
 * SIGINT, SIGTERM and SIGHUP while a container is frozen (stop.c): they set
 * @stop_signal, which ends what is under way, rather than kill ckpt; the
 * command thaws the container, restores the signals' actions and raises
 * the signal again.
 */
#define NR_STOP_SIGNALS	3
extern volatile sig_atomic_t stop_signal;
void catch_stop_signals(struct sigaction old[NR_STOP_SIGNALS]);
void restore_stop_signals(const struct sigaction old[NR_STOP_SIGNALS]);

#endif /* CKPT_CMD_H */
