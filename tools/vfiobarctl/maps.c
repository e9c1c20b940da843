// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * maps.c - `vfiobarctl maps`: every mapping of a VFIO BAR or vfio-pci DMABUF
 * in every process (or one), from /proc/PID/maps.
 *
 * Three kinds of mapping are recognised:
 *   export     a DMABUF vfiobarctl exported: "/dmabuf:BDF/BAR:OFF[+] ATTR"
 *   bar-mmap   a BAR mmap of the device fd, which the seed series backs by a
 *              DMABUF the kernel names "/dmabuf:vfioN:BDF/BAR"
 *   vfio-mmap  a BAR mmap of the device fd on kernels without that series:
 *              "anon_inode:[vfio-device]", the BAR in offset bits 40 and up
 * plus any other DMABUF whose exporter is vfio-pci (BDF unknown).  The memory
 * type column comes from the x86 PAT list in debugfs, by physical address.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "dmabuf.h"
#include "err.h"
#include "output.h"
#include "parse.h"
#include "procfs.h"
#include "vfiobarctl.h"

#define VFIO_OFFSET_SHIFT 40 /* vfio-pci's region index in the device fd offset */

enum {
	COL_PID,
	COL_COMM,
	COL_START,
	COL_END,
	COL_SIZE,
	COL_PERMS,
	COL_KIND,
	COL_DEVICE,
	COL_BAR,
	COL_RANGE,
	COL_ATTR,
	COL_MEMTYPE,
	COL_OFFSET,
	COL_INODE,
	COL_NAME,
	COL_EXPORTER,
};

static const struct du_colinfo columns[] = {
	[COL_PID] = { "PID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "process ID" },
	[COL_COMM] = { "COMM", 10, 0, SCOLS_JSON_STRING, "command name" },
	[COL_START] = { "START", 14, SCOLS_FL_RIGHT, SCOLS_JSON_STRING, "first address" },
	[COL_END] = { "END", 14, SCOLS_FL_RIGHT, SCOLS_JSON_STRING, "address after the last" },
	[COL_SIZE] = { "SIZE", 6, SCOLS_FL_RIGHT, SCOLS_JSON_STRING, "size of the mapping" },
	[COL_PERMS] = { "PERMS", 5, 0, SCOLS_JSON_STRING, "protection, as in /proc/PID/maps" },
	[COL_KIND] = { "KIND", 9, 0, SCOLS_JSON_STRING,
		       "export (vfiobarctl DMABUF), bar-mmap (device fd, DMABUF-backed), "
		       "vfio-mmap (device fd), dmabuf (other vfio DMABUF)" },
	[COL_DEVICE] = { "DEVICE", 12, 0, SCOLS_JSON_STRING, "PCI address" },
	[COL_BAR] = { "BAR", 3, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "BAR index" },
	[COL_RANGE] = { "RANGE", 20, 0, SCOLS_JSON_STRING,
			"BAR offsets mapped, FIRST-LAST (unknown for multi-range DMABUFs)" },
	[COL_ATTR] = { "ATTR", 4, 0, SCOLS_JSON_STRING, "attribute asked for: uc or wc" },
	[COL_MEMTYPE] = { "MEMTYPE", 14, 0, SCOLS_JSON_STRING,
			  "memory type the x86 PAT gives the range (debugfs, root)" },
	[COL_OFFSET] = { "OFFSET", 10, SCOLS_FL_RIGHT, SCOLS_JSON_STRING,
			 "offset of the mapping in the file (DMABUF or device fd)" },
	[COL_INODE] = { "INODE", 8, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "DMABUF inode" },
	[COL_NAME] = { "NAME", 20, 0, SCOLS_JSON_STRING, "DMABUF name" },
	[COL_EXPORTER] = { "EXPORTER", 10, 0, SCOLS_JSON_STRING, "DMABUF exporter" },
};

static const int default_columns[] = { COL_PID,	   COL_COMM, COL_START, COL_SIZE, COL_KIND,
				       COL_DEVICE, COL_BAR,  COL_RANGE, COL_ATTR, COL_MEMTYPE };

struct maps_args {
	struct du_output out;
	pid_t pid; /* 0: all */
};

struct pat_entry {
	uint64_t start, end; /* [start, end) */
	char type[24];
};

struct scan {
	struct maps_args *a;
	struct du_dmabuf_set set;
	struct pat_entry *pat;
	size_t npat;
	pid_t pid;
	char comm[64];
	char group_bdf[DU_BDF_LEN]; /* the device of the process's VFIO group, if one */
	size_t found;
};

/* ---- sources ---- */

/* "PAT: [mem 0x...-0x...] write-combining" lines of the debugfs list. */
static void read_pat(struct scan *s)
{
	_cleanup_free_ char *text = NULL;
	char *line, *save = NULL;

	if (du_path_read_str(&text, "/sys/kernel/debug/x86/pat_memtype_list"))
		return;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long start, end;
		struct pat_entry e;

		if (sscanf(line, "PAT: [mem 0x%llx-0x%llx] %23s", &start, &end, e.type) != 3)
			continue;
		e.start = start;
		e.end = end;
		s->pat = xrealloc(s->pat, (s->npat + 1) * sizeof(*s->pat));
		s->pat[s->npat++] = e;
	}
}

