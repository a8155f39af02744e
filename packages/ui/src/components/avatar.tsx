import * as AvatarPrimitive from "@radix-ui/react-avatar";
import { cva, type VariantProps } from "class-variance-authority";
import type { ComponentProps } from "react";
import { cn } from "../lib/cn.ts";

const avatarVariants = cva(
  "relative inline-flex shrink-0 select-none items-center justify-center overflow-hidden rounded-full font-medium text-white",
  {
    variants: {
      size: {
        sm: "size-6 text-[0.625rem]",
        md: "size-8 text-xs",
        lg: "size-10 text-sm",
      },
    },
    defaultVariants: { size: "md" },
  },
);

// 700 shades: white initials on them stay above 4.5:1 (WCAG AA), which the 500 shades do not.
const FALLBACK_COLORS = ["#4338ca", "#0369a1", "#047857", "#b45309", "#b91c1c", "#be185d", "#6d28d9", "#0f766e"];

/** Up to two initials from a display name ("Ada Lovelace" → "AL", "ada" → "A"). */
export function getInitials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? "";
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? "") : "";
  return (first + last).toUpperCase() || "?";
}

/** Stable colour for a name so a person keeps the same fallback colour everywhere. */
export function colorForName(name: string): string {
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = (hash * 31 + name.charCodeAt(i)) | 0;
  return FALLBACK_COLORS[Math.abs(hash) % FALLBACK_COLORS.length] ?? "#6366f1";
}

export type AvatarProps = Omit<ComponentProps<typeof AvatarPrimitive.Root>, "children"> &
  VariantProps<typeof avatarVariants> & {
    name: string;
    image?: string | null;
  };

export function Avatar({ name, image, size, className, style, ...props }: AvatarProps) {
  return (
    <AvatarPrimitive.Root
      data-slot="avatar"
      role="img"
      aria-label={name}
      title={name}
      className={cn(avatarVariants({ size }), className)}
      style={{ backgroundColor: colorForName(name), ...style }}
      {...props}
    >
      {image ? <AvatarPrimitive.Image src={image} alt="" className="aspect-square size-full object-cover" /> : null}
      {/* Initials drawn by CSS, not as text: the name is the avatar's label, and a control
          showing avatars is named by the people's names, which initials would contradict. */}
      <AvatarPrimitive.Fallback
        aria-hidden="true"
        delayMs={image ? 400 : undefined}
        data-initials={getInitials(name)}
        className="before:content-[attr(data-initials)]"
      />
    </AvatarPrimitive.Root>
  );
}

export type AvatarStackUser = { id?: string; name: string; image?: string | null };

export type AvatarStackProps = ComponentProps<"ul"> &
  VariantProps<typeof avatarVariants> & {
    users: readonly AvatarStackUser[];
    /** Maximum avatars shown before collapsing the rest into "+N" (default 4). */
    max?: number;
  };

/** Overlapping avatars for presence ("who's viewing this board"). */
export function AvatarStack({ users, max = 4, size, className, ...props }: AvatarStackProps) {
  const visible = users.slice(0, Math.max(0, max));
  const hidden = users.slice(visible.length);
  return (
    <ul
      data-slot="avatar-stack"
      aria-label={`${users.length} ${users.length === 1 ? "person" : "people"} present`}
      className={cn("flex items-center -space-x-2", className)}
      {...props}
    >
      {visible.map((user, index) => (
        <li key={user.id ?? `${user.name}-${index}`} className="flex">
          <Avatar name={user.name} image={user.image} size={size} className="ring-2 ring-background" />
        </li>
      ))}
      {hidden.length > 0 ? (
        <li
          title={hidden.map((u) => u.name).join(", ")}
          aria-label={`${hidden.length} more: ${hidden.map((u) => u.name).join(", ")}`}
          className={cn(avatarVariants({ size }), "bg-muted text-muted-foreground ring-2 ring-background")}
        >
          <span aria-hidden="true">+{hidden.length}</span>
        </li>
      ) : null}
    </ul>
  );
}
