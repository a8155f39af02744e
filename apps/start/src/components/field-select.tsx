import { Label } from "@tandem/ui/components/label";

export const selectClass =
  "h-9 w-full rounded-md border border-border bg-background px-2 text-sm focus-visible:ring-2 focus-visible:ring-ring";

export type Option = { value: string; label: string };
export const VISIBILITY_OPTIONS: Option[] = [
  { value: "private", label: "Private" },
  { value: "public", label: "Public" },
];

/** A labelled native select: accessible by default and fine on every screen. */
export function FieldSelect(props: {
  id: string;
  label: string;
  name?: string;
  options: Option[];
  value?: string;
  defaultValue?: string;
  disabled?: boolean;
  /** The id of what explains the control (e.g. why it is unavailable). */
  describedBy?: string | undefined;
  onChange?: (value: string) => void;
}) {
  return (
    <div className="space-y-1">
      <Label htmlFor={props.id}>{props.label}</Label>
      <select
        id={props.id}
        name={props.name}
        className={selectClass}
        value={props.value}
        defaultValue={props.defaultValue}
        disabled={props.disabled}
        aria-describedby={props.describedBy}
        onChange={(event) => props.onChange?.(event.target.value)}
      >
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * An unlabelled native select for toolbars (its `aria-label` names it): a first empty option
 * (`placeholder`) when given; `onChange` gets the chosen value ("" for the placeholder).
 */
export function CompactSelect(props: {
  label: string;
  className: string;
  value: string;
  placeholder?: string;
  options: Option[];
  onChange: (value: string) => void;
}) {
  return (
    <select
      aria-label={props.label}
      className={props.className}
      value={props.value}
      onChange={(event) => props.onChange(event.target.value)}
    >
      {props.placeholder !== undefined && <option value="">{props.placeholder}</option>}
      {props.options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </select>
  );
}
