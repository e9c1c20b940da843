// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * prometheus.c - `dmaheapctl audit --prometheus FILE`: the audit as a
 * node_exporter textfile-collector file (text exposition format 0.0.4).
 *
 * The file is written next to its final name under a name the collector
 * ignores (it only reads *.prom), flushed to disk and renamed over FILE, so
 * a scrape sees the old file or the new one, never half of one.
 */
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "err.h"

/* Label values escape backslash, double quote and newline. */
static void label(FILE *fp, const char *name, const char *value, bool first)
{
	fprintf(fp, "%s%s=\"", first ? "" : ",", name);
	for (const char *c = value ? value : ""; *c; c++) {
		if (*c == '\\' || *c == '"')
			fprintf(fp, "\\%c", *c);
		else if (*c == '\n')
			fputs("\\n", fp);
		else
			fputc(*c, fp);
	}
	fputc('"', fp);
}

static void header(FILE *fp, const char *metric, const char *help)
{
	fprintf(fp, "# HELP %s %s\n# TYPE %s gauge\n", metric, help, metric);
}

struct exporter_total {
	const char *name;
	uint64_t count, bytes;
};

static void write_exporters(FILE *fp, const struct dh_audit *a)
{
	struct exporter_total *t = xcalloc(a->set.nbufs + 1, sizeof(*t));
	size_t n = 0;

	for (size_t i = 0; i < a->set.nbufs; i++) {
		const struct du_dmabuf *b = &a->set.bufs[i];
		const char *name = b->exporter ? b->exporter : "unknown";
		size_t k;

		for (k = 0; k < n && !streq(t[k].name, name); k++)
			;
		if (k == n)
			t[n++].name = name;
		t[k].count++;
		t[k].bytes += b->size;
	}
	header(fp, "dmabuf_buffers", "Live dma-bufs, by exporter.");
	for (size_t k = 0; k < n; k++) {
		fputs("dmabuf_buffers{", fp);
		label(fp, "exporter", t[k].name, true);
		fprintf(fp, "} %" PRIu64 "\n", t[k].count);
	}
	header(fp, "dmabuf_bytes", "Bytes of live dma-bufs, by exporter.");
	for (size_t k = 0; k < n; k++) {
		fputs("dmabuf_bytes{", fp);
		label(fp, "exporter", t[k].name, true);
		fprintf(fp, "} %" PRIu64 "\n", t[k].bytes);
	}
	free(t);
	header(fp, "dmabuf_unheld_bytes",
	       "Bytes of dma-bufs no process holds (kept by drivers; seen through debugfs).");
	fprintf(fp, "dmabuf_unheld_bytes %" PRIu64 "\n", a->unheld_bytes);
}

static void write_processes(FILE *fp, const struct dh_audit *a)
{
	static const struct {
		const char *metric, *help;
		size_t offset;
	} m[] = {
		{ "dmabuf_process_rss_bytes", "Bytes of the dma-bufs a process holds.",
		  offsetof(struct du_dmabuf_proc, rss) },
		{ "dmabuf_process_pss_bytes",
		  "Bytes of the dma-bufs a process holds, each divided among its holders.",
		  offsetof(struct du_dmabuf_proc, pss) },
	};

	for (size_t k = 0; k < ARRAY_SIZE(m); k++) {
		header(fp, m[k].metric, m[k].help);
		for (size_t i = 0; i < a->set.nprocs; i++) {
			const struct du_dmabuf_proc *p = &a->set.procs[i];
			char pid[16];

			if (!a->proc_visible[i])
				continue;
			snprintf(pid, sizeof(pid), "%d", (int)p->pid);
			fprintf(fp, "%s{", m[k].metric);
			label(fp, "pid", pid, true);
			label(fp, "comm", p->comm, false);
			label(fp, "cgroup", p->cgroup, false);
			fprintf(fp, "} %" PRIu64 "\n",
				*(const uint64_t *)((const char *)p + m[k].offset));
		}
	}
}

