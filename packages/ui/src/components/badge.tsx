import { cva, type VariantProps } from "class-variance-authority";
import type { ComponentProps } from "react";
import { cn } from "../lib/cn.ts";

export const badgeVariants = cva(
  "inline-flex w-fit shrink-0 items-center gap-1.5 whitespace-nowrap rounded-md border px-2 py-0.5 text-xs font-medium transition-colors",
  {
    variants: {
      variant: {
        default: "border-transparent bg-primary text-primary-foreground",
        secondary: "border-transparent bg-muted text-foreground",
        outline: "border-border text-foreground",
        destructive: "border-transparent bg-destructive text-destructive-foreground",
      },
    },
    defaultVariants: { variant: "outline" },
  },
);

export type BadgeProps = ComponentProps<"span"> &
  VariantProps<typeof badgeVariants> & {
    /** Hex colour (e.g. a label colour). Renders a coloured dot and a subtle tint. */
    color?: string;
  };

export function Badge({ className, variant, color, style, children, ...props }: BadgeProps) {
  const tint = color ? { backgroundColor: `${color}1a`, borderColor: `${color}40`, ...style } : style;
  return (
    <span
      data-slot="badge"
      className={cn(badgeVariants({ variant: color ? "outline" : variant }), className)}
      style={tint}
      {...props}
    >
      {color ? (
        <span aria-hidden="true" className="size-2 shrink-0 rounded-full" style={{ backgroundColor: color }} />
      ) : null}
      {children}
    </span>
  );
}
