/**
 * PostgreSQL's duration syntax for time settings such as statement_timeout: a number with an
 * optional unit (`us`, `ms`, `s`, `min`, `h`, `d`; no unit = the setting's base unit, milliseconds
 * for statement_timeout), spaces allowed between them. `0` disables the timeout.
 */
const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds, or undefined when `value` is not a duration Postgres accepts. */
export function parseDurationMs(value: string): number | undefined {
  const m = /^\s*'?\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-z]*)\s*'?\s*$/i.exec(value);
  if (!m) return undefined;
  const amount = Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase();
  const factor = unit === '' ? 1 : UNIT_MS[unit];
  if (factor === undefined || !Number.isFinite(amount)) return undefined;
  return amount * factor;
}

/** `38 s`, `1.5 s`, `4 min 10 s`, `250 ms`: a measured or configured duration for people. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? String(Math.round(s * 10) / 10) : String(Math.round(s))} s`;
  const min = Math.floor(s / 60);
  const rest = Math.round(s - min * 60);
  if (min < 60) return rest > 0 ? `${min} min ${rest} s` : `${min} min`;
  const h = Math.floor(min / 60);
  return min % 60 > 0 ? `${h} h ${min % 60} min` : `${h} h`;
}
