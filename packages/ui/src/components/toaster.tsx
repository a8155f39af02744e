import type { ComponentProps, CSSProperties } from "react";
import { Toaster as SonnerToaster } from "sonner";

export { toast } from "sonner";

export type ToasterProps = ComponentProps<typeof SonnerToaster>;

const themeVars = {
  "--normal-bg": "var(--card)",
  "--normal-text": "var(--foreground)",
  "--normal-border": "var(--border)",
} as CSSProperties;

/** App-wide toast outlet. Render once near the root; call `toast(...)` anywhere. */
export function Toaster({ style, ...props }: ToasterProps) {
  return (
    <SonnerToaster
      richColors
      closeButton
      position="bottom-right"
      className="toaster"
      style={{ ...themeVars, ...style }}
      {...props}
    />
  );
}
