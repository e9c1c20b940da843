// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dmaheap-selinux-policy: carry the binary SELinux policy of the dma-heap
 * charge_to test (tests/vm/selinux/dmaheap.conf, compiled on the host by
 * checkpolicy at build time) into the guest, whose initramfs only takes
 * executables from the build tree.
 *
 *   dmaheap-selinux-policy [FILE]
 *
 * writes the policy to FILE (e.g. /sys/fs/selinux/load) or to stdout, in a
 * single write(2): selinuxfs only accepts a policy written at offset 0 in one
 * piece.  Exit status 0 on success, 1 with a message on failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef DMAHEAP_POLICY_FILE
#error "DMAHEAP_POLICY_FILE must name the compiled policy"
#endif

extern const unsigned char dmaheap_policy_start[];
extern const unsigned char dmaheap_policy_end[];

__asm__(".section .rodata\n"
	".balign 8\n"
	".global dmaheap_policy_start\n"
	"dmaheap_policy_start:\n"
	".incbin \"" DMAHEAP_POLICY_FILE "\"\n"
	".global dmaheap_policy_end\n"
	"dmaheap_policy_end:\n"
	".previous\n");

int main(int argc, char **argv)
{
	size_t len = (size_t)(dmaheap_policy_end - dmaheap_policy_start);
	const char *path = argc > 1 ? argv[1] : NULL;
	int fd = STDOUT_FILENO;
	ssize_t n;

	if (argc > 2) {
		fprintf(stderr, "usage: dmaheap-selinux-policy [FILE]\n");
		return 2;
	}
	if (path) {
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "dmaheap-selinux-policy: %s: %s\n", path, strerror(errno));
			return 1;
		}
	}
	n = write(fd, dmaheap_policy_start, len);
	if (n != (ssize_t)len) {
		fprintf(stderr, "dmaheap-selinux-policy: %s: %s\n", path ? path : "stdout",
			n < 0 ? strerror(errno) : "short write");
		return 1;
	}
	if (path && close(fd) < 0) {
		fprintf(stderr, "dmaheap-selinux-policy: %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}
