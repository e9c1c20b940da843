// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * util.c - range specs, DMABUF names, opening a device and explaining a
 * refused export, for the vfiobarctl commands.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/dma-buf.h>
#include <stdio.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "err.h"
#include "parse.h"
#include "vfiobarctl.h"

void vb_arg_bdf(const char *arg, char out[DU_BDF_LEN])
{
	if (du_pci_parse_bdf(arg, out))
		du_usage_error("%s: not a PCI address (expected DDDD:BB:DD.F or BB:DD.F)", arg);
}

bool vb_argp_bdf(int key, const char *arg, struct argp_state *state, char bdf[DU_BDF_LEN])
{
	if (key == ARGP_KEY_ARG) {
		if (state->arg_num > 0)
			argp_error(state, "too many arguments");
		vb_arg_bdf(arg, bdf);
		return true;
	}
	if (key == ARGP_KEY_NO_ARGS) {
		argp_error(state, "no device given");
		return true;
	}
	return false;
}

/* ---- range specs ---- */

static int parse_bar(const char *s, size_t len, uint32_t *bar)
{
	char buf[16];

	if (len >= 3 && !strncasecmp(s, "bar", 3)) {
		s += 3;
		len -= 3;
	}
	if (!len || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (!isdigit((unsigned char)buf[0]))
		return -EINVAL;
	return du_parse_u32(buf, bar);
}

static int parse_item(char *item, struct vb_spec *spec, bool first, const char **why)
{
	char *colon = strchr(item, ':'), *plus;
	uint64_t off, len;
	uint32_t bar;

	if (colon) {
		if (parse_bar(item, (size_t)(colon - item), &bar)) {
			*why = "BAR must be a number (0-5)";
			return -EINVAL;
		}
		if (!first && bar != spec->bar) {
			*why = "all ranges of one DMABUF must be in the same BAR";
			return -EINVAL;
		}
		spec->bar = bar;
		item = colon + 1;
	} else if (first) {
		*why = "expected BAR:OFFSET+LENGTH";
		return -EINVAL;
	}
	plus = strchr(item, '+');
	if (!plus) {
		*why = "expected OFFSET+LENGTH";
		return -EINVAL;
	}
	*plus = '\0';
	if (du_parse_size(item, &off) || du_parse_size(plus + 1, &len)) {
		*why = "offset and length must be numbers (hex with 0x, or sizes like 4K)";
		return -EINVAL;
	}
	if (off + len < off) {
		*why = "offset plus length overflows";
		return -EINVAL;
	}
	spec->ranges = xrealloc(spec->ranges, (spec->n + 1) * sizeof(*spec->ranges));
	spec->ranges[spec->n++] = (struct du_vfio_range){ off, len };
	return 0;
}

int vb_spec_parse(const char *s, struct vb_spec *spec, const char **why)
{
	_cleanup_free_ char *copy = xstrdup(s);
	char *item, *save = NULL;
	int r = 0;

	memset(spec, 0, sizeof(*spec));
	*why = "empty range list";
	for (item = strtok_r(copy, ",", &save); item && !r; item = strtok_r(NULL, ",", &save))
		r = parse_item(item, spec, spec->n == 0, why);
	if (!r && !spec->n)
		r = -EINVAL;
	if (!r && s[strlen(s) - 1] == ',') {
		*why = "trailing comma";
		r = -EINVAL;
	}
	if (r)
		vb_spec_free(spec);
	return r;
}

void vb_spec_free(struct vb_spec *spec)
{
	free(spec->ranges);
	spec->ranges = NULL;
	spec->n = 0;
}

char *vb_spec_format(const struct vb_spec *spec)
{
	size_t len = 0;
	char *s = NULL;
	FILE *fp = open_memstream(&s, &len);

	if (!fp)
		du_die(DU_EXIT_FAILURE, errno, "cannot format a range list");
	fprintf(fp, "%" PRIu32 ":", spec->bar);
	for (size_t i = 0; i < spec->n; i++)
		fprintf(fp, "%s0x%" PRIx64 "+0x%" PRIx64, i ? "," : "", spec->ranges[i].offset,
			spec->ranges[i].length);
	fclose(fp);
	return s;
}

uint64_t vb_spec_size(const struct vb_spec *spec)
{
	uint64_t total = 0;

	for (size_t i = 0; i < spec->n; i++)
		total += spec->ranges[i].length;
	return total;
}

const char *vb_attr_name(enum du_vfio_attr attr)
{
	return attr == DU_VFIO_ATTR_WC ? "wc" : "uc";
}

/* ---- DMABUF names ---- */

void vb_name_format(char *buf, size_t len, const char *bdf, const struct vb_spec *spec,
		    enum du_vfio_attr attr)
{
	int n = snprintf(buf, len, "%s/%" PRIu32 ":%" PRIx64 "%s %s", bdf, spec->bar,
			 spec->n ? spec->ranges[0].offset : 0, spec->n > 1 ? "+" : "",
			 vb_attr_name(attr));

	/* Too long for DMA_BUF_NAME_LEN: keep device, BAR and attribute. */
	if (n < 0 || (size_t)n >= len)
		snprintf(buf, len, "%s/%" PRIu32 " %s", bdf, spec->bar, vb_attr_name(attr));
}

int vb_name_parse(const char *name, struct vb_name *n)
{
	const char *p = name, *slash;
	char bdf[DU_BDF_LEN + 8];
	unsigned long long v;
	char *end;

	memset(n, 0, sizeof(*n));
	if (!strncmp(p, "vfio", 4) && isdigit((unsigned char)p[4])) {
		const char *colon = strchr(p, ':');

		if (!colon)
			return -EINVAL;
		n->kernel = true;
		p = colon + 1;
	}
	slash = strchr(p, '/');
	if (!slash || (size_t)(slash - p) >= sizeof(bdf))
		return -EINVAL;
	memcpy(bdf, p, (size_t)(slash - p));
	bdf[slash - p] = '\0';
	if (du_pci_parse_bdf(bdf, n->bdf))
		return -EINVAL;
	p = slash + 1;
	/* The kernel prints the BAR index in hex, vfiobarctl in decimal: both are 0-5. */
	if (!isxdigit((unsigned char)*p))
		return -EINVAL;
	v = strtoull(p, &end, 16);
	n->bar = (uint32_t)v;
	p = end;
	if (*p == ':') {
		if (!isxdigit((unsigned char)p[1]))
			return -EINVAL;
		n->offset = strtoull(p + 1, &end, 16);
		n->has_offset = true;
		p = end;
	}
	if (*p == '+') {
		n->more_ranges = true;
		p++;
	}
	if (*p == ' ') {
		if (strcmp(p + 1, "uc") && strcmp(p + 1, "wc"))
			return -EINVAL;
		snprintf(n->attr, sizeof(n->attr), "%s", p + 1);
		p += 3;
	}
	return *p ? -EINVAL : 0;
}

/* ---- devices ---- */

int vb_device_open(const char *bdf, struct vb_device *d)
{
	int r = du_vfio_open(bdf, &d->dev);

	if (r) {
		du_vfio_report(&d->dev);
		return r;
	}
	du_vfio_probe_caps(&d->dev, &d->caps);
	return 0;
}

void vb_device_close(struct vb_device *d)
{
	du_vfio_close(&d->dev);
}

int vb_exit_for(int err)
{
	return err == ENOTTY || err == EOPNOTSUPP ? DU_EXIT_NOFEATURE : DU_EXIT_FAILURE;
}

/* Why would the kernel refuse @spec?  The first reason found, or NULL. */
static const char *export_reason(const struct vb_device *d, const struct vb_spec *spec,
				 const struct vb_export_raw *raw, int err, char *buf, size_t len)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	uint32_t nr = raw && raw->set_nr ? raw->nr_ranges : (uint32_t)spec->n;
	struct du_vfio_region reg;
	struct du_pci_dev pd;

	if (err == ENOTTY)
		return "the kernel has no VFIO_DEVICE_FEATURE_DMA_BUF";
	if (err == EOPNOTSUPP)
		return "the kernel offers neither the export attribute bits nor the memattr "
		       "feature needed for WC";
	if (spec->bar >= DU_VFIO_ROM_REGION) {
		snprintf(buf, len, "region %" PRIu32 " is not a BAR: BARs are 0-5", spec->bar);
		return buf;
	}
	if (nr == 0)
		return "nr_ranges is 0";
	if (nr != spec->n) {
		snprintf(buf, len, "nr_ranges %" PRIu32 " with %zu range(s) given", nr, spec->n);
		return buf;
	}
	if (raw && raw->set_flags && raw->flags & ~VFIO_DEVICE_FEATURE_DMA_BUF_ATTR_MASK)
		return "unknown flag bits";
	if (raw && raw->set_flags && raw->flags & VFIO_DEVICE_FEATURE_DMA_BUF_ATTR_MASK &&
	    (raw->flags & VFIO_DEVICE_FEATURE_DMA_BUF_ATTR_MASK) !=
		    VFIO_DEVICE_FEATURE_DMA_BUF_ATTR_WC)
		return "unknown attribute in flags bits 31:28";
	if (!du_pci_read(d->dev.bdf, &pd)) {
		const struct du_pci_bar *bar = &pd.bars[spec->bar];

		if (!bar->size) {
			snprintf(buf, len, "BAR%" PRIu32 " is not implemented", spec->bar);
			return buf;
		}
		if (bar->flags & DU_IORESOURCE_IO) {
			snprintf(buf, len, "BAR%" PRIu32 " is an I/O port BAR", spec->bar);
			return buf;
		}
	}
	for (size_t i = 0; i < spec->n; i++) {
		const struct du_vfio_range *r = &spec->ranges[i];
		const char *what = NULL;

		if (!r->length)
			what = "length is 0";
		else if (r->offset % page)
			what = "offset not page-aligned";
		else if (r->length % page)
			what = "length not page-aligned";
		if (what) {
			snprintf(buf, len, "range 0x%" PRIx64 "+0x%" PRIx64 ": %s", r->offset,
				 r->length, what);
			return buf;
		}
	}
	if (!du_vfio_region(&d->dev, spec->bar, &reg)) {
		du_vfio_region_free(&reg);
		for (size_t i = 0; i < spec->n; i++) {
			const struct du_vfio_range *r = &spec->ranges[i];

			if (r->offset + r->length > reg.size) {
				snprintf(buf, len,
					 "range 0x%" PRIx64 "+0x%" PRIx64 " ends past BAR%" PRIu32
					 " (size 0x%" PRIx64 ")",
					 r->offset, r->length, spec->bar, reg.size);
				return buf;
			}
		}
	}
	return NULL;
}

