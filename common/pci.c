// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pci.c - PCI devices as sysfs shows them.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>

#include "c.h"
#include "parse.h"
#include "pci.h"
#include "procfs.h"

/* Parse exactly @ndigits (or up to @ndigits when @exact is false) hex digits. */
static const char *parse_hex(const char *s, size_t maxdigits, bool exact, unsigned long *out)
{
	unsigned long v = 0;
	size_t n = 0;

	while (n < maxdigits && isxdigit((unsigned char)s[n])) {
		char c = tolower((unsigned char)s[n]);

		v = v * 16 + (unsigned long)(isdigit((unsigned char)c) ? c - '0' : c - 'a' + 10);
		n++;
	}
	if (!n || (exact && n != maxdigits) || isxdigit((unsigned char)s[n]))
		return NULL;
	*out = v;
	return s + n;
}

int du_pci_parse_bdf(const char *s, char out[DU_BDF_LEN])
{
	unsigned long domain = 0, bus, dev, fn;
	const char *p = s, *colon1, *colon2;

	colon1 = strchr(s, ':');
	colon2 = colon1 ? strchr(colon1 + 1, ':') : NULL;
	if (colon2) {
		p = parse_hex(p, 8, false, &domain);
		if (!p || *p++ != ':')
			return -EINVAL;
	}
	p = parse_hex(p, 2, false, &bus);
	if (!p || *p++ != ':')
		return -EINVAL;
	p = parse_hex(p, 2, false, &dev);
	if (!p || *p++ != '.' || dev > 0x1f)
		return -EINVAL;
	if (!isdigit((unsigned char)*p) || p[1] || *p > '7')
		return -EINVAL;
	fn = (unsigned long)(*p - '0');
	snprintf(out, DU_BDF_LEN, "%04lx:%02lx:%02lx.%lu", domain, bus, dev, fn);
	return 0;
}

/* Basename of the symlink /sys/bus/pci/devices/BDF/LINK into @buf; 0 or -errno. */
static int read_link_base(const char *bdf, const char *link, char *buf, size_t len)
{
	_cleanup_free_ char *path = du_path("/sys/bus/pci/devices/%s/%s", bdf, link);
	char target[4096];
	const char *base;
	ssize_t n;

	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) >= len)
		return -ENAMETOOLONG;
	strcpy(buf, base);
	return 0;
}

static int read_hex_attr(const char *bdf, const char *attr, uint64_t *v)
{
	return du_path_read_u64(v, "/sys/bus/pci/devices/%s/%s", bdf, attr);
}

