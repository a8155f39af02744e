import { Button } from "@tandem/ui/components/button";
import { toast } from "@tandem/ui/components/toaster";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";

/** Runs an API call, refreshes what it touched, and reports failures. */
export function useAdminAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ run }: { run: () => Promise<unknown>; refresh: readonly unknown[][] }) => run(),
    onSuccess: (_data, { refresh }) => {
      for (const queryKey of refresh) void queryClient.invalidateQueries({ queryKey });
    },
    onError: (error) => toast.error(error.message),
  });
}

/** A button that runs one admin API call and refreshes what it touched. */
export function ActionButton(props: {
  children: ReactNode;
  run: () => Promise<unknown>;
  refresh: readonly unknown[][];
  variant?: "ghost" | "outline";
  label?: string;
}) {
  const action = useAdminAction();
  return (
    <Button
      variant={props.variant ?? "ghost"}
      size="sm"
      aria-label={props.label}
      onClick={() => action.mutate({ run: props.run, refresh: props.refresh })}
    >
      {props.children}
    </Button>
  );
}
