import type { TProject, TUpdateOrgInput } from "@tandem/contracts";
import { firstOrgProject, type ProjectRefRow, setProjectPublicSettings } from "@tandem/database";
import type { TxCtx } from "./context.ts";
import { recordEvent } from "./record-event.ts";

function toProjectEventDto(row: ProjectRefRow): TProject {
  return {
    id: row.id,
    orgId: row.orgId,
    key: row.key,
    name: row.name,
    description: row.description,
    color: row.color,
    icon: row.icon,
    archived: row.archived,
    publicBoard: row.publicBoard,
    publicFields: row.publicFields,
    position: row.position,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * Clients from before projects publish "the org's board" with the org's `publicBoard` and
 * `publicFields`; that board is now the first project's. Turning the org's switch on publishes
 * the first project too, and the org's fields become its fields (with its UPDATE_PROJECT).
 * Turning the switch off leaves the projects alone: no board of the org shows while it is off.
 */
export async function mirrorLegacyPublicSettings(ctx: TxCtx, input: TUpdateOrgInput): Promise<void> {
  const values = {
    ...(input.publicBoard === true ? { publicBoard: true } : {}),
    ...(input.publicFields !== undefined ? { publicFields: [...input.publicFields] } : {}),
  };
  if (Object.keys(values).length === 0) return;
  const first = await firstOrgProject(ctx.tx, { orgId: ctx.org.id });
  if (!first) return;
  const row = await setProjectPublicSettings(ctx.tx, { orgId: ctx.org.id, id: first.id, values });
  if (row) await recordEvent(ctx, { type: "UPDATE_PROJECT", payload: { project: toProjectEventDto(row) } });
}
