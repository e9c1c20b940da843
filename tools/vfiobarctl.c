// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vfiobarctl - export vfio-pci BAR ranges as DMABUFs, map, vend and revoke them.
 *
 * The command table; each command lives in tools/vfiobarctl/<command>.c and
 * the features table in tools/vfiobarctl/features.c.
 */
#include "c.h"
#include "cmd.h"
#include "vfiobarctl/vfiobarctl.h"

static const struct du_cmd *const commands[] = {
	&cmd_list,  &cmd_bind,	 &cmd_unbind,  &cmd_info,   &cmd_read, &cmd_write,
	&cmd_serve, &cmd_export, &cmd_exports, &cmd_revoke, &cmd_maps,
};

int main(int argc, char **argv)
{
	const struct du_tool tool = {
		.name = "vfiobarctl",
		.summary = "Export vfio-pci BAR ranges as DMABUFs, map, vend and revoke them.",
		.cmds = commands,
		.ncmds = ARRAY_SIZE(commands),
		.features = vb_features,
		.nfeatures = vb_nfeatures,
	};

	return du_tool_main(&tool, argc, argv);
}
