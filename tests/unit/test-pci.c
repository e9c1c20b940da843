// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for common/pci.c and the sysfs side of common/vfio.c, against
 * the fake /sys and /proc in fixtures/vfio (copied to a temporary directory,
 * since the write helpers write into it).
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "pci.h"
#include "procfs.h"
#include "tap.h"
#include "vfio.h"

static void test_parse_bdf(void)
{
	static const char *const bad[] = { "",		"00:03",    "00:03.8",		"00:20.0",
					   "0:0:0:0.0", "g0:03.0",  "00:03.0 ",		"000:03.0",
					   "00:003.0",	"00:03.00", "123456789:00:03.0" };
	char out[DU_BDF_LEN];

	CHECK_INT(0, du_pci_parse_bdf("0000:00:03.0", out), "full address");
	CHECK_STR("0000:00:03.0", out, "kept as it is");
	CHECK_INT(0, du_pci_parse_bdf("00:05.0", out), "without domain");
	CHECK_STR("0000:00:05.0", out, "domain 0 added");
	CHECK_INT(0, du_pci_parse_bdf("0:5.1", out), "short fields");
	CHECK_STR("0000:00:05.1", out, "fields zero-padded");
	CHECK_INT(0, du_pci_parse_bdf("10000:AB:1f.7", out), "VMD domain, upper-case hex");
	CHECK_STR("10000:ab:1f.7", out, "lower-cased");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char what[64];

		snprintf(what, sizeof(what), "\"%s\" is rejected", bad[i]);
		CHECK_INT(-EINVAL, du_pci_parse_bdf(bad[i], out), what);
	}
}

static void test_read(void)
{
	struct du_pci_dev d;
	char node[64];

	CHECK_INT(0, du_pci_read("0000:00:03.0", &d), "edu reads");
	CHECK_INT(0x1234, d.vendor, "edu vendor");
	CHECK_INT(0x11e8, d.device, "edu device");
	CHECK_INT(0x00ff00, d.class_code, "edu class");
	CHECK_STR("vfio-pci", d.driver, "edu driver from the driver link");
	CHECK_STR("vfio-pci", d.driver_override, "edu driver_override");
	CHECK_INT(0, d.iommu_group, "edu group from the iommu_group link");
	CHECK(d.noiommu);
	CHECK_U64(0xfea00000, d.bars[0].start, "BAR0 start");
	CHECK_U64(1 << 20, d.bars[0].size, "BAR0 is 1 MiB");
	CHECK_STR("mem32", du_pci_bar_type(&d.bars[0]), "BAR0 type");
	CHECK(du_pci_bar_is_mem(&d.bars[0]));
	CHECK_U64(0, d.bars[1].size, "BAR1 not implemented");
	CHECK_STR("", du_pci_bar_type(&d.bars[1]), "no type for an absent BAR");
	du_pci_vfio_node(&d, node, sizeof(node));
	CHECK_STR("/dev/vfio/noiommu-0", node, "noiommu node name");

	CHECK_INT(0, du_pci_read("0000:00:05.0", &d), "ivshmem reads");
	CHECK_STR("", d.driver, "no driver");
	CHECK_STR("", d.driver_override, "(null) override is empty");
	CHECK_INT(-1, d.iommu_group, "no group");
	CHECK_U64(256, d.bars[0].size, "256-byte BAR0");
	CHECK_U64(1 << 20, d.bars[2].size, "1 MiB BAR2");
	CHECK_STR("mem64-pref", du_pci_bar_type(&d.bars[2]), "BAR2 type");
	du_pci_vfio_node(&d, node, sizeof(node));
	CHECK_STR("", node, "no node without a group");

	CHECK_INT(0, du_pci_read("0000:00:01.1", &d), "IDE reads");
	CHECK_STR("io", du_pci_bar_type(&d.bars[4]), "I/O BAR4");
	CHECK(!du_pci_bar_is_mem(&d.bars[4]));
	CHECK_U64(16, d.bars[4].size, "16 ports");

	CHECK_INT(-ENODEV, du_pci_read("0000:00:09.0", &d), "absent device");
}

static int count_dev(const struct du_pci_dev *d, void *arg)
{
	char *order = arg;

	strcat(order, d->bdf + 8);
	strcat(order, " ");
	return 0;
}

