// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * list.c - `dmaheapctl list`: the heaps in /dev/dma_heap and what is known
 * of each: its kind, the CMA area behind it, and the buffers allocated from it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>

#include "dmabuf.h"
#include "dmaheapctl.h"
#include "err.h"
#include "output.h"
#include "parse.h"
#include "procfs.h"

enum {
	COL_NAME,
	COL_DEVICE,
	COL_TYPE,
	COL_SIZE,
	COL_USED,
	COL_FREE,
	COL_BUFFERS,
	COL_ALLOCATED,
};

static const struct du_colinfo list_columns[] = {
	[COL_NAME] = { "NAME", 0, 0, SCOLS_JSON_STRING, "heap name" },
	[COL_DEVICE] = { "DEVICE", 0, 0, SCOLS_JSON_STRING, "device node" },
	[COL_TYPE] = { "TYPE", 0, 0, SCOLS_JSON_STRING, "system, cma, or - when unknown" },
	[COL_SIZE] = { "SIZE", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "size of the CMA area" },
	[COL_USED] = { "USED", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		       "CMA area in use (by any user of the area)" },
	[COL_FREE] = { "FREE", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "CMA area free" },
	[COL_BUFFERS] = { "BUFFERS", 3, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			  "live dma-bufs exported by the heap" },
	[COL_ALLOCATED] = { "ALLOCATED", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "bytes of those dma-bufs" },
};

static const int list_default_columns[] = { COL_NAME, COL_TYPE,	   COL_SIZE,	 COL_USED,
					    COL_FREE, COL_BUFFERS, COL_ALLOCATED };

struct list_args {
	struct du_output out;
	bool bytes;
};

struct cma_info {
	bool known;
	uint64_t size, used;
};

struct heap_info {
	const char *name;
	char *device;
	const char *type;
	struct cma_info cma;
	uint64_t buffers, allocated;
};

static int meminfo_kb(const char *key, uint64_t *kb)
{
	_cleanup_free_ char *text = NULL;
	struct du_kvlist kv = { 0 };
	const char *v;
	char num[32];
	int r;

	r = du_path_read_str(&text, "/proc/meminfo");
	if (r)
		return r;
	du_kvlist_parse(&kv, text);
	v = du_kvlist_get(&kv, key);
	/* "65536 kB" */
	r = v && sscanf(v, "%31[0-9]", num) == 1 ? du_parse_u64(num, kb) : -ENOENT;
	du_kvlist_free(&kv);
	return r;
}

/* CONFIG_CMA_SYSFS: the area is listed even when its sizes are not. */
static bool cma_sysfs(const char *name)
{
	_cleanup_free_ char *p = du_path("/sys/kernel/mm/cma/%s", name);

	return access(p, F_OK) == 0;
}

/* CONFIG_CMA_DEBUGFS: per-area page counts. */
static bool cma_debugfs(const char *name, struct cma_info *ci)
{
	uint64_t count, used;
	long page = sysconf(_SC_PAGESIZE);

	if (du_path_read_u64(&count, "/sys/kernel/debug/cma/%s/count", name) ||
	    du_path_read_u64(&used, "/sys/kernel/debug/cma/%s/used", name))
		return false;
	ci->known = true;
	ci->size = count * page;
	ci->used = used * page;
	return true;
}

static void classify(struct heap_info *heaps, int n)
{
	int others = 0, other = -1, ncma = 0, cma = -1;
	uint64_t total_kb = 0, free_kb = 0;

	for (int i = 0; i < n; i++) {
		struct heap_info *h = &heaps[i];

		if (!strncmp(h->name, "system", 6)) {
			h->type = "system";
		} else if (cma_debugfs(h->name, &h->cma) || cma_sysfs(h->name)) {
			h->type = "cma";
		} else {
			others++;
			other = i;
		}
	}
	/*
	 * Without CMA debugfs or sysfs, /proc/meminfo's CMA totals describe the
	 * heap only when one heap can be the CMA one (6.1 exports the default
	 * area only).
	 */
	if (meminfo_kb("CmaTotal", &total_kb) || !total_kb || meminfo_kb("CmaFree", &free_kb))
		return;
	if (others == 1)
		heaps[other].type = "cma";
	/* The meminfo figures add up all areas: they fit a heap only if it is the only CMA one. */
	for (int i = 0; i < n; i++) {
		if (heaps[i].type && streq(heaps[i].type, "cma")) {
			ncma++;
			cma = i;
		}
	}
	if (ncma == 1 && !heaps[cma].cma.known) {
		heaps[cma].cma.known = true;
		heaps[cma].cma.size = total_kb * 1024;
		heaps[cma].cma.used = (total_kb - free_kb) * 1024;
	}
}

