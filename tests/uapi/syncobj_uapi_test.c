// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Build-time check of include/uapi/linux/syncobj.h against the /dev/syncobj
 * ABI of the seed series v1 (docs: the syncobj fact sheet, section 2): every
 * ioctl number, struct size, field offset, field type and flag value.  The
 * header is what the kernel patch "misc/syncobj: add new device" installs and
 * what syncobjctl compiles against, so a drift in either breaks this build.
 * The flag values must also equal their DRM_SYNCOBJ_* twins, which the
 * driver hands to the DRM syncobj core unchanged.
 *
 * The checks are _Static_asserts; running the program only prints the table
 * it checked.
 */
#include <stddef.h>
#include <stdio.h>

#include <linux/syncobj.h>
#include <libdrm/drm.h>

#define FIELD(type, field, off, ftype)                                                             \
	_Static_assert(offsetof(struct type, field) == (off), #type "." #field " offset");         \
	_Static_assert(__builtin_types_compatible_p(__typeof__(((struct type *)0)->field), ftype), \
		       #type "." #field " type")

#define SIZE(type, size) _Static_assert(sizeof(struct type) == (size), "sizeof(struct " #type ")")

/* Structs: field order, types and sizes (section 2, "Structs"). */
FIELD(syncobj_create_args, fd, 0, __s32);
FIELD(syncobj_create_args, flags, 4, __u32);
SIZE(syncobj_create_args, 8);

FIELD(syncobj_wait_args, fds, 0, __u64);
FIELD(syncobj_wait_args, points, 8, __u64);
FIELD(syncobj_wait_args, timeout_nsec, 16, __s64);
FIELD(syncobj_wait_args, count, 24, __u32);
FIELD(syncobj_wait_args, flags, 28, __u32);
FIELD(syncobj_wait_args, first_signaled, 32, __u32);
FIELD(syncobj_wait_args, pad, 36, __u32);
FIELD(syncobj_wait_args, deadline_nsec, 40, __u64);
SIZE(syncobj_wait_args, 48);

FIELD(syncobj_array_args, fds, 0, __u64);
FIELD(syncobj_array_args, points, 8, __u64);
FIELD(syncobj_array_args, count, 16, __u32);
FIELD(syncobj_array_args, flags, 20, __u32);
SIZE(syncobj_array_args, 24);

FIELD(syncobj_transfer_args, src_fd, 0, __s32);
FIELD(syncobj_transfer_args, dst_fd, 4, __s32);
FIELD(syncobj_transfer_args, src_point, 8, __u64);
FIELD(syncobj_transfer_args, dst_point, 16, __u64);
FIELD(syncobj_transfer_args, flags, 24, __u32);
FIELD(syncobj_transfer_args, pad, 28, __u32);
SIZE(syncobj_transfer_args, 32);

FIELD(syncobj_eventfd_args, syncobj_fd, 0, __s32);
FIELD(syncobj_eventfd_args, eventfd, 4, __s32);
FIELD(syncobj_eventfd_args, point, 8, __u64);
FIELD(syncobj_eventfd_args, flags, 16, __u32);
FIELD(syncobj_eventfd_args, pad, 20, __u32);
SIZE(syncobj_eventfd_args, 24);

FIELD(syncobj_sync_file_args, syncobj_fd, 0, __s32);
FIELD(syncobj_sync_file_args, sync_file_fd, 4, __s32);
FIELD(syncobj_sync_file_args, point, 8, __u64);
SIZE(syncobj_sync_file_args, 16);

/* ioctls: type 0xCD, numbers, directions and sizes (section 2, "ioctls"). */
_Static_assert(SYNCOBJ_IOC_BASE == 0xCD, "SYNCOBJ_IOC_BASE");

#define IOCTL(name, dir, nr, type)                                                                 \
	_Static_assert(_IOC_TYPE(name) == 0xCD, #name " type");                                    \
	_Static_assert(_IOC_NR(name) == (nr), #name " number");                                    \
	_Static_assert(_IOC_DIR(name) == (dir), #name " direction");                               \
	_Static_assert(_IOC_SIZE(name) == sizeof(struct type), #name " size")

IOCTL(SYNCOBJ_IOC_CREATE, _IOC_READ | _IOC_WRITE, 0, syncobj_create_args);
IOCTL(SYNCOBJ_IOC_WAIT, _IOC_READ | _IOC_WRITE, 1, syncobj_wait_args);
IOCTL(SYNCOBJ_IOC_RESET, _IOC_WRITE, 2, syncobj_array_args);
IOCTL(SYNCOBJ_IOC_SIGNAL, _IOC_WRITE, 3, syncobj_array_args);
IOCTL(SYNCOBJ_IOC_QUERY, _IOC_WRITE, 4, syncobj_array_args);
IOCTL(SYNCOBJ_IOC_TRANSFER, _IOC_WRITE, 5, syncobj_transfer_args);
IOCTL(SYNCOBJ_IOC_EVENTFD, _IOC_WRITE, 6, syncobj_eventfd_args);
IOCTL(SYNCOBJ_IOC_EXPORT_SYNC_FILE, _IOC_READ | _IOC_WRITE, 7, syncobj_sync_file_args);
IOCTL(SYNCOBJ_IOC_IMPORT_SYNC_FILE, _IOC_WRITE, 8, syncobj_sync_file_args);

/* The values in the fact sheet, for the architectures using asm-generic _IOC. */
#if defined(__x86_64__) || defined(__i386__) || defined(__aarch64__) || defined(__arm__) ||        \
	defined(__riscv)
_Static_assert(SYNCOBJ_IOC_CREATE == 0xC008CD00u, "SYNCOBJ_IOC_CREATE value");
_Static_assert(SYNCOBJ_IOC_WAIT == 0xC030CD01u, "SYNCOBJ_IOC_WAIT value");
_Static_assert(SYNCOBJ_IOC_RESET == 0x4018CD02u, "SYNCOBJ_IOC_RESET value");
_Static_assert(SYNCOBJ_IOC_SIGNAL == 0x4018CD03u, "SYNCOBJ_IOC_SIGNAL value");
_Static_assert(SYNCOBJ_IOC_QUERY == 0x4018CD04u, "SYNCOBJ_IOC_QUERY value");
_Static_assert(SYNCOBJ_IOC_TRANSFER == 0x4020CD05u, "SYNCOBJ_IOC_TRANSFER value");
_Static_assert(SYNCOBJ_IOC_EVENTFD == 0x4018CD06u, "SYNCOBJ_IOC_EVENTFD value");
_Static_assert(SYNCOBJ_IOC_EXPORT_SYNC_FILE == 0xC010CD07u, "SYNCOBJ_IOC_EXPORT_SYNC_FILE value");
_Static_assert(SYNCOBJ_IOC_IMPORT_SYNC_FILE == 0x4010CD08u, "SYNCOBJ_IOC_IMPORT_SYNC_FILE value");
#endif

/* Flags: the values of the fact sheet, equal to the DRM ones. */
_Static_assert(SYNCOBJ_CREATE_SIGNALED == (1 << 0), "SYNCOBJ_CREATE_SIGNALED");
_Static_assert(SYNCOBJ_WAIT_FLAGS_WAIT_ALL == (1 << 0), "SYNCOBJ_WAIT_FLAGS_WAIT_ALL");
_Static_assert(SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT == (1 << 1), "WAIT_FOR_SUBMIT");
_Static_assert(SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE == (1 << 2), "WAIT_AVAILABLE");
_Static_assert(SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE == (1 << 3), "WAIT_DEADLINE");
_Static_assert(SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED == (1 << 0), "QUERY_FLAGS_LAST_SUBMITTED");

_Static_assert(SYNCOBJ_CREATE_SIGNALED == DRM_SYNCOBJ_CREATE_SIGNALED, "== DRM");
_Static_assert(SYNCOBJ_WAIT_FLAGS_WAIT_ALL == DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL, "== DRM");
_Static_assert(SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT == DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, "== "
											     "DRM");
_Static_assert(SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE == DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE, "== "
											   "DRM");
#ifdef DRM_SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE
_Static_assert(SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE == DRM_SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE, "== DRM");
#endif
_Static_assert(SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED == DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED, "== "
											     "DRM");

int main(void)
{
	static const struct {
		const char *name;
		unsigned long value;
	} ioctls[] = {
		{ "SYNCOBJ_IOC_CREATE", SYNCOBJ_IOC_CREATE },
		{ "SYNCOBJ_IOC_WAIT", SYNCOBJ_IOC_WAIT },
		{ "SYNCOBJ_IOC_RESET", SYNCOBJ_IOC_RESET },
		{ "SYNCOBJ_IOC_SIGNAL", SYNCOBJ_IOC_SIGNAL },
		{ "SYNCOBJ_IOC_QUERY", SYNCOBJ_IOC_QUERY },
		{ "SYNCOBJ_IOC_TRANSFER", SYNCOBJ_IOC_TRANSFER },
		{ "SYNCOBJ_IOC_EVENTFD", SYNCOBJ_IOC_EVENTFD },
		{ "SYNCOBJ_IOC_EXPORT_SYNC_FILE", SYNCOBJ_IOC_EXPORT_SYNC_FILE },
		{ "SYNCOBJ_IOC_IMPORT_SYNC_FILE", SYNCOBJ_IOC_IMPORT_SYNC_FILE },
	};
	size_t i;

	for (i = 0; i < sizeof(ioctls) / sizeof(ioctls[0]); i++)
		printf("%-30s 0x%08lX\n", ioctls[i].name, ioctls[i].value);
	return 0;
}
