import { useEffect, useState } from "react";

const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
// Each unit, how many of the previous one it holds, and up to how many of it we count.
const UNITS: [Intl.RelativeTimeFormatUnit, number, number][] = [
  ["minute", 60, 60],
  ["hour", 60, 24],
  ["day", 24, 7],
  ["week", 7, 5],
];

/** "just now", "5 minutes ago", "yesterday", …, then the date. */
export function describeAge(iso: string, now = Date.now()): string {
  let amount = (new Date(iso).getTime() - now) / 1000;
  if (Math.abs(amount) < 45) return "just now";
  for (const [unit, per, limit] of UNITS) {
    amount /= per;
    if (Math.abs(amount) < limit) return format.format(Math.round(amount), unit);
  }
  return new Date(iso).toLocaleDateString();
}

/** A self-refreshing relative time; the exact time is in the tooltip and `datetime`. */
export function RelativeTime({ iso }: { iso: string }) {
  const [, tick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 30_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <time dateTime={iso} title={new Date(iso).toLocaleString()}>
      {describeAge(iso)}
    </time>
  );
}