static void count_buffers(struct heap_info *heaps, int n)
{
	struct du_dmabuf_set set = { 0 };

	if (du_dmabuf_scan(&set, DU_DMABUF_SCAN_DEBUGFS | DU_DMABUF_SCAN_NO_MAPS))
		return;
	for (size_t i = 0; i < set.nbufs; i++) {
		const struct du_dmabuf *b = &set.bufs[i];

		for (int j = 0; b->exporter && j < n; j++) {
			if (streq(b->exporter, heaps[j].name)) {
				heaps[j].buffers++;
				heaps[j].allocated += b->size;
			}
		}
	}
	du_dmabuf_set_free(&set);
}

static void set_size(struct list_args *a, struct libscols_line *ln, int col, bool known, uint64_t v)
{
	_cleanup_free_ char *s = NULL;

	if (!known)
		return;
	s = dh_size_str(v, a->bytes || a->out.json);
	du_output_set_str(&a->out, ln, col, s);
}

static error_t list_parse_opt(int key, char *arg, struct argp_state *state)
{
	struct list_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &a->out;
		break;
	case 'b':
		a->bytes = true;
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_option list_options[] = {
	{ "bytes", 'b', NULL, 0, "print sizes in bytes", 0 }, { 0 }
};

static const struct argp_child list_children[] = { { &du_output_argp, 0, "Output:", 0 }, { 0 } };

static const struct argp list_argp = {
	.options = list_options,
	.parser = list_parse_opt,
	.doc = "List the dma-heaps in /dev/dma_heap: their kind, the size and use of the CMA "
	       "area behind a CMA heap (from CMA debugfs or /proc/meminfo), and the live "
	       "dma-bufs exported by each heap.",
	.children = list_children,
};

static int list_run(int argc, char **argv)
{
	struct list_args a = { 0 };
	struct heap_info *heaps;
	char **names = NULL;
	int n, status = DU_EXIT_SUCCESS;

	du_output_init(&a.out, list_columns, ARRAY_SIZE(list_columns), list_default_columns,
		       ARRAY_SIZE(list_default_columns));
	argp_parse(&list_argp, argc, argv, 0, NULL, &a);

	n = dh_heap_names(&names);
	if (n < 0) {
		_cleanup_free_ char *dir = du_path(DH_HEAP_DIR);

		du_report(-n, "%s: cannot list dma-heaps", dir);
		return -n == ENOENT ? DU_EXIT_NOFEATURE : DU_EXIT_FAILURE;
	}
	heaps = xcalloc(n + 1, sizeof(*heaps));
	for (int i = 0; i < n; i++) {
		heaps[i].name = names[i];
		xasprintf(&heaps[i].device, DH_HEAP_DIR "/%s", names[i]);
	}
	classify(heaps, n);
	count_buffers(heaps, n);

	du_output_start(&a.out, "dmaheaps");
	for (int i = 0; i < n; i++) {
		struct heap_info *h = &heaps[i];
		struct libscols_line *ln = du_output_new_line(&a.out);

		du_output_set_str(&a.out, ln, COL_NAME, h->name);
		du_output_set_str(&a.out, ln, COL_DEVICE, h->device);
		du_output_set_str(&a.out, ln, COL_TYPE, h->type ? h->type : "-");
		set_size(&a, ln, COL_SIZE, h->cma.known, h->cma.size);
		set_size(&a, ln, COL_USED, h->cma.known, h->cma.used);
		set_size(&a, ln, COL_FREE, h->cma.known, h->cma.size - h->cma.used);
		du_output_set(&a.out, ln, COL_BUFFERS, "%" PRIu64, h->buffers);
		set_size(&a, ln, COL_ALLOCATED, true, h->allocated);
	}
	if (du_output_print(&a.out))
		status = DU_EXIT_FAILURE;
	du_output_free(&a.out);
	for (int i = 0; i < n; i++)
		free(heaps[i].device);
	free(heaps);
	dh_heap_names_free(names, n);
	return status;
}

const struct du_cmd cmd_list = {
	"list",
	list_run,
	"list the dma-heaps with their CMA area and allocated buffers",
};