int vb_export(struct vb_device *d, const struct vb_spec *spec, enum du_vfio_attr attr,
	      const struct vb_export_raw *raw, char *msg, size_t msglen)
{
	_cleanup_free_ char *text = vb_spec_format(spec);
	char name[DMA_BUF_NAME_LEN], why[160];
	const char *reason;
	int fd;

	if (raw && (raw->set_nr || raw->set_flags)) {
		uint32_t flags = raw->set_flags ? raw->flags
						: (attr == DU_VFIO_ATTR_WC
							   ? VFIO_DEVICE_FEATURE_DMA_BUF_ATTR_WC
							   : 0);

		fd = du_vfio_dma_buf_raw(d->dev.device, spec->bar, O_RDWR | O_CLOEXEC, flags,
					 raw->set_nr ? raw->nr_ranges : (uint32_t)spec->n,
					 spec->ranges, spec->n);
	} else {
		fd = du_vfio_export(&d->dev, &d->caps, spec->bar, spec->ranges, spec->n, attr);
	}
	if (fd < 0) {
		reason = export_reason(d, spec, raw, -fd, why, sizeof(why));
		snprintf(msg, msglen, "%s: %s %s: cannot export%s%s%s", d->dev.bdf,
			 attr == DU_VFIO_ATTR_WC ? "WC" : "UC", text, reason ? " (" : "",
			 reason ? reason : "", reason ? ")" : "");
		return fd;
	}
	vb_name_format(name, sizeof(name), d->dev.bdf, spec, attr);
	/* The name is for `maps`; a kernel that refuses it changes nothing else. */
	ioctl(fd, DMA_BUF_SET_NAME_B, name);
	return fd;
}

int vb_revoke(struct vb_device *d, int dmabuf_fd, const char *what, char *msg, size_t msglen)
{
	int r = du_vfio_revoke(&d->dev, &d->caps, dmabuf_fd);
	const char *reason = NULL;

	if (!r)
		return 0;
	switch (-r) {
	case EOPNOTSUPP:
		reason = "the kernel has neither the revoke ioctl nor the revoke feature";
		break;
	case EBADFD:
		reason = "already revoked";
		break;
	case ENODEV:
		reason = "not a DMABUF of this device";
		break;
	case EINVAL:
		reason = "not a DMABUF";
		break;
	case EBADF:
		reason = "not an open file descriptor";
		break;
	}
	snprintf(msg, msglen, "%s: %s: cannot revoke%s%s%s", d->dev.bdf, what, reason ? " (" : "",
		 reason ? reason : "", reason ? ")" : "");
	return r;
}
