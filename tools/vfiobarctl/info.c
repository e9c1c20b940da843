// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * info.c - `vfiobarctl info`: a vfio-pci device's regions and the DMABUF
 * interfaces its kernel offers.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "err.h"
#include "output.h"
#include "parse.h"
#include "vfiobarctl.h"

enum {
	COL_INDEX,
	COL_NAME,
	COL_SIZE,
	COL_BYTES,
	COL_OFFSET,
	COL_FLAGS,
	COL_MMAP,
	COL_SPARSE,
	COL_TYPE,
};

static const struct du_colinfo region_columns[] = {
	[COL_INDEX] = { "INDEX", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "region index" },
	[COL_NAME] = { "NAME", 6, 0, SCOLS_JSON_STRING, "BAR0-BAR5, ROM, CONFIG, VGA" },
	[COL_SIZE] = { "SIZE", 6, SCOLS_FL_RIGHT, SCOLS_JSON_STRING, "size, human readable" },
	[COL_BYTES] = { "BYTES", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "size in bytes" },
	[COL_OFFSET] = { "OFFSET", 14, SCOLS_FL_RIGHT, SCOLS_JSON_STRING,
			 "offset of the region in the device fd (pread/pwrite/mmap)" },
	[COL_FLAGS] = { "FLAGS", 5, 0, SCOLS_JSON_STRING,
			"r read, w write, m mmap, c capabilities" },
	[COL_MMAP] = { "MMAP", 6, 0, SCOLS_JSON_STRING,
		       "whether the device fd can map it: yes, no, sparse" },
	[COL_SPARSE] = { "SPARSE", 20, SCOLS_FL_WRAP, SCOLS_JSON_STRING,
			 "mappable areas OFFSET+SIZE of a sparse region" },
	[COL_TYPE] = { "TYPE", 10, 0, SCOLS_JSON_STRING, "BAR type from sysfs (mem32, mem64, io)" },
};

static const int region_defaults[] = { COL_INDEX, COL_NAME, COL_SIZE,  COL_FLAGS,
				       COL_MMAP,  COL_TYPE, COL_SPARSE };

enum { FCOL_FEATURE, FCOL_STATE, FCOL_REASON, FCOL_PROVIDER };

static const struct du_colinfo feature_columns[] = {
	[FCOL_FEATURE] = { "FEATURE", 0, 0, SCOLS_JSON_STRING, "feature name" },
	[FCOL_STATE] = { "STATE", 0, 0, SCOLS_JSON_STRING, "present, missing or unknown" },
	[FCOL_REASON] = { "REASON", 0, SCOLS_FL_WRAP, SCOLS_JSON_STRING, "how the probe decided" },
	[FCOL_PROVIDER] = { "PROVIDER", 0, 0, SCOLS_JSON_STRING,
			    "kernel interface that provides it" },
};

static const int feature_defaults[] = { FCOL_FEATURE, FCOL_STATE, FCOL_REASON };

struct info_args {
	struct du_output out; /* regions, or features with --features */
	char bdf[DU_BDF_LEN];
	bool features, all;
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct info_args *a = state->input;