static void cgroup_series(FILE *fp, const struct dh_audit *a, const char *metric, const char *help,
			  int64_t (*value)(const struct dh_audit *a, size_t i))
{
	header(fp, metric, help);
	for (size_t i = 0; i < a->ncgs; i++) {
		if (!a->cgs[i].visible)
			continue;
		fprintf(fp, "%s{", metric);
		label(fp, "cgroup", a->cgs[i].path, true);
		fprintf(fp, "} %" PRId64 "\n", value(a, i));
	}
}

static int64_t held(const struct dh_audit *a, size_t i)
{
	return (int64_t)a->cgs[i].held;
}

static int64_t charged(const struct dh_audit *a, size_t i)
{
	return (int64_t)a->cgs[i].charged;
}

static int64_t attributed(const struct dh_audit *a, size_t i)
{
	return (int64_t)a->groups[i].attributed;
}

static int64_t unexplained(const struct dh_audit *a, size_t i)
{
	return (int64_t)(a->cgs[i].charged - a->groups[i].attributed);
}

static void write_cgroups(FILE *fp, const struct dh_audit *a)
{
	cgroup_series(fp, a, "dmabuf_cgroup_held_bytes",
		      "Bytes of the dma-bufs held by the processes of a memory cgroup.", held);
	if (!a->accounting)
		return;
	cgroup_series(fp, a, "dmabuf_cgroup_charged_bytes",
		      "memory.stat dmabuf of a memory cgroup, without its descendants.", charged);
	cgroup_series(fp, a, "dmabuf_cgroup_attributed_bytes",
		      "Bytes of the dma-bufs inferred to be charged to a memory cgroup.",
		      attributed);
	cgroup_series(fp, a, "dmabuf_cgroup_unexplained_bytes",
		      "Charged minus attributed bytes: charge that no dma-buf explains.",
		      unexplained);
	header(fp, "dmabuf_audit_reconciled",
	       "1 if an attribution reproduces every cgroup's dmabuf figure exactly.");
	fprintf(fp, "dmabuf_audit_reconciled %d\n", a->exact ? 1 : 0);
}

static void write_all(FILE *fp, const struct dh_audit *a)
{
	struct timespec now;

	write_exporters(fp, a);
	write_processes(fp, a);
	if (a->have_memcg)
		write_cgroups(fp, a);
	header(fp, "dmabuf_audit_unreadable_processes",
	       "Processes whose descriptors or mappings could not be read.");
	fprintf(fp, "dmabuf_audit_unreadable_processes %u\n", a->set.unreadable);
	header(fp, "dmabuf_audit_duration_seconds", "Time the audit took to scan.");
	fprintf(fp, "dmabuf_audit_duration_seconds %.6f\n", a->seconds);
	clock_gettime(CLOCK_REALTIME, &now);
	header(fp, "dmabuf_audit_timestamp_seconds", "When the audit ran (Unix time).");
	fprintf(fp, "dmabuf_audit_timestamp_seconds %lld\n", (long long)now.tv_sec);
}

int dh_prometheus_write(const char *file, const struct dh_audit *a)
{
	_cleanup_free_ char *tmp = NULL;
	const char *slash = strrchr(file, '/');
	FILE *fp;
	int fd, err = 0;

	if (slash)
		xasprintf(&tmp, "%.*s/.%s.%d.tmp", (int)(slash - file), file, slash + 1,
			  (int)getpid());
	else
		xasprintf(&tmp, ".%s.%d.tmp", file, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		du_report(errno, "%s: cannot create %s", file, tmp);
		return DU_EXIT_FAILURE;
	}
	fp = fdopen(fd, "w");
	if (!fp) {
		err = errno;
		close(fd);
		goto fail;
	}
	write_all(fp, a);
	errno = 0;
	if (fflush(fp) == EOF || ferror(fp) || fsync(fd))
		err = errno ? errno : EIO;
	if (fclose(fp) == EOF && !err)
		err = errno;
	if (!err && rename(tmp, file))
		err = errno;
	if (!err)
		return DU_EXIT_SUCCESS;
fail:
	du_report(err, "%s: cannot write", file);
	unlink(tmp);
	return DU_EXIT_FAILURE;
}
