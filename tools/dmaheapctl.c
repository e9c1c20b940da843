// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dmaheapctl - list dma-heaps, allocate from them (optionally charged to
 * another process's memory cgroup) and audit dma-buf memory.
 *
 * One file per command in tools/dmaheapctl/; this file is the table.
 */
#include "dmaheapctl/dmaheapctl.h"
#include "err.h"

static const struct du_cmd *const commands[] = {
	&cmd_list,
	&cmd_alloc,
	&cmd_audit,
};

static const struct du_tool tool = {
	.name = "dmaheapctl",
	.summary = "List dma-heaps, allocate buffers charged to a cgroup, audit dma-buf memory.",
	.cmds = commands,
	.ncmds = ARRAY_SIZE(commands),
	.features = dh_features,
	.nfeatures = DH_NFEATURES,
};

int main(int argc, char **argv)
{
	return du_tool_main(&tool, argc, argv);
}
