/** The webhook benchmark's per-run lines and summary. */
import { median } from "./stats.ts";
import { COUNT, DRAIN_BUDGET_MS, RATE, RUNS } from "./webhooks-config.ts";
import type { AckRun, SubjectRun } from "./webhooks-measure.ts";

const ms = (value: number) => `${value.toFixed(1)} ms`;
const fixed = (value: number, digits = 2) => value.toFixed(digits);

function ackText(run: AckRun): string {
  const { load } = run;
  return (
    `ack p50 ${ms(load.p50Ms).padStart(8)} p99 ${ms(load.p99Ms).padStart(8)} max ${ms(load.maxMs).padStart(8)}` +
    `  n=${load.requests}  send lag max ${ms(load.maxLagMs)}`
  );
}

function cpuText(run: AckRun): string {
  return `cpu: server ${fixed(run.serverCores)} load ${fixed(run.load.cpuCores)} host ${fixed(run.hostCores)}`;
}

function drainText(run: SubjectRun): string {
  if (run.drained) return `drain ${fixed(run.drainS)} s (tail ${fixed(run.tailS)} s)`;
  return `NOT drained: ${run.leftQueued} queued ${DRAIN_BUDGET_MS / 1000} s after the last send, projected drain ${fixed(run.drainS, 0)} s`;
}

export function reportSubject(label: string, run: SubjectRun): SubjectRun {
  console.log(
    `${label} ${ackText(run)}\n${" ".repeat(label.length)} ${drainText(run)}` +
      ` ${fixed(run.jobsPerSecond, 1)} jobs/s  apply p50 ${ms(run.applyP50Ms)} p99 ${ms(run.applyP99Ms)}` +
      `  +${run.tasks} tasks +${run.events} events  ${cpuText(run)}`,
  );
  return run;
}

export function reportBaseline(label: string, run: AckRun): AckRun {
  console.log(`${label} ${ackText(run)}  ${cpuText(run)}`);
  return run;
}

export function summary(subject: SubjectRun[], baseline: AckRun[], totalS: number): void {
  const med = <T>(runs: T[], pick: (run: T) => number) => median(runs.map(pick));
  const rows: [string, string, string, string][] = [];
  const add = (name: string, worker: string, bare: string, ratio: string) => rows.push([name, worker, bare, ratio]);
  const ack = (name: string, pick: (run: AckRun) => number) => {
    const w = med(subject, pick);
    const b = med(baseline, pick);
    add(name, ms(w), ms(b), `${fixed(w / b)}x`);
  };
  ack("ack p50", (run) => run.load.p50Ms);
  ack("ack p99", (run) => run.load.p99Ms);
  const acks = (run: AckRun) => run.load.requests / run.load.seconds;
  add("acks/s (offered 50/s)", fixed(med(subject, acks), 1), fixed(med(baseline, acks), 1), "");
  const jobs = med(subject, (run) => run.jobsPerSecond);
  const allDrained = subject.every((run) => run.drained);
  const drainName = allDrained
    ? "drain time"
    : `drain time (projected${subject.some((r) => r.drained) ? " in some runs" : ""})`;
  add(
    `${drainName}, ${COUNT} deliveries`,
    `${fixed(
      med(subject, (run) => run.drainS),
      1,
    )} s`,
    "-",
    "",
  );
  if (allDrained) add("drain tail after last send", `${fixed(med(subject, (run) => run.tailS))} s`, "-", "");
  else
    add(
      `still queued ${DRAIN_BUDGET_MS / 1000} s after last send`,
      fixed(
        med(subject, (run) => run.leftQueued),
        0,
      ),
      "-",
      "",
    );
  add("jobs/s (applied deliveries / s)", fixed(jobs, 1), "-", `${fixed(jobs / RATE)} of offered`);
  add("apply p50 (received→processed)", ms(med(subject, (run) => run.applyP50Ms)), "-", "");
  add("apply p99 (received→processed)", ms(med(subject, (run) => run.applyP99Ms)), "-", "");
  const cores = (name: string, pick: (run: AckRun) => number) => {
    const w = med(subject, pick);
    const b = med(baseline, pick);
    add(name, fixed(w), fixed(b), `${fixed(w / b, 1)}x`);
  };
  cores("cpu server process (cores)", (run) => run.serverCores);
  cores("cpu load generator (cores)", (run) => run.load.cpuCores);
  cores("cpu host, incl. Postgres (cores)", (run) => run.hostCores);
  const header: [string, string, string, string] = ["", "worker", "bare verify", "worker/bare"];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...[header, ...rows].map((row) => (row[i] ?? "").length)));
  const format = (row: string[]) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ");
  console.log(`\nmedians of ${RUNS} runs, ${COUNT} deliveries at ${RATE}/s each (${totalS.toFixed(0)} s total):`);
  console.log(format(header));
  for (const row of rows) console.log(format(row));
}
