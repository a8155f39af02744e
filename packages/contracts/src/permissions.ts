import { z } from "zod";
import { ALL_PERMISSIONS, type TPermission } from "./values.ts";

export { ALL_PERMISSIONS, grants, isAdmin, PERMISSIONS, type TPermission } from "./values.ts";

export const ZPermission = z.enum(ALL_PERMISSIONS as [TPermission, ...TPermission[]]);
