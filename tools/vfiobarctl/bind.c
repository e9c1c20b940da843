// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bind.c - `vfiobarctl bind` and `unbind`: move a device to vfio-pci with
 * driver_override and back to the driver it had.
 *
 * bind remembers the previous driver and driver_override in
 * /run/vfiobarctl/BDF so that unbind can put them back exactly (including
 * "no driver"); without that record unbind lets the kernel probe the
 * device's natural driver.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "procfs.h"
#include "vfiobarctl.h"

#define STATE_DIR "/run/vfiobarctl"

struct bind_args {
	char bdf[DU_BDF_LEN];
	bool enable_noiommu;
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct bind_args *a = state->input;

	if (vb_argp_bdf(key, arg, state, a->bdf))
		return 0;
	switch (key) {
	case 'N':
		a->enable_noiommu = true;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_option bind_options[] = { { "enable-noiommu", 'N', NULL, 0,
						     "turn on vfio's unsafe no-IOMMU mode if the "
						     "device needs it (no DMA isolation, "
						     "taints the kernel)",
						     0 },
						   { 0 } };

static const struct argp bind_argp = {
	.options = bind_options,
	.parser = parse_opt,
	.args_doc = "BDF",
	.doc = "Bind a PCI device to vfio-pci with driver_override, remembering its driver.",
};

static const struct argp unbind_argp = {
	.parser = parse_opt,
	.args_doc = "BDF",
	.doc = "Unbind a PCI device from vfio-pci and give it back the driver it had before "
	       "'vfiobarctl bind'.",
};

/* ---- the record of the previous driver ---- */

struct prev_state {
	bool known;
	char driver[64], override[64];
};

static int state_write(const char *bdf, const struct du_pci_dev *d)
{
	_cleanup_free_ char *run = du_path("/run");
	_cleanup_free_ char *dir = du_path(STATE_DIR);
	_cleanup_free_ char *path = du_path(STATE_DIR "/%s", bdf);
	FILE *fp;

	if ((mkdir(run, 0755) && errno != EEXIST) || (mkdir(dir, 0755) && errno != EEXIST))
		return -errno;
	fp = fopen(path, "we");
	if (!fp)
		return -errno;
	fprintf(fp, "driver=%s\noverride=%s\n", d->driver, d->driver_override);
	return fclose(fp) ? -errno : 0;
}

static void state_read(const char *bdf, struct prev_state *st)
{
	_cleanup_free_ char *text = NULL;
	char *line, *save = NULL;

	memset(st, 0, sizeof(*st));
	if (du_path_read_str(&text, STATE_DIR "/%s", bdf))
		return;
	st->known = true;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "driver=", 7))
			snprintf(st->driver, sizeof(st->driver), "%s", line + 7);
		else if (!strncmp(line, "override=", 9))
			snprintf(st->override, sizeof(st->override), "%s", line + 9);
	}
}

static void state_remove(const char *bdf)
{
	_cleanup_free_ char *path = du_path(STATE_DIR "/%s", bdf);

	unlink(path);
}

/* ---- helpers ---- */

static int read_device(const char *bdf, struct du_pci_dev *d)
{
	int r = du_pci_read(bdf, d);

	if (r == -ENODEV)
		du_report(ENODEV, "%s: no such PCI device", bdf);
	else if (r)
		du_report(-r, "%s: cannot read the device from sysfs", bdf);
	return r ? DU_EXIT_FAILURE : 0;
}

static int write_dev(const char *bdf, const char *attr, const char *value)
{
	int r = du_pci_write_dev_attr(bdf, attr, value);

	if (r)
		du_report(-r, "%s: cannot write %s", bdf, attr);
	return r;
}

static int write_driver(const char *bdf, const char *driver, const char *attr)
{
	int r = du_pci_write_driver_attr(driver, attr, bdf);

	if (r)
		du_report(-r, "%s: cannot %s driver %s", bdf, attr, driver);
	return r;
}

static int write_probe(const char *bdf)
{
	int r = du_pci_write_bus_attr("drivers_probe", bdf);

	/* Without any matching driver the kernel may answer ENODEV: not an error here. */
	if (r && r != -ENODEV) {
		du_report(-r, "%s: cannot write /sys/bus/pci/drivers_probe", bdf);
		return r;
	}
	return 0;
}

static bool has_cap_sys_rawio(void)
{
	_cleanup_free_ char *status = NULL;
	unsigned long long eff;
	const char *p;

	if (du_path_read_str(&status, "/proc/self/status"))
		return false;
	p = strstr(status, "\nCapEff:");
	if (!p || sscanf(p + 8, "%llx", &eff) != 1)
		return false;
	return eff & (1ULL << 17); /* CAP_SYS_RAWIO */
}

/* No IOMMU group: vfio-pci only takes the device in noiommu mode. */
static int check_noiommu(const struct bind_args *a)
{
	_cleanup_free_ char *v = NULL;
	const char *param = "/sys/module/vfio/parameters/enable_unsafe_noiommu_mode";
	int r = du_path_read_str(&v, "%s", param);

	if (r) {
		du_report(0,
			  "%s: the device is not behind an IOMMU and this kernel has no vfio "
			  "no-IOMMU mode (CONFIG_VFIO_NOIOMMU)",
			  a->bdf);
		return DU_EXIT_NOFEATURE;
	}
	if (streq(v, "Y"))
		return 0;
	if (!a->enable_noiommu) {
		du_report(0,
			  "%s: the device is not behind an IOMMU: vfio-pci takes it only in the "
			  "unsafe no-IOMMU mode (no DMA isolation, taints the kernel); use "
			  "--enable-noiommu or boot with vfio.enable_unsafe_noiommu_mode=1",
			  a->bdf);
		return DU_EXIT_NOFEATURE;
	}
	r = du_sysfs_write(param, "Y");
	if (r) {
		du_report(-r, "%s: cannot enable no-IOMMU mode", param);
		return DU_EXIT_FAILURE;
	}
	return 0;
}