static void memtype(const struct scan *s, uint64_t start, uint64_t len, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < s->npat && used < size; i++) {
		const struct pat_entry *e = &s->pat[i];

		if (e->end <= start || e->start >= start + len || strstr(buf, e->type))
			continue;
		used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? "," : "", e->type);
	}
}

/* The one device of a VFIO group this process holds open (for vfio-mmap). */
static int find_group_fd(pid_t pid, int fd, const char *target, void *arg)
{
	struct scan *s = arg;
	int group;
	size_t n;
	char **devs;

	(void)pid;
	(void)fd;
	if (strncmp(target, "/dev/vfio/", 10))
		return 0;
	target += 10;
	if (!strncmp(target, "noiommu-", 8))
		target += 8;
	if (du_parse_nonneg_int(target, &group))
		return 0;
	devs = du_pci_group_devices(group, &n);
	if (devs && n == 1)
		snprintf(s->group_bdf, sizeof(s->group_bdf), "%s", devs[0]);
	if (devs)
		du_pci_free_list(devs, n);
	return 1;
}

/* ---- one mapping ---- */

struct mapping {
	const char *kind;
	char bdf[DU_BDF_LEN];
	int bar; /* -1 unknown */
	bool has_range;
	uint64_t bar_off; /* BAR offset of the mapping's first byte */
	char attr[4];
	const char *name;
	const char *exporter;
};

static bool classify(struct scan *s, const struct du_maps_entry *e, struct mapping *m)
{
	memset(m, 0, sizeof(*m));
	m->bar = -1;
	if (streq(e->path, "anon_inode:[vfio-device]")) {
		m->kind = "vfio-mmap";
		if (!s->group_bdf[0])
			du_proc_foreach_fd(s->pid, find_group_fd, s);
		snprintf(m->bdf, sizeof(m->bdf), "%s", s->group_bdf);
		m->bar = (int)(e->offset >> VFIO_OFFSET_SHIFT);
		m->bar_off = e->offset & ((1ULL << VFIO_OFFSET_SHIFT) - 1);
		m->has_range = m->bar < DU_PCI_NUM_BARS;
		snprintf(m->attr, sizeof(m->attr), "uc");
		return true;
	}
	if (!du_dmabuf_is_path(e->path))
		return false;
	{
		const struct du_dmabuf *b = du_dmabuf_find(&s->set, e->inode);
		const char *name = !strncmp(e->path, "/dmabuf:", 8) ? e->path + 8 : "";
		struct vb_name n;

		m->name = name[0] ? name : NULL;
		m->exporter = b ? b->exporter : NULL;
		if (!vb_name_parse(name, &n)) {
			snprintf(m->bdf, sizeof(m->bdf), "%s", n.bdf);
			m->bar = (int)n.bar;
			if (n.kernel) {
				m->kind = "bar-mmap";
				snprintf(m->attr, sizeof(m->attr), "uc");
				m->bar_off = e->offset & ((1ULL << VFIO_OFFSET_SHIFT) - 1);
				m->has_range = true;
			} else {
				m->kind = "export";
				snprintf(m->attr, sizeof(m->attr), "%s", n.attr);
				m->bar_off = n.offset + e->offset;
				m->has_range = n.has_offset && !n.more_ranges;
			}
			return true;
		}
		/* Another DMABUF of vfio-pci (named by someone else, or not at all). */
		if (m->exporter && strstr(m->exporter, "vfio")) {
			m->kind = "dmabuf";
			return true;
		}
	}
	return false;
}

