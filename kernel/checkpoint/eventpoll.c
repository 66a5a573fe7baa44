// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: epoll files and what they watch.
 *
 * An epoll file is saved as a file record of its own type (it has no
 * path), and its items in one record after the files of the fds of the
 * first task that has it open: each item is a file at an fd of that task
 * (epoll keys its items by both).  Restart makes an empty epoll file when
 * it reads the file record, and that first task adds the items again with
 * epoll_ctl(2)'s own code, in its own context, once its fds are back, so
 * that every check of epoll_ctl(2) applies.  What is ready is found again
 * by that: an edge-triggered item whose file is ready reports that once
 * more after restart.
 */
#include <linux/checkpoint.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/eventpoll.h>	/* after fs.h and uaccess.h, which it needs */

/* The events epoll_ctl(2) takes, its own flags included */
#define CKPT_EPOLL_EVENTS	(EPOLLIN | EPOLLPRI | EPOLLOUT | EPOLLERR | \
				 EPOLLHUP | EPOLLNVAL | EPOLLRDNORM | \
				 EPOLLRDBAND | EPOLLWRNORM | EPOLLWRBAND | \
				 EPOLLMSG | EPOLLRDHUP | EPOLLEXCLUSIVE | \
				 EPOLLWAKEUP | EPOLLONESHOT | EPOLLET)

/* restart: an epoll file, and its items once they are read */
struct ckpt_rst_epoll {
	struct list_head list;		/* ctx->epolls */
	u32 objref;
	bool listed;			/* its items record was read */
	bool done;			/* its items were added again */
	struct file *file;		/* restoring: the new epoll file */
	u32 nr_items;
	struct ckpt_epoll_item *items;	/* restoring only */
	struct file **targets;		/* restoring: the items' files */
};

bool ckpt_is_epoll(struct file *file)
{
	return file_is_eventpoll(file);
}

/* Checkpoint: the items of one epoll file, as its walk collects them. */
struct ckpt_epoll_walk {
	struct eventpoll_item_walk walk;
	struct ckpt_ctx *ctx;
	const struct ckpt_fds *fds;
	pid_t pid;
	u32 objref;
	struct ckpt_epoll_item *items;
	unsigned int nr, max;
	int bad_fd;			/* the item refused, for the log */
	const char *why;
};

/*
 * Called under the epoll file's mutex: nothing is written here, not even
 * to the logfd (a pipe's mutex must not nest inside it, and a full logfd
 * would hold it): a refusal is noted for ckpt_write_epoll() to log.
 */
static int ckpt_epoll_item(struct eventpoll_item_walk *walk,
			   struct file *target, int fd, __poll_t events,
			   __u64 data)
{
	struct ckpt_epoll_walk *w = container_of(walk, struct ckpt_epoll_walk,
						 walk);
	struct ckpt_epoll_item *item;

	if (ckpt_fds_lookup(w->fds, fd) != target)
		w->why = "which is not open as the file it watches";
	else if (file_is_eventpoll(target))
		w->why = "which watches another epoll file: not supported";
	if (w->why) {
		w->bad_fd = fd;
		return -EOPNOTSUPP;
	}
	if (w->nr == w->max)	/* more items than fds: cannot be */
		return -EBUSY;
	item = &w->items[w->nr++];
	item->fd = fd;
	item->file_objref = ckpt_obj_find(w->ctx, target, CKPT_OBJ_FILE);
	item->events = (__force u32)events;
	item->data = data;
	return item->file_objref ? 0 : -EBUSY;
}

static int ckpt_write_epoll(struct ckpt_ctx *ctx, struct task_struct *t,
			    const struct ckpt_fds *fds, struct file *file,
			    u32 objref)
{
	struct ckpt_epoll_walk w = {
		.walk.fn = ckpt_epoll_item,
		.ctx = ctx,
		.fds = fds,
		.pid = task_pid_vnr(t),
		.objref = objref,
		.max = ckpt_fds_count(fds),
	};
	struct ckpt_hdr_epoll *rec;
	size_t len;
	int ret;

	len = sizeof(*rec) + w.max * sizeof(*w.items);
	rec = kvzalloc(len, GFP_KERNEL);
	if (!rec)
		return -ENOMEM;
	w.items = (struct ckpt_epoll_item *)(rec + 1);
	ret = eventpoll_walk_items(file, &w.walk);
	if (w.why)
		ckpt_log(ctx, "task %d: epoll file %u watches fd %d, %s",
			 w.pid, objref, w.bad_fd, w.why);
	if (ret == -EBUSY)
		ckpt_log(ctx, "task %d: epoll file %u changed while it was read (not frozen?)",
			 w.pid, objref);
	if (!ret) {
		rec->file_objref = objref;
		rec->nr_items = w.nr;
		ret = ckpt_write_record(ctx, CKPT_HDR_EPOLL, rec,
					sizeof(*rec) + w.nr * sizeof(*w.items));
	}
	kvfree(rec);
	return ret;
}