static void print_bound(const struct du_pci_dev *d, const char *was)
{
	char node[64];

	du_pci_vfio_node(d, node, sizeof(node));
	printf("%s: bound to vfio-pci (was: %s), group %d%s, %s%s\n", d->bdf,
	       was[0] ? was : "no driver", d->iommu_group, d->noiommu ? " (noiommu)" : "", node,
	       d->noiommu && !has_cap_sys_rawio() ? "; opening it needs CAP_SYS_RAWIO" : "");
}

/* Put the device back where it was after a failed bind. */
static void rollback(const struct du_pci_dev *old)
{
	du_pci_write_dev_attr(old->bdf, "driver_override",
			      old->driver_override[0] ? old->driver_override : "\n");
	if (old->driver[0])
		du_pci_write_driver_attr(old->driver, "bind", old->bdf);
	state_remove(old->bdf);
}

static int bind_run(int argc, char **argv)
{
	struct bind_args a = { 0 };
	struct du_pci_dev d, now;
	int r;

	argp_parse(&bind_argp, argc, argv, 0, NULL, &a);
	r = read_device(a.bdf, &d);
	if (r)
		return r;
	if (streq(d.driver, "vfio-pci")) {
		printf("%s: already bound to vfio-pci\n", a.bdf);
		return DU_EXIT_SUCCESS;
	}
	if (!du_pci_driver_exists("vfio-pci")) {
		du_report(0, "%s: no vfio-pci driver registered (modprobe vfio-pci)", a.bdf);
		return DU_EXIT_NOFEATURE;
	}
	if (d.iommu_group < 0) {
		r = check_noiommu(&a);
		if (r)
			return r;
	}
	r = state_write(a.bdf, &d);
	if (r) {
		du_report(-r, "%s/%s: cannot record the previous driver", STATE_DIR, a.bdf);
		return DU_EXIT_FAILURE;
	}
	if (write_dev(a.bdf, "driver_override", "vfio-pci") ||
	    (d.driver[0] && write_driver(a.bdf, d.driver, "unbind")) || write_probe(a.bdf)) {
		rollback(&d);
		return DU_EXIT_FAILURE;
	}
	r = read_device(a.bdf, &now);
	if (r)
		return r;
	if (!streq(now.driver, "vfio-pci")) {
		du_report(0, "%s: vfio-pci did not take the device (driver now: %s; see dmesg)",
			  a.bdf, now.driver[0] ? now.driver : "none");
		rollback(&d);
		return DU_EXIT_FAILURE;
	}
	print_bound(&now, d.driver);
	return DU_EXIT_SUCCESS;
}

static int check_not_in_use(const struct du_pci_dev *d)
{
	char node[64], comm[64];
	pid_t pids[4];
	size_t n;

	du_pci_vfio_node(d, node, sizeof(node));
	if (!node[0])
		return 0;
	n = du_vfio_node_holders(node, pids, ARRAY_SIZE(pids));
	if (!n)
		return 0;
	du_proc_comm(pids[0], comm, sizeof(comm));
	du_report(EBUSY, "%s: in use: %s is held open by pid %d (%s)%s; stop it first", d->bdf,
		  node, (int)pids[0], comm, n > 1 ? " and others" : "");
	return DU_EXIT_FAILURE;
}

static int unbind_run(int argc, char **argv)
{
	struct bind_args a = { 0 };
	struct prev_state st;
	struct du_pci_dev d, now;
	int r;

	argp_parse(&unbind_argp, argc, argv, 0, NULL, &a);
	r = read_device(a.bdf, &d);
	if (r)
		return r;
	if (!streq(d.driver, "vfio-pci")) {
		du_report(EINVAL, "%s: not bound to vfio-pci (driver: %s)", a.bdf,
			  d.driver[0] ? d.driver : "none");
		return DU_EXIT_FAILURE;
	}
	r = check_not_in_use(&d);
	if (r)
		return r;
	state_read(a.bdf, &st);
	if (write_driver(a.bdf, "vfio-pci", "unbind") ||
	    write_dev(a.bdf, "driver_override", st.override[0] ? st.override : "\n"))
		return DU_EXIT_FAILURE;
	if (st.known && st.driver[0]) {
		/* The old driver may refuse a direct bind; let the kernel probe then. */
		if (du_pci_write_driver_attr(st.driver, "bind", a.bdf) && write_probe(a.bdf))
			return DU_EXIT_FAILURE;
	} else if (!st.known && write_probe(a.bdf)) {
		return DU_EXIT_FAILURE;
	}
	state_remove(a.bdf);
	r = read_device(a.bdf, &now);
	if (r)
		return r;
	if (st.known && st.driver[0] && !streq(now.driver, st.driver)) {
		du_report(0, "%s: unbound from vfio-pci, but %s did not take it back (driver: %s)",
			  a.bdf, st.driver, now.driver[0] ? now.driver : "none");
		return DU_EXIT_FAILURE;
	}
	printf("%s: unbound from vfio-pci, driver now: %s\n", a.bdf,
	       now.driver[0] ? now.driver : "none");
	return DU_EXIT_SUCCESS;
}

const struct du_cmd cmd_bind = {
	"bind",
	bind_run,
	"bind a device to vfio-pci (driver_override)",
};

const struct du_cmd cmd_unbind = {
	"unbind",
	unbind_run,
	"give a device back to the driver it had before",
};
