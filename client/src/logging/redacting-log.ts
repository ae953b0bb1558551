/**
 * The extension's output channel behind a redacting wrapper: every line the extension or the
 * language client writes passes `redactSecrets` with the stored database URL's secrets first, so a
 * failed connection cannot leak the password into the channel or its log file. Keeps the last lines
 * written (already redacted) for the extension API, so tests can read what the user would see.
 */
import type { Event, LogLevel, LogOutputChannel, ViewColumn } from 'vscode';
import { redactSecrets } from './redact-secrets';

const KEPT_LINES = 500;

export class RedactingLog implements LogOutputChannel {
  private readonly kept: string[] = [];

  constructor(
    private readonly channel: LogOutputChannel,
    /** The secrets to remove (the stored database URL and its password), current at each call. */
    private readonly secrets: () => readonly string[],
  ) {}

  get name(): string {
    return this.channel.name;
  }
  get logLevel(): LogLevel {
    return this.channel.logLevel;
  }
  get onDidChangeLogLevel(): Event<LogLevel> {
    return this.channel.onDidChangeLogLevel;
  }

  /** The last lines written to the channel, as written (redacted). */
  lines(): string[] {
    return [...this.kept];
  }

  trace(message: string, ...args: unknown[]): void {
    this.channel.trace(this.clean('trace', message, args));
  }
  debug(message: string, ...args: unknown[]): void {
    this.channel.debug(this.clean('debug', message, args));
  }
  info(message: string, ...args: unknown[]): void {
    this.channel.info(this.clean('info', message, args));
  }
  warn(message: string, ...args: unknown[]): void {
    this.channel.warn(this.clean('warn', message, args));
  }
  error(error: string | Error, ...args: unknown[]): void {
    const text = error instanceof Error ? (error.stack ?? error.message) : error;
    this.channel.error(this.clean('error', text, args));
  }
  append(value: string): void {
    this.channel.append(this.clean('append', value, []));
  }
  appendLine(value: string): void {
    this.channel.appendLine(this.clean('append', value, []));
  }
  replace(value: string): void {
    this.channel.replace(this.clean('replace', value, []));
  }
  clear(): void {
    this.channel.clear();
  }
  show(columnOrPreserveFocus?: ViewColumn | boolean, preserveFocus?: boolean): void {
    if (typeof columnOrPreserveFocus === 'boolean') this.channel.show(columnOrPreserveFocus);
    else this.channel.show(columnOrPreserveFocus, preserveFocus);
  }
  hide(): void {
    this.channel.hide();
  }
  dispose(): void {
    this.channel.dispose();
  }

  private clean(level: string, message: string, args: unknown[]): string {
    const extra = args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : typeof a === 'string' ? a : JSON.stringify(a)));
    const text = redactSecrets([message, ...extra].join(' '), this.secrets());
    this.kept.push(`[${level}] ${text}`);
    if (this.kept.length > KEPT_LINES) this.kept.splice(0, this.kept.length - KEPT_LINES);
    return text;
  }
}
