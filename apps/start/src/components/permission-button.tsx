import type { TPermission } from "@tandem/contracts";
import { Button } from "@tandem/ui/components/button";
import { Tooltip, TooltipProvider } from "@tandem/ui/components/tooltip";
import { type ComponentProps, type ReactNode, useId, useState } from "react";
import { useCan } from "../lib/org-context.tsx";

export function missingPermissionHint(permission: TPermission): string {
  return `You need the ${permission} permission — ask an admin`;
}

/**
 * The reason tooltip's open state. Radix closes a tooltip when something scrolls its trigger;
 * but focusing a control inside a scrolled dialog scrolls it into view, which would close the
 * reason the keyboard just opened. So a scroll does not close the reason of the focused
 * control; leaving, blurring and Escape still do.
 */
function useReasonTooltip(hintId: string) {
  const [open, setOpen] = useState(false);
  const onOpenChange = (next: boolean) => {
    // Not aria-describedby: Radix points that at its own content while the tooltip is open.
    const focused = document.activeElement?.getAttribute("data-reason") === hintId;
    if (!next && focused && globalThis.event?.type === "scroll") return;
    setOpen(next);
  };
  return { open, onOpenChange };
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
  const hintId = useId();
  const reason = useReasonTooltip(hintId);
  if (allowed) return <Button onClick={onClick} className={className} {...props} />;
  const hint = missingPermissionHint(permission);
  return (
    <TooltipProvider>
      <Tooltip content={hint} {...reason}>
        <Button
          {...props}
          aria-disabled="true"
          aria-describedby={hintId}
          data-missing-permission={permission}
          data-reason={hintId}
          className={`cursor-not-allowed opacity-50 ${className ?? ""}`}
          onClick={(event) => event.preventDefault()}
        />
      </Tooltip>
      <span id={hintId} hidden>
        {hint}
      </span>
    </TooltipProvider>
  );
}

/** What a gated control needs: whether it is off, and the id of the text that says why. */
export type Gate = { disabled: boolean; describedBy: string | undefined };

/**
 * Any control that needs a permission (a select, a text field, a group of toggles): without
 * the permission the control is disabled and wrapped in a focusable, hoverable area whose
 * tooltip names the missing permission; the control and the area are described by that text
 * (aria-describedby), so a screen reader says why as well. A disabled control itself gets no
 * pointer or focus events, hence the wrapper.
 */
export function PermissionGate({
  permission,
  className,
  children,
}: {
  permission: TPermission;
  className?: string;
  children: (gate: Gate) => ReactNode;
}) {
  const allowed = useCan(permission);
  const hintId = useId();
  const reason = useReasonTooltip(hintId);
  if (allowed) return children({ disabled: false, describedBy: undefined });
  const hint = missingPermissionHint(permission);
  return (
    <TooltipProvider>
      <Tooltip content={hint} {...reason}>
        <fieldset
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a disabled control cannot take focus; this is how the keyboard reaches its reason
          tabIndex={0}
          aria-describedby={hintId}
          data-missing-permission={permission}
          data-reason={hintId}
          className={`min-w-0 cursor-not-allowed rounded-md focus-visible:ring-2 focus-visible:ring-ring [&_*]:pointer-events-none ${className ?? ""}`}
        >
          {children({ disabled: true, describedBy: hintId })}
          <span id={hintId} hidden>
            {hint}
          </span>
        </fieldset>
      </Tooltip>
    </TooltipProvider>
  );
}
