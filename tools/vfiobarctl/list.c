// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * list.c - `vfiobarctl list`: PCI devices, their drivers, IOMMU groups,
 * VFIO nodes and BARs, from sysfs.
 */
#include <errno.h>
#include <stdio.h>

#include "err.h"
#include "output.h"
#include "parse.h"
#include "vfiobarctl.h"

enum {
	COL_DEVICE,
	COL_ID,
	COL_CLASS,
	COL_DRIVER,
	COL_OVERRIDE,
	COL_GROUP,
	COL_IOMMU,
	COL_NODE,
	COL_NBARS,
	COL_BARS,
};

static const struct du_colinfo columns[] = {
	[COL_DEVICE] = { "DEVICE", 12, 0, SCOLS_JSON_STRING,
			 "PCI address (domain:bus:device.function)" },
	[COL_ID] = { "ID", 9, 0, SCOLS_JSON_STRING, "vendor:device ID" },
	[COL_CLASS] = { "CLASS", 6, 0, SCOLS_JSON_STRING, "PCI class code" },
	[COL_DRIVER] = { "DRIVER", 8, 0, SCOLS_JSON_STRING, "bound driver" },
	[COL_OVERRIDE] = { "OVERRIDE", 8, 0, SCOLS_JSON_STRING, "driver_override" },
	[COL_GROUP] = { "GROUP", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "IOMMU group" },
	[COL_IOMMU] = { "IOMMU", 7, 0, SCOLS_JSON_STRING,
			"iommu, noiommu (vfio's unsafe no-IOMMU group) or none" },
	[COL_NODE] = { "NODE", 18, 0, SCOLS_JSON_STRING, "VFIO group device node" },
	[COL_NBARS] = { "NBARS", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "implemented BARs" },
	[COL_BARS] = { "BARS", 30, SCOLS_FL_WRAP, SCOLS_JSON_STRING,
		       "BARs as INDEX:SIZE:TYPE,... (TYPE mem32, mem64, io; -pref: prefetchable)" },
};

static const int default_columns[] = {
	COL_DEVICE, COL_ID, COL_DRIVER, COL_GROUP, COL_NODE, COL_BARS
};

struct list_args {
	struct du_output out;
	bool vfio_only;
	char **devices;
	int ndevices;
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct list_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &a->out;
		break;
	case 'V':
		a->vfio_only = true;
		break;
	case ARGP_KEY_ARGS:
		a->devices = state->argv + state->next;
		a->ndevices = state->argc - state->next;
		break;
	default:
		(void)arg;
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_option options[] = {
	{ "vfio", 'V', NULL, 0, "only devices bound to vfio-pci", 0 }, { 0 }
};

static const struct argp_child children[] = { { &du_output_argp, 0, "Output:", 0 }, { 0 } };

static const struct argp list_argp = {
	.options = options,
	.parser = parse_opt,
	.args_doc = "[BDF...]",
	.doc = "List PCI devices with their driver, IOMMU group, VFIO node and BARs.",
	.children = children,
};

static void format_bars(const struct du_pci_dev *d, char *buf, size_t len, int *nbars)
{
	size_t used = 0;

	buf[0] = '\0';
	*nbars = 0;
	for (int i = 0; i < DU_PCI_NUM_BARS; i++) {
		const struct du_pci_bar *b = &d->bars[i];
		char size[16];
		int n;

		if (!b->size)
			continue;
		du_format_size(b->size, size, sizeof(size));
		n = snprintf(buf + used, len - used, "%s%d:%s:%s", used ? "," : "", i, size,
			     du_pci_bar_type(b));
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
		(*nbars)++;
	}
}

static int add_device(const struct du_pci_dev *d, void *arg)
{
	struct list_args *a = arg;
	struct libscols_line *ln;
	char bars[256], node[64];
	int nbars;

	if (a->vfio_only && !streq(d->driver, "vfio-pci"))
		return 0;
	format_bars(d, bars, sizeof(bars), &nbars);
	du_pci_vfio_node(d, node, sizeof(node));
	ln = du_output_new_line(&a->out);
	du_output_set_str(&a->out, ln, COL_DEVICE, d->bdf);
	du_output_set(&a->out, ln, COL_ID, "%04x:%04x", d->vendor, d->device);
	du_output_set(&a->out, ln, COL_CLASS, "%06x", d->class_code);
	du_output_set_str(&a->out, ln, COL_DRIVER, d->driver[0] ? d->driver : NULL);
	du_output_set_str(&a->out, ln, COL_OVERRIDE,
			  d->driver_override[0] ? d->driver_override : NULL);
	if (d->iommu_group >= 0)
		du_output_set(&a->out, ln, COL_GROUP, "%d", d->iommu_group);
	du_output_set_str(&a->out, ln, COL_IOMMU,
			  d->iommu_group < 0 ? "none"
			  : d->noiommu	     ? "noiommu"
					     : "iommu");
	du_output_set_str(&a->out, ln, COL_NODE, node[0] ? node : NULL);
	du_output_set(&a->out, ln, COL_NBARS, "%d", nbars);
	du_output_set_str(&a->out, ln, COL_BARS, bars[0] ? bars : NULL);
	return 0;
}

static int list_run(int argc, char **argv)
{
	struct list_args a = { 0 };
	int status = DU_EXIT_SUCCESS, r;

	du_output_init(&a.out, columns, ARRAY_SIZE(columns), default_columns,
		       ARRAY_SIZE(default_columns));
	argp_parse(&list_argp, argc, argv, 0, NULL, &a);
	for (int i = 0; i < a.ndevices; i++) {
		char bdf[DU_BDF_LEN];

		vb_arg_bdf(a.devices[i], bdf);
	}

	du_output_start(&a.out, "devices");
	if (!a.ndevices) {
		r = du_pci_foreach(add_device, &a);
		if (r < 0) {
			du_report(-r, "/sys/bus/pci/devices: cannot list PCI devices");
			status = DU_EXIT_FAILURE;
		}
	}
	for (int i = 0; i < a.ndevices; i++) {
		struct du_pci_dev d;
		char bdf[DU_BDF_LEN];

		vb_arg_bdf(a.devices[i], bdf);
		r = du_pci_read(bdf, &d);
		if (r) {
			du_report(-r, "%s: %s", bdf,
				  r == -ENODEV ? "no such PCI device" : "cannot read the device");
			status = DU_EXIT_FAILURE;
			continue;
		}
		add_device(&d, &a);
	}
	if (du_output_print(&a.out))
		status = DU_EXIT_FAILURE;
	du_output_free(&a.out);
	return status;
}

const struct du_cmd cmd_list = {
	"list",
	list_run,
	"PCI devices: IDs, driver, IOMMU group, VFIO node, BARs",
};
