import type { TUpdateOrgInput } from "@tandem/contracts";
import { defaultProject, lockProject, updateProjectRow } from "@tandem/database";
import type { TxCtx } from "./context.ts";
import { toProjectDto } from "./projects/mappers.ts";
import { recordEvent } from "./record-event.ts";

/**
 * Clients from before projects publish "the org's board" with the org's `publicBoard` and
 * `publicFields`; that board is now the first project's. Turning the org's switch on publishes
 * the first project too, and the org's fields become its fields (with its UPDATE_PROJECT).
 * Turning the switch off leaves the projects alone: no board of the org shows while it is off.
 * Call it before appending any event (project lock, then the org's counter, as every writer).
 */
export async function mirrorLegacyPublicSettings(ctx: TxCtx, input: TUpdateOrgInput): Promise<void> {
  const values = {
    ...(input.publicBoard === true ? { publicBoard: true } : {}),
    ...(input.publicFields !== undefined ? { publicFields: [...input.publicFields] } : {}),
  };
  if (Object.keys(values).length === 0) return;
  const first = await defaultProject(ctx.tx, { orgId: ctx.org.id });
  if (!first || !(await lockProject(ctx.tx, { orgId: ctx.org.id, ref: { id: first.id } }))) return;
  const row = await updateProjectRow(ctx.tx, { orgId: ctx.org.id, id: first.id, values });
  if (row) await recordEvent(ctx, { type: "UPDATE_PROJECT", payload: { project: toProjectDto(row) } });
}
