import { type TTask, taskFieldDefaults } from "@tandem/contracts";

/** A task as the API returns it, for tests of pure logic (no database): override what matters. */
export function taskFixture(overrides: Partial<TTask> & Pick<TTask, "id">): TTask {
  return {
    orgId: "org_test",
    projectId: "prj_test",
    stateId: "wst_test",
    number: 1,
    key: overrides.id.toUpperCase(),
    title: overrides.id,
    ...taskFieldDefaults(),
    visibility: "private",
    rank: "a0",
    version: 1,
    createdBy: null,
    updatedBy: null,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    ...overrides,
  };
}
