// SPDX-License-Identifier: GPL-2.0
/*
 * The signals that end a command while a container is frozen (checkpoint,
 * migrate): SIGINT, SIGTERM and SIGHUP set a flag instead of killing ckpt,
 * which ends what is under way (see ckpt_checkpoint_opts.stop); ckpt then
 * thaws the container and dies of the signal.  A signal that was ignored
 * stays ignored (nohup).
 */
#include <signal.h>
#include <string.h>

#include "cmd.h"

static const int stop_signals[NR_STOP_SIGNALS] = { SIGINT, SIGTERM, SIGHUP };

volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

void catch_stop_signals(struct sigaction old[NR_STOP_SIGNALS])
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;	/* no SA_RESTART: interrupt the call */
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NR_STOP_SIGNALS; i++) {
		sigaction(stop_signals[i], NULL, &old[i]);
		if (old[i].sa_handler != SIG_IGN)
			sigaction(stop_signals[i], &sa, NULL);
	}
}

void restore_stop_signals(const struct sigaction old[NR_STOP_SIGNALS])
{
	for (size_t i = 0; i < NR_STOP_SIGNALS; i++)
		sigaction(stop_signals[i], &old[i], NULL);
}
