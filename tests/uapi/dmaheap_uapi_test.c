// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The dma-heap uapi this project builds against (include/uapi/linux/dma-heap.h,
 * installed by kernel/patches/0042) must stay byte-identical to the seed
 * series: struct dma_heap_allocation_data grew from 24 to 32 bytes by
 * appending charge_pid_fd and __padding, which changes the value of
 * DMA_HEAP_IOCTL_ALLOC.  Binaries built against the 24-byte layout keep
 * working because the kernel dispatches on the ioctl number alone and
 * zero-fills what a shorter struct does not carry; that only holds if the
 * old fields keep their offsets.  Everything here is checked at compile
 * time; the program itself only reports the values.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/dma-heap.h>
#include <linux/ioctl.h>

#include "dmaheap_alloc24.h"

#define DATA struct dma_heap_allocation_data
#define DATA24 struct dma_heap_allocation_data_24

/* Field F of the 32-byte struct sits at OFF and is SIZE bytes. */
#define FIELD(f, off, size)                                                                        \
	_Static_assert(offsetof(DATA, f) == (off) && sizeof(((DATA *)0)->f) == (size),             \
		       #f " at offset " #off ", " #size " bytes")
/* ... and where the 24-byte struct has it: its fields did not move. */
#define OLD_FIELD(f) _Static_assert(offsetof(DATA, f) == offsetof(DATA24, f), #f " did not move")

_Static_assert(sizeof(DATA) == 32, "struct dma_heap_allocation_data is 32 bytes");
_Static_assert(sizeof(DATA24) == 24, "the old struct is 24 bytes");

FIELD(len, 0, 8);
FIELD(fd, 8, 4);
FIELD(fd_flags, 12, 4);
FIELD(heap_flags, 16, 8);
FIELD(charge_pid_fd, 24, 4);
FIELD(__padding, 28, 4);

OLD_FIELD(len);
OLD_FIELD(fd);
OLD_FIELD(fd_flags);
OLD_FIELD(heap_flags);

_Static_assert(DMA_HEAP_IOC_MAGIC == 'H', "ioctl magic");
_Static_assert(DMA_HEAP_IOCTL_ALLOC == 0xc0204800u, "ALLOC, 32-byte struct");
_Static_assert(DMA_HEAP_IOCTL_ALLOC_24 == 0xc0184800u, "ALLOC, 24-byte struct");
_Static_assert(_IOC_DIR(DMA_HEAP_IOCTL_ALLOC) == (_IOC_READ | _IOC_WRITE), "ioctl direction");
_Static_assert(_IOC_TYPE(DMA_HEAP_IOCTL_ALLOC) == 'H', "ioctl type");
/* The kernel dispatches on the number alone, so both sizes reach it. */
_Static_assert(_IOC_NR(DMA_HEAP_IOCTL_ALLOC) == 0, "ioctl number");
_Static_assert(_IOC_NR(DMA_HEAP_IOCTL_ALLOC_24) == 0, "ioctl number, old struct");
_Static_assert(_IOC_SIZE(DMA_HEAP_IOCTL_ALLOC) == 32, "ioctl size");
_Static_assert(_IOC_SIZE(DMA_HEAP_IOCTL_ALLOC_24) == 24, "ioctl size, old struct");

_Static_assert(DMA_HEAP_VALID_FD_FLAGS == (O_CLOEXEC | O_ACCMODE), "valid fd flags");
_Static_assert(DMA_HEAP_VALID_HEAP_FLAGS == 0, "no heap flags");

int main(void)
{
	printf("DMA_HEAP_IOCTL_ALLOC 0x%08x (%zu bytes), 24-byte layout 0x%08x\n",
	       (unsigned int)DMA_HEAP_IOCTL_ALLOC, sizeof(DATA),
	       (unsigned int)DMA_HEAP_IOCTL_ALLOC_24);
	printf("charge_pid_fd at %zu, __padding at %zu\n", offsetof(DATA, charge_pid_fd),
	       offsetof(DATA, __padding));
	return 0;
}
