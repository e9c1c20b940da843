// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vfio-dropcap - run a command as root but without CAP_SYS_RAWIO, to test
 * what vfiobarctl says when a noiommu group refuses to open.
 *
 *   vfio-dropcap CMD [ARG...]
 *
 * Dropping the capability from the bounding set keeps it out of the
 * permitted set root gets at exec (busybox setpriv cannot do that).
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: vfio-dropcap CMD [ARG...]\n");
		return 2;
	}
	if (prctl(PR_CAPBSET_DROP, CAP_SYS_RAWIO, 0, 0, 0)) {
		fprintf(stderr, "vfio-dropcap: PR_CAPBSET_DROP: %s\n", strerror(errno));
		return 1;
	}
	execvp(argv[1], argv + 1);
	fprintf(stderr, "vfio-dropcap: %s: %s\n", argv[1], strerror(errno));
	return 127;
}