/*
 * ckpt_write_epolls - the items of each epoll file that @t's fds use and
 * that no task before had (objref above @first_new), once each, after the
 * files of all its fds.
 */
int ckpt_write_epolls(struct ckpt_ctx *ctx, struct task_struct *t,
		      const struct ckpt_fds *fds, u32 first_new)
{
	unsigned int i, j, nr = ckpt_fds_count(fds);
	struct file *file;
	u32 objref;
	int ret;

	for (i = 0; i < nr; i++) {
		file = ckpt_fds_file(fds, i);
		if (!file_is_eventpoll(file))
			continue;
		objref = ckpt_obj_find(ctx, file, CKPT_OBJ_FILE);
		if (objref <= first_new)
			continue;
		for (j = 0; j < i; j++)
			if (ckpt_fds_file(fds, j) == file)
				break;
		if (j < i)
			continue;
		ret = ckpt_write_epoll(ctx, t, fds, file, objref);
		if (ret)
			return ret;
	}
	return 0;
}

static struct ckpt_rst_epoll *ckpt_find_epoll(struct ckpt_ctx *ctx,
					      u32 objref)
{
	struct ckpt_rst_epoll *ep;

	list_for_each_entry(ep, &ctx->epolls, list)
		if (ep->objref == objref)
			return ep;
	return NULL;
}

/*
 * ckpt_epoll_create - restart: the file record of an epoll file: a new,
 * empty one, whose items come in their own record.
 */
int ckpt_epoll_create(struct ckpt_ctx *ctx, const struct ckpt_hdr_file *rec)
{
	struct ckpt_rst_epoll *ep;
	struct file *file;
	int ret;

	if ((rec->f_flags & O_ACCMODE) != O_RDWR ||
	    (rec->f_flags & ~(O_ACCMODE | O_NONBLOCK | O_CLOEXEC |
			      O_LARGEFILE)) || rec->pos || rec->size ||
	    rec->rdev) {
		ckpt_log(ctx, "file %u: bad flags or fields for an epoll file",
			 rec->objref);
		return -EBADMSG;
	}
	ep = kzalloc(sizeof(*ep), GFP_KERNEL);
	if (!ep)
		return -ENOMEM;
	ep->objref = rec->objref;
	list_add_tail(&ep->list, &ctx->epolls);
	ctx->epolls_unlisted++;
	if (!ctx->restoring)
		return 0;

	file = eventpoll_file_create();
	if (IS_ERR(file)) {
		ckpt_log(ctx, "file %u: cannot make an epoll file (error %ld)",
			 rec->objref, PTR_ERR(file));
		return PTR_ERR(file);
	}
	spin_lock(&file->f_lock);
	file->f_flags |= rec->f_flags & O_NONBLOCK;
	spin_unlock(&file->f_lock);
	ret = ckpt_obj_store(ctx, rec->objref, file);
	if (ret) {
		fput(file);
		return ret;
	}
	ep->file = file;	/* the context's reference */
	return 0;
}

/* Restart: how many items are read at a time */
#define CKPT_EPOLL_CHUNK	256

static int ckpt_read_epoll_items(struct ckpt_ctx *ctx,
				 struct ckpt_rst_epoll *ep)
{
	struct ckpt_epoll_item *chunk;
	unsigned int i, n, done;
	int ret = 0;

	chunk = kmalloc_array(CKPT_EPOLL_CHUNK, sizeof(*chunk), GFP_KERNEL);
	if (!chunk)
		return -ENOMEM;
	for (done = 0; done < ep->nr_items && !ret; done += n) {
		n = min_t(unsigned int, ep->nr_items - done, CKPT_EPOLL_CHUNK);
		ret = ckpt_read_more(ctx, chunk, n * sizeof(*chunk));
		for (i = 0; i < n && !ret; i++) {
			const struct ckpt_epoll_item *item = &chunk[i];

			if (item->fd >= CKPT_FDS_MAX || item->reserved ||
			    (item->events & ~CKPT_EPOLL_EVENTS) ||
			    !ckpt_obj_known(ctx, item->file_objref,
					    CKPT_OBJ_FILE) ||
			    ckpt_find_epoll(ctx, item->file_objref)) {
				ckpt_log(ctx, "epoll file %u: item of fd %u: bad fd, events or file (an epoll file?)",
					 ep->objref, item->fd);
				ret = -EBADMSG;
				break;
			}
			if (!ctx->restoring)
				continue;
			ep->items[done + i] = *item;
			ep->targets[done + i] = ckpt_obj_fetch(ctx,
							       item->file_objref,
							       CKPT_OBJ_FILE);
			if (!ep->targets[done + i])
				ret = -EBADMSG;
		}
	}
	kfree(chunk);
	return ret;
}

