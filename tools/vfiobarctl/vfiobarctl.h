/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vfiobarctl.h - what the vfiobarctl commands share: range specs, DMABUF
 * names, opening a device with its DMABUF capabilities, explaining a failed
 * export, and the primary/subordinate protocol.
 */
#ifndef VFIOBARCTL_H
#define VFIOBARCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cmd.h"
#include "feature.h"
#include "pci.h"
#include "vfio.h"

extern const struct du_cmd cmd_list, cmd_bind, cmd_unbind, cmd_info, cmd_read, cmd_write, cmd_serve,
	cmd_export, cmd_exports, cmd_revoke, cmd_maps;

/* The features table; rows VB_FIRST_CAP_FEATURE + enum du_vfio_cap are the device's DMABUF ones. */
extern const struct du_feature vb_features[];
extern const size_t vb_nfeatures;
#define VB_FIRST_CAP_FEATURE 3

/* Canonical BDF of a command-line argument; usage error (exit 2) if malformed. */
void vb_arg_bdf(const char *arg, char out[DU_BDF_LEN]);

/*
 * For commands taking exactly one BDF operand: handles ARGP_KEY_ARG and
 * ARGP_KEY_NO_ARGS (a usage error each when wrong) and returns true if @key
 * was one of them.
 */
bool vb_argp_bdf(int key, const char *arg, struct argp_state *state, char bdf[DU_BDF_LEN]);

/*
 * A range spec: "BAR:OFF+LEN[,OFF+LEN...]" (a later item may repeat the
 * same "BAR:").  Offsets and lengths take size suffixes (4K, 1M) or 0x hex.
 * Nothing is checked against the device here: the kernel decides, and
 * vb_explain_export() says why it refused.
 */
struct vb_spec {
	uint32_t bar;
	size_t n;
	struct du_vfio_range *ranges;
};

/* 0, or -EINVAL with @why set to what is wrong. */
int vb_spec_parse(const char *s, struct vb_spec *spec, const char **why);
void vb_spec_free(struct vb_spec *spec);
/* "0:0x0+0x1000,0x2000+0x1000": new string. */
char *vb_spec_format(const struct vb_spec *spec);
uint64_t vb_spec_size(const struct vb_spec *spec);

const char *vb_attr_name(enum du_vfio_attr attr);

/*
 * The name vfiobarctl gives a DMABUF it exports (DMA_BUF_SET_NAME, at most
 * 31 characters): "BDF/BAR:OFF[+] ATTR", e.g. "0000:00:05.0/2:100000+ wc"
 * ('+' when more ranges follow).  The kernel names the DMABUFs behind BAR
 * mmaps of the device fd "vfioN:BDF/BAR".  Both parse back.
 */
void vb_name_format(char *buf, size_t len, const char *bdf, const struct vb_spec *spec,
		    enum du_vfio_attr attr);

struct vb_name {
	char bdf[DU_BDF_LEN];
	uint32_t bar;
	bool kernel; /* "vfioN:" form: a BAR mmap of the device fd */
	bool has_offset;
	uint64_t offset; /* BAR offset of the first range */
	bool more_ranges;
	char attr[4]; /* "uc", "wc", or "" when not named */
};

/* 0, or -EINVAL when @name is neither form. */
int vb_name_parse(const char *name, struct vb_name *n);

/* A device opened for DMABUF work. */
struct vb_device {
	struct du_vfio_dev dev;
	struct du_vfio_caps caps;
};

/* Open @bdf and probe its DMABUF capabilities; 0 or an exit code (reported). */
int vb_device_open(const char *bdf, struct vb_device *d);
void vb_device_close(struct vb_device *d);

/* Exit code for a kernel errno: 3 when it means "kernel feature missing", else 1. */
int vb_exit_for(int err);

/* Raw overrides of the export ioctl, for tests (hidden --_nr-ranges, --_flags). */
struct vb_export_raw {
	bool set_nr, set_flags;
	uint32_t nr_ranges, flags;
};

/*
 * Export @spec with @attr and name the DMABUF.  Returns the fd, or -errno
 * with @msg set to one line naming the range and why it was refused, as
 * far as the tool can tell ("BAR0 0x1+0x1000: cannot export (offset not
 * page-aligned)").
 */
int vb_export(struct vb_device *d, const struct vb_spec *spec, enum du_vfio_attr attr,
	      const struct vb_export_raw *raw, char *msg, size_t msglen);

/* Revoke with whichever mechanism the kernel has; -errno with @msg as above. */
int vb_revoke(struct vb_device *d, int dmabuf_fd, const char *what, char *msg, size_t msglen);

/* ---- exact-width accesses (mmio.c) ---- */

/*
 * Copy @count elements of @width bytes between @buf and mapped memory at
 * @base (volatile, one access per element).  0, or -EFAULT when an access
 * raised SIGBUS; *done says how many elements were moved.
 */
int vb_mmio_map_copy(volatile void *base, bool write, uint8_t *buf, uint64_t count,
		     unsigned int width, uint64_t *done);
/* The same with one pread/pwrite per element at file offset @pos; 0 or -errno. */
int vb_mmio_fd_copy(int fd, uint64_t pos, bool write, uint8_t *buf, uint64_t count,
		    unsigned int width, uint64_t *done);

/* Hex text of @n bytes into @out (2n+1 bytes); parse back: 0 or -EINVAL. */
void vb_hex_encode(const uint8_t *data, size_t n, char *out);
int vb_hex_decode(const char *hex, uint8_t *out, size_t n);

/* ---- primary/subordinate protocol (proto.c) ---- */

/*
 * One request per SOCK_SEQPACKET message, one reply each, plain text so it
 * can be read in strace:
 *   EXPORT BDF SPEC ATTR [nr=N] [flags=X]  ->  OK ID SIZE NAME  + the DMABUF fd
 *   LIST                                   ->  OK N, then N lines of TAB-separated fields
 *   REVOKE ID | REVOKE all | REVOKE fd     ->  OK COUNT NSEC   (REVOKE fd carries the fd)
 *   READ BDF BAR OFF WIDTH COUNT HOW       ->  OK HEX          (the primary's own access:
 *   WRITE BDF BAR OFF WIDTH HOW HEX        ->  OK               HOW is mmap or pread)
 * and on failure  ERR EXIT ERRNO MESSAGE.
 */
#define VB_MSG_MAX 65536
/* Most bytes one READ or WRITE request moves (its hex must fit a message). */
#define VB_ACCESS_MAX 8192

/* Connect to the primary at @path; fd or exit code (negative) after reporting. */
int vb_connect(const char *path);

/*
 * Send @req (with @fd attached unless -1) and wait up to @timeout_ns
 * (DU_DURATION_INFINITE: forever) for the reply.  On "OK" returns 0 with
 * @reply holding the text after "OK " and *rfd a received fd (or -1).  On
 * "ERR" the message is reported and its exit code returned; transport
 * errors are reported too (timeout: exit 4).
 */
int vb_request(int sock, const char *path, const char *req, int fd, int64_t timeout_ns, char *reply,
	       size_t replylen, int *rfd);

/* Tracking fields of one export in a LIST reply. */
struct vb_export_info {
	unsigned int id;
	char bdf[DU_BDF_LEN];
	char spec[512];
	char attr[4];
	uint64_t size, inode;
	int pid;
	unsigned int uid;
	char comm[64];
	char state[16]; /* active, revoked */
	int64_t created; /* CLOCK_REALTIME seconds */
};

void vb_export_info_format(const struct vb_export_info *e, char *buf, size_t len);
int vb_export_info_parse(const char *line, struct vb_export_info *e);

#endif
