import type { TPermission } from "@tandem/contracts";
import { Button } from "@tandem/ui/components/button";
import { Tooltip, TooltipProvider } from "@tandem/ui/components/tooltip";
import type { ComponentProps } from "react";
import { useCan } from "../lib/org-context.tsx";

export function missingPermissionHint(permission: TPermission): string {
  return `You need the ${permission} permission — ask an admin`;
}

/**
 * A button for an action that needs a permission. Without it the button stays visible but
 * unavailable (aria-disabled, so it can still be focused and hovered) and its tooltip says
 * which permission is missing, instead of the action silently not being there.
 */
export function PermissionButton({
  permission,
  onClick,
  className,
  ...props
}: ComponentProps<typeof Button> & { permission: TPermission }) {
  const allowed = useCan(permission);
  if (allowed) return <Button onClick={onClick} className={className} {...props} />;
  const hint = missingPermissionHint(permission);
  return (
    <TooltipProvider>
      <Tooltip content={hint}>
        <Button
          {...props}
          aria-disabled="true"
          aria-description={hint}
          data-missing-permission={permission}
          className={`cursor-not-allowed opacity-50 ${className ?? ""}`}
          onClick={(event) => event.preventDefault()}
        />
      </Tooltip>
    </TooltipProvider>
  );
}