int ckpt_read_epoll(struct ckpt_ctx *ctx, const struct ckpt_hdr *h)
{
	struct ckpt_rst_epoll *ep;
	struct ckpt_hdr_epoll rec;
	int ret;

	ret = ckpt_read_begin(ctx, h, &rec, sizeof(rec), sizeof(rec) +
			      CKPT_FDS_MAX * sizeof(struct ckpt_epoll_item));
	if (ret)
		return ret;
	ep = ckpt_find_epoll(ctx, rec.file_objref);
	if (!ep || ep->listed || rec.nr_items > CKPT_FDS_MAX ||
	    h->len < sizeof(rec) +
		     (u64)rec.nr_items * sizeof(struct ckpt_epoll_item)) {
		ckpt_log(ctx, "epoll items of file %u: not an epoll file, twice, or a bad count %u",
			 rec.file_objref, rec.nr_items);
		return -EBADMSG;
	}
	ep->listed = true;
	ctx->epolls_unlisted--;
	ep->nr_items = rec.nr_items;
	if (ctx->restoring && rec.nr_items) {
		ep->items = kvcalloc(rec.nr_items, sizeof(*ep->items),
				     GFP_KERNEL);
		ep->targets = kvcalloc(rec.nr_items, sizeof(*ep->targets),
				       GFP_KERNEL);
		if (!ep->items || !ep->targets)
			return -ENOMEM;
	}
	ret = ckpt_read_epoll_items(ctx, ep);
	if (!ret)
		ret = ckpt_read_end(ctx, h);
	return ret;
}

/* The fd at which @rst has @file, or -1 */
static int ckpt_rst_fd_of(const struct ckpt_rst_task *rst, struct file *file)
{
	unsigned int i;

	for (i = 0; i < rst->nr_fds; i++)
		if (rst->fds[i].file == file)
			return rst->fds[i].fd;
	return -1;
}

static struct file *ckpt_rst_file_at(const struct ckpt_rst_task *rst,
				     unsigned int fd)
{
	unsigned int i;

	for (i = 0; i < rst->nr_fds; i++)
		if (rst->fds[i].fd == fd)
			return rst->fds[i].file;
	return NULL;
}

/*
 * ckpt_restore_epolls - in the restored task, once its fds are back: add
 * the items of each epoll file that it is the first to have open, with
 * epoll_ctl(2)'s own code.
 */
int ckpt_restore_epolls(struct ckpt_ctx *ctx, struct ckpt_rst_task *rst)
{
	struct ckpt_rst_epoll *ep;
	struct epoll_event ev;
	unsigned int i;
	int epfd, ret;

	list_for_each_entry(ep, &ctx->epolls, list) {
		if (ep->done)
			continue;
		epfd = ckpt_rst_fd_of(rst, ep->file);
		if (epfd < 0)
			continue;
		ep->done = true;
		for (i = 0; i < ep->nr_items; i++) {
			const struct ckpt_epoll_item *item = &ep->items[i];

			if (ckpt_rst_file_at(rst, item->fd) != ep->targets[i]) {
				ckpt_log(ctx, "epoll file %u: fd %u is not open as the file it watched",
					 ep->objref, item->fd);
				return -EBADMSG;
			}
			ev.events = item->events;
			ev.data = item->data;
			ret = do_epoll_ctl(epfd, EPOLL_CTL_ADD, item->fd, &ev,
					   false);
			if (ret) {
				ckpt_log(ctx, "epoll file %u: cannot watch fd %u again (error %d)",
					 ep->objref, item->fd, ret);
				return ret;
			}
		}
	}
	return 0;
}

void ckpt_epoll_release(struct ckpt_ctx *ctx)
{
	struct ckpt_rst_epoll *ep, *tmp;

	/* The epoll files and the items' files are the context's objects. */
	list_for_each_entry_safe(ep, tmp, &ctx->epolls, list) {
		list_del(&ep->list);
		kvfree(ep->items);
		kvfree(ep->targets);
		kfree(ep);
	}
}