static int read_bars(const char *bdf, struct du_pci_bar *bars)
{
	_cleanup_free_ char *text = NULL;
	const char *line;
	int r;

	r = du_path_read_str(&text, "/sys/bus/pci/devices/%s/resource", bdf);
	if (r)
		return r;
	line = text;
	for (int i = 0; i < DU_PCI_NUM_BARS && line && *line; i++) {
		unsigned long long start, end, flags;

		if (sscanf(line, "%llx %llx %llx", &start, &end, &flags) != 3)
			return -EINVAL;
		bars[i].start = start;
		bars[i].flags = flags;
		bars[i].size = end > start ? end - start + 1 : (start || end ? 1 : 0);
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return 0;
}

int du_pci_read(const char *bdf, struct du_pci_dev *d)
{
	_cleanup_free_ char *dir = du_path("/sys/bus/pci/devices/%s", bdf);
	_cleanup_free_ char *override = NULL, *gname = NULL;
	uint64_t v;
	char group[32];
	int r;

	memset(d, 0, sizeof(*d));
	if (access(dir, F_OK))
		return errno == ENOENT ? -ENODEV : -errno;
	snprintf(d->bdf, sizeof(d->bdf), "%s", bdf);
	r = read_hex_attr(bdf, "vendor", &v);
	if (r)
		return r;
	d->vendor = (uint16_t)v;
	r = read_hex_attr(bdf, "device", &v);
	if (r)
		return r;
	d->device = (uint16_t)v;
	if (!read_hex_attr(bdf, "class", &v))
		d->class_code = (uint32_t)v;
	if (read_link_base(bdf, "driver", d->driver, sizeof(d->driver)))
		d->driver[0] = '\0';
	if (!du_path_read_str(&override, "/sys/bus/pci/devices/%s/driver_override", bdf) &&
	    !streq(override, "(null)"))
		snprintf(d->driver_override, sizeof(d->driver_override), "%s", override);
	d->iommu_group = -1;
	if (!read_link_base(bdf, "iommu_group", group, sizeof(group)) &&
	    !du_parse_nonneg_int(group, &d->iommu_group) &&
	    !du_path_read_str(&gname, "/sys/kernel/iommu_groups/%d/name", d->iommu_group))
		d->noiommu = streq(gname, "vfio-noiommu");
	return read_bars(bdf, d->bars);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted entries of directory @path that are not dot files; NULL with errno. */
static char **list_dir(const char *path, size_t *n)
{
	struct dirent *de;
	char **names = NULL;
	DIR *dir;

	*n = 0;
	dir = opendir(path);
	if (!dir)
		return NULL;
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		names = xrealloc(names, (*n + 1) * sizeof(*names));
		names[(*n)++] = xstrdup(de->d_name);
	}
	closedir(dir);
	if (*n)
		qsort(names, *n, sizeof(*names), cmp_str);
	else
		names = xcalloc(1, sizeof(*names));
	return names;
}

void du_pci_free_list(char **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

int du_pci_foreach(int (*fn)(const struct du_pci_dev *dev, void *arg), void *arg)
{
	_cleanup_free_ char *path = du_path("/sys/bus/pci/devices");
	size_t n;
	char **names = list_dir(path, &n);
	int r = 0;

	if (!names)
		return -errno;
	for (size_t i = 0; i < n && !r; i++) {
		struct du_pci_dev d;

		/* A device that vanished (hot unplug) or is unreadable is skipped. */
		if (du_pci_read(names[i], &d))
			continue;
		r = fn(&d, arg);
	}
	du_pci_free_list(names, n);
	return r;
}

char **du_pci_group_devices(int group, size_t *n)
{
	_cleanup_free_ char *path = du_path("/sys/kernel/iommu_groups/%d/devices", group);

	return list_dir(path, n);
}

const char *du_pci_bar_type(const struct du_pci_bar *bar)
{
	if (!bar->size)
		return "";
	if (bar->flags & DU_IORESOURCE_IO)
		return "io";
	if (!(bar->flags & DU_IORESOURCE_MEM))
		return "?";
	if (bar->flags & DU_IORESOURCE_MEM_64)
		return bar->flags & DU_IORESOURCE_PREFETCH ? "mem64-pref" : "mem64";
	return bar->flags & DU_IORESOURCE_PREFETCH ? "mem32-pref" : "mem32";
}

void du_pci_vfio_node(const struct du_pci_dev *dev, char *buf, size_t len)
{
	if (dev->iommu_group < 0)
		snprintf(buf, len, "%s", "");
	else
		snprintf(buf, len, "/dev/vfio/%s%d", dev->noiommu ? "noiommu-" : "",
			 dev->iommu_group);
}

bool du_pci_driver_exists(const char *name)
{
	_cleanup_free_ char *path = du_path("/sys/bus/pci/drivers/%s", name);

	return access(path, F_OK) == 0;
}

static int write_attr(const char *path, const char *value)
{
	size_t len = strlen(value);
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, value, len);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

int du_pci_write_dev_attr(const char *bdf, const char *attr, const char *value)
{
	_cleanup_free_ char *path = du_path("/sys/bus/pci/devices/%s/%s", bdf, attr);

	return write_attr(path, value);
}

int du_pci_write_driver_attr(const char *driver, const char *attr, const char *value)
{
	_cleanup_free_ char *path = du_path("/sys/bus/pci/drivers/%s/%s", driver, attr);

	return write_attr(path, value);
}

int du_pci_write_bus_attr(const char *attr, const char *value)
{
	_cleanup_free_ char *path = du_path("/sys/bus/pci/%s", attr);

	return write_attr(path, value);
}

int du_sysfs_write(const char *path, const char *value)
{
	_cleanup_free_ char *full = du_path("%s", path);

	return write_attr(full, value);
}
