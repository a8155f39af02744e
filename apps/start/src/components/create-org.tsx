import { Button } from "@tandem/ui/components/button";
import { Input } from "@tandem/ui/components/input";
import { Label } from "@tandem/ui/components/label";
import { useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { ApiFailure, unwrap } from "../lib/api.ts";
import { useServices } from "../lib/app-context.tsx";
import { keys } from "../lib/queries.ts";

/** The empty state of a new user: make the first org, then land on its board. */
export function CreateOrg() {
  const { api } = useServices();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = Object.fromEntries(new FormData(event.currentTarget)) as Record<string, string>;
    try {
      const org = await unwrap(
        api.api.orgs.$post({
          json: { name: form.name ?? "", slug: form.slug ?? "", prefix: (form.prefix ?? "").toUpperCase() },
        }),
      );
      await queryClient.invalidateQueries({ queryKey: keys.me });
      await navigate({ to: "/o/$slug", params: { slug: org.slug } });
    } catch (failure) {
      setError(failure instanceof ApiFailure ? failure.message : "Could not create the organization");
    }
  }
  return (
    <main className="mx-auto max-w-md p-8">
      <h1 className="text-2xl font-semibold">Create your organization</h1>
      <p className="mt-2 text-sm text-muted-foreground">
        An organization holds your board, teams and settings. You can invite your team next.
      </p>
      <form onSubmit={submit} className="mt-6 space-y-4">
        <div className="space-y-1.5">
          <Label htmlFor="org-name">Name</Label>
          <Input id="org-name" name="name" required placeholder="Acme Inc." />
        </div>
        <div className="space-y-1.5">
          <Label htmlFor="org-slug">URL slug</Label>
          <Input id="org-slug" name="slug" required placeholder="acme" pattern="[a-z0-9][a-z0-9-]*[a-z0-9]" />
        </div>
        <div className="space-y-1.5">
          <Label htmlFor="org-prefix">Task prefix</Label>
          <Input id="org-prefix" name="prefix" required placeholder="ACME" maxLength={10} />
        </div>
        {error ? (
          <p role="alert" className="text-sm text-destructive">
            {error}
          </p>
        ) : null}
        <Button type="submit">Create organization</Button>
      </form>
    </main>
  );
}
