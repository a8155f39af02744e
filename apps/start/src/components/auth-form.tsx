import { Button } from "@tandem/ui/components/button";
import { Input } from "@tandem/ui/components/input";
import { Label } from "@tandem/ui/components/label";
import { Link } from "@tanstack/react-router";
import { type FormEvent, type ReactNode, useState } from "react";

export type AuthField = { name: string; label: string; type: string; autoComplete: string };

/** The shared shell of the sign-in and sign-up screens. */
export function AuthForm(props: {
  title: string;
  fields: AuthField[];
  submitLabel: string;
  onSubmit: (values: Record<string, string>) => Promise<string | null>;
  footer: ReactNode;
  extra?: ReactNode;
  /** A message above the form (e.g. "check your e-mail"), announced to screen readers. */
  notice?: string | undefined;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const values = Object.fromEntries(new FormData(event.currentTarget)) as Record<string, string>;
    setError(await props.onSubmit(values));
    setBusy(false);
  }
  return (
    <main className="flex min-h-screen items-center justify-center bg-muted/40 p-6">
      <div className="w-full max-w-sm rounded-xl border border-border bg-background p-8 shadow-sm">
        <Link to="/" className="mb-6 block text-lg font-semibold tracking-tight">
          Tandem
        </Link>
        <h1 className="mb-6 text-2xl font-semibold">{props.title}</h1>
        {props.notice ? (
          <p role="status" className="mb-4 rounded-md border border-border bg-muted/60 p-3 text-sm">
            {props.notice}
          </p>
        ) : null}
        <form onSubmit={submit} className="space-y-4">
          {props.fields.map((field) => (
            <div key={field.name} className="space-y-1.5">
              <Label htmlFor={field.name}>{field.label}</Label>
              <Input id={field.name} name={field.name} type={field.type} autoComplete={field.autoComplete} required />
            </div>
          ))}
          {error ? (
            <p role="alert" className="text-sm text-destructive">
              {error}
            </p>
          ) : null}
          <Button type="submit" className="w-full" disabled={busy}>
            {props.submitLabel}
          </Button>
        </form>
        {props.extra}
        <p className="mt-6 text-sm text-muted-foreground">{props.footer}</p>
      </div>
    </main>
  );
}