static int stop_at_edu(const struct du_pci_dev *d, void *arg)
{
	(void)arg;
	return d->device == 0x11e8 ? 42 : 0;
}

static void test_foreach(void)
{
	char order[256] = "";
	size_t n;
	char **devs;

	CHECK_INT(0, du_pci_foreach(count_dev, order), "foreach runs");
	CHECK_STR("00.0 01.1 02.0 03.0 04.0 05.0 ", order, "every device, in address order");
	CHECK_INT(42, du_pci_foreach(stop_at_edu, NULL), "foreach stops with the callback's value");
	devs = du_pci_group_devices(0, &n);
	CHECK(devs != NULL);
	CHECK_INT(1, (long long)n, "group 0 has one device");
	CHECK_STR("0000:00:03.0", devs ? devs[0] : NULL, "and it is edu");
	du_pci_free_list(devs, n);
	CHECK(du_pci_group_devices(7, &n) == NULL);
	CHECK(du_pci_driver_exists("vfio-pci"));
	CHECK(!du_pci_driver_exists("nouveau"));
}

static void test_write(void)
{
	_cleanup_free_ char *text = NULL;

	CHECK_INT(0, du_pci_write_dev_attr("0000:00:05.0", "driver_override", "vfio-pci"),
		  "driver_override written");
	CHECK_INT(0, du_path_read_str(&text, "/sys/bus/pci/devices/0000:00:05.0/driver_override"),
		  "read back");
	CHECK_STR("vfio-pci", text, "the value landed");
	free(text);
	text = NULL;
	CHECK_INT(0, du_pci_write_driver_attr("vfio-pci", "bind", "0000:00:05.0"), "bind written");
	CHECK_INT(0, du_path_read_str(&text, "/sys/bus/pci/drivers/vfio-pci/bind"), "read back");
	CHECK_STR("0000:00:05.0", text, "bind got the address");
	CHECK_INT(0, du_pci_write_bus_attr("drivers_probe", "0000:00:05.0"), "drivers_probe");
	CHECK_INT(0, du_sysfs_write("/sys/module/vfio/parameters/enable_unsafe_noiommu_mode", "N"),
		  "module parameter");
	CHECK_INT(-ENOENT, du_pci_write_driver_attr("nouveau", "bind", "0000:00:05.0"),
		  "absent driver: ENOENT");
}

static void test_vfio_sysfs(void)
{
	struct du_vfio_dev d;
	pid_t pids[4] = { 0 };

	CHECK_INT(2, (long long)du_vfio_node_holders("/dev/vfio/noiommu-0", pids, 4),
		  "two processes hold the group");
	CHECK(pids[0] + pids[1] == 4242 + 4444);
	CHECK_INT(0, (long long)du_vfio_node_holders("/dev/vfio/7", pids, 4), "nobody holds 7");
	CHECK_INT(1, du_vfio_open("0000:00:05.0", &d), "unbound device fails");
	CHECK(strstr(d.error, "not bound to vfio-pci (driver: none)") != NULL);
	CHECK(strstr(d.error, "vfiobarctl bind 0000:00:05.0") != NULL);
	CHECK_INT(1, du_vfio_open("0000:00:09.0", &d), "absent device fails");
	CHECK_STR("0000:00:09.0: no such PCI device", d.error, "and says so");
	CHECK_INT(ENODEV, d.error_errno, "with ENODEV");
	CHECK(d.container == -1 && d.group == -1 && d.device == -1);
	CHECK_STR("BAR2", du_vfio_region_name(2), "region names");
	CHECK_STR("CONFIG", du_vfio_region_name(7), "config region");
	CHECK_STR("", du_vfio_region_name(9), "device-specific region");
}

int main(int argc, char **argv)
{
	char tmpl[] = "/tmp/test-pci.XXXXXX", cmd[512];

	if (argc != 2 || !mkdtemp(tmpl))
		return 2;
	snprintf(cmd, sizeof(cmd), "cp -a '%s'/. '%s'/", argv[1], tmpl);
	if (system(cmd))
		return 2;
	du_path_set_root(tmpl);
	test_parse_bdf();
	test_read();
	test_foreach();
	test_write();
	test_vfio_sysfs();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
	if (system(cmd))
		return 2;
	return tap_done();
}