static int add_mapping(const struct du_maps_entry *e, void *arg)
{
	struct scan *s = arg;
	struct du_output *out = &s->a->out;
	uint64_t len = e->end - e->start;
	struct libscols_line *ln;
	struct du_pci_dev pd;
	struct mapping m;
	char size[16];

	if (!classify(s, e, &m))
		return 0;
	s->found++;
	du_format_size(len, size, sizeof(size));
	ln = du_output_new_line(out);
	du_output_set(out, ln, COL_PID, "%d", (int)s->pid);
	du_output_set_str(out, ln, COL_COMM, s->comm);
	du_output_set(out, ln, COL_START, "0x%" PRIx64, e->start);
	du_output_set(out, ln, COL_END, "0x%" PRIx64, e->end);
	du_output_set_str(out, ln, COL_SIZE, size);
	du_output_set_str(out, ln, COL_PERMS, e->perms);
	du_output_set_str(out, ln, COL_KIND, m.kind);
	du_output_set_str(out, ln, COL_DEVICE, m.bdf[0] ? m.bdf : NULL);
	if (m.bar >= 0)
		du_output_set(out, ln, COL_BAR, "%d", m.bar);
	if (m.has_range)
		du_output_set(out, ln, COL_RANGE, "0x%" PRIx64 "-0x%" PRIx64, m.bar_off,
			      m.bar_off + len - 1);
	du_output_set_str(out, ln, COL_ATTR, m.attr[0] ? m.attr : NULL);
	if (m.has_range && m.bar >= 0 && m.bar < DU_PCI_NUM_BARS && m.bdf[0] &&
	    !du_pci_read(m.bdf, &pd) && pd.bars[m.bar].size) {
		char type[64];

		memtype(s, pd.bars[m.bar].start + m.bar_off, len, type, sizeof(type));
		du_output_set_str(out, ln, COL_MEMTYPE, type[0] ? type : NULL);
	}
	du_output_set(out, ln, COL_OFFSET, "0x%" PRIx64, e->offset);
	du_output_set(out, ln, COL_INODE, "%" PRIu64, e->inode);
	du_output_set_str(out, ln, COL_NAME, m.name);
	du_output_set_str(out, ln, COL_EXPORTER, m.exporter);
	return 0;
}

static int scan_pid(pid_t pid, void *arg)
{
	struct scan *s = arg;
	int r;

	s->pid = pid;
	s->group_bdf[0] = '\0';
	du_proc_comm(pid, s->comm, sizeof(s->comm));
	/* Processes vanish and some are not ours to read: only --pid makes that an error. */
	r = du_maps_foreach(pid, add_mapping, s);
	return s->a->pid && r < 0 ? r : 0;
}

/* ---- command ---- */

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct maps_args *a = state->input;
	int pid;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &a->out;
		break;
	case 'p':
		if (du_parse_nonneg_int(arg, &pid) || !pid)
			argp_error(state, "--pid: not a process ID: %s", arg);
		a->pid = pid;
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "too many arguments");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_option options[] = { { "pid", 'p', "PID", 0, "only this process", 0 },
					      { 0 } };

static const struct argp_child children[] = { { &du_output_argp, 0, "Output:", 0 }, { 0 } };

static const struct argp maps_argp = {
	.options = options,
	.parser = parse_opt,
	.doc = "List every mapping of a VFIO BAR or vfio-pci DMABUF in processes, with "
	       "device, BAR, range and attribute.\vProcesses whose maps cannot be read are "
	       "skipped; run as root to see all of them and the PAT memory types.",
	.children = children,
};

static int maps_run(int argc, char **argv)
{
	struct maps_args a = { 0 };
	struct scan s = { .a = &a };
	int r, status = DU_EXIT_SUCCESS;

	du_output_init(&a.out, columns, ARRAY_SIZE(columns), default_columns,
		       ARRAY_SIZE(default_columns));
	argp_parse(&maps_argp, argc, argv, 0, NULL, &a);
	du_dmabuf_scan(&s.set, DU_DMABUF_SCAN_DEBUGFS | DU_DMABUF_SCAN_NO_MAPS);
	read_pat(&s);
	du_output_start(&a.out, "maps");
	if (a.pid) {
		r = scan_pid(a.pid, &s);
		if (r) {
			du_report(-r, "pid %d: cannot read /proc/%d/maps", (int)a.pid, (int)a.pid);
			status = DU_EXIT_FAILURE;
		}
	} else {
		r = du_proc_foreach_pid(scan_pid, &s);
		if (r < 0) {
			du_report(-r, "/proc: cannot list processes");
			status = DU_EXIT_FAILURE;
		}
	}
	if (du_output_print(&a.out))
		status = DU_EXIT_FAILURE;
	du_output_free(&a.out);
	du_dmabuf_set_free(&s.set);
	free(s.pat);
	return status;
}

const struct du_cmd cmd_maps = {
	"maps",
	maps_run,
	"mappings of VFIO BARs and DMABUFs in processes",
};