	if (vb_argp_bdf(key, arg, state, a->bdf))
		return 0;
	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &a->out;
		break;
	case 'f': {
		/* Switch tables; -o/-J/-r/-n (applied at the end) carry over. */
		struct du_output saved = a->out;

		a->features = true;
		du_output_init(&a->out, feature_columns, ARRAY_SIZE(feature_columns),
			       feature_defaults, ARRAY_SIZE(feature_defaults));
		a->out.columns_arg = saved.columns_arg;
		a->out.json = saved.json;
		a->out.raw = saved.raw;
		a->out.noheadings = saved.noheadings;
		break;
	}
	case 'a':
		a->all = true;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_option options[] = {
	{ "features", 'f', NULL, 0, "print the device's DMABUF features instead of its regions",
	  0 },
	{ "all", 'a', NULL, 0, "also list regions of size 0 (unimplemented BARs)", 0 },
	{ 0 }
};

static const struct argp_child children[] = { { &du_output_argp, 0, "Output:", 0 }, { 0 } };

static const struct argp info_argp = {
	.options = options,
	.parser = parse_opt,
	.args_doc = "BDF",
	.doc = "Show the regions of a device bound to vfio-pci (index, size, flags, whether "
	       "they can be mapped, sparse areas) and which DMABUF features its kernel has.\v"
	       "Without -J, -r or -n both tables are printed; with them, the regions, or the "
	       "features with --features.",
	.children = children,
};

static void region_flags(uint32_t flags, char *buf)
{
	char *p = buf;

	*p++ = flags & VFIO_REGION_INFO_FLAG_READ ? 'r' : '-';
	*p++ = flags & VFIO_REGION_INFO_FLAG_WRITE ? 'w' : '-';
	*p++ = flags & VFIO_REGION_INFO_FLAG_MMAP ? 'm' : '-';
	*p++ = flags & VFIO_REGION_INFO_FLAG_CAPS ? 'c' : '-';
	*p = '\0';
}

static void add_region(struct du_output *out, const struct du_vfio_region *r,
		       const struct du_pci_dev *pd)
{
	struct libscols_line *ln = du_output_new_line(out);
	char size[16], flags[8];
	_cleanup_free_ char *sparse = NULL;
	size_t len = 0;
	FILE *fp;

	du_format_size(r->size, size, sizeof(size));
	region_flags(r->flags, flags);
	du_output_set(out, ln, COL_INDEX, "%" PRIu32, r->index);
	du_output_set_str(out, ln, COL_NAME, du_vfio_region_name(r->index));
	du_output_set_str(out, ln, COL_SIZE, size);
	du_output_set(out, ln, COL_BYTES, "%" PRIu64, r->size);
	du_output_set(out, ln, COL_OFFSET, "0x%" PRIx64, r->offset);
	du_output_set_str(out, ln, COL_FLAGS, flags);
	du_output_set_str(out, ln, COL_MMAP,
			  !(r->flags & VFIO_REGION_INFO_FLAG_MMAP) ? "no"
			  : r->sparse				   ? "sparse"
								   : "yes");
	if (r->sparse) {
		fp = open_memstream(&sparse, &len);
		if (!fp)
			du_die(DU_EXIT_FAILURE, errno, "cannot format sparse areas");
		for (size_t i = 0; i < r->nareas; i++)
			fprintf(fp, "%s0x%" PRIx64 "+0x%" PRIx64, i ? "," : "", r->areas[i].offset,
				r->areas[i].size);
		fclose(fp);
		du_output_set_str(out, ln, COL_SPARSE, sparse);
	}
	if (pd && r->index < DU_PCI_NUM_BARS)
		du_output_set_str(out, ln, COL_TYPE, du_pci_bar_type(&pd->bars[r->index]));
}

static int print_regions(struct info_args *a, const struct vb_device *d)
{
	struct du_pci_dev pd;
	bool have_pd = du_pci_read(d->dev.bdf, &pd) == 0;
	int status = DU_EXIT_SUCCESS;

	du_output_start(&a->out, "regions");
	for (uint32_t i = 0; i < d->dev.info.num_regions; i++) {
		struct du_vfio_region r;
		int err = du_vfio_region(&d->dev, i, &r);

		if (err == -EINVAL) /* vfio-pci: no VGA region on a non-VGA device */
			continue;
		if (err) {
			du_report(-err,
				  "%s: region %" PRIu32 ": VFIO_DEVICE_GET_REGION_INFO failed",
				  d->dev.bdf, i);
			status = DU_EXIT_FAILURE;
			continue;
		}
		if (r.size || a->all)
			add_region(&a->out, &r, have_pd ? &pd : NULL);
		du_vfio_region_free(&r);
	}
	if (du_output_print(&a->out))
		status = DU_EXIT_FAILURE;
	du_output_free(&a->out);
	return status;
}

static const char *state_name(enum du_feature_state s)
{
	return s == DU_FEATURE_PRESENT	 ? "present"
	       : s == DU_FEATURE_MISSING ? "missing"
					 : "unknown";
}

static int print_features(struct du_output *out, const struct vb_device *d)
{
	int status = DU_EXIT_SUCCESS;

	du_output_start(out, "features");
	for (int c = 0; c < DU_VFIO_NCAPS; c++) {
		const struct du_feature *f = &vb_features[VB_FIRST_CAP_FEATURE + c];
		const struct du_probe *p = &d->caps.probe[c];
		struct libscols_line *ln = du_output_new_line(out);

		du_output_set_str(out, ln, FCOL_FEATURE, f->name);
		du_output_set_str(out, ln, FCOL_STATE, state_name(p->state));
		du_output_set_str(out, ln, FCOL_REASON, p->reason);
		du_output_set_str(out, ln, FCOL_PROVIDER, f->kconfig);
	}
	if (du_output_print(out))
		status = DU_EXIT_FAILURE;
	du_output_free(out);
	return status;
}

static void print_header(const struct vb_device *d)
{
	const struct vfio_device_info *i = &d->dev.info;

	printf("%s: group %d%s (%s), %u regions, %u irqs, flags:%s%s\n\n", d->dev.bdf,
	       d->dev.group_id, d->dev.noiommu ? " noiommu" : "", d->dev.node, i->num_regions,
	       i->num_irqs, i->flags & VFIO_DEVICE_FLAGS_PCI ? " pci" : "",
	       i->flags & VFIO_DEVICE_FLAGS_RESET ? " reset" : "");
}

static int info_run(int argc, char **argv)
{
	struct info_args a = { 0 };
	struct du_output fout;
	struct vb_device d;
	bool both;
	int r;

	du_output_init(&a.out, region_columns, ARRAY_SIZE(region_columns), region_defaults,
		       ARRAY_SIZE(region_defaults));
	argp_parse(&info_argp, argc, argv, 0, NULL, &a);
	both = !a.features && !a.out.json && !a.out.raw && !a.out.noheadings;
	r = vb_device_open(a.bdf, &d);
	if (r)
		return r;
	if (a.features) {
		r = print_features(&a.out, &d);
	} else {
		if (both)
			print_header(&d);
		r = print_regions(&a, &d);
		if (both) {
			du_output_init(&fout, feature_columns, ARRAY_SIZE(feature_columns),
				       feature_defaults, ARRAY_SIZE(feature_defaults));
			putchar('\n');
			if (print_features(&fout, &d))
				r = DU_EXIT_FAILURE;
		}
	}
	vb_device_close(&d);
	return r;
}

const struct du_cmd cmd_info = {
	"info",
	info_run,
	"show a device's regions and DMABUF features",
};
