/**
 * The latest trace per document, for hovers and the checklist. A statement is matched by its
 * text (whitespace-normalised), so annotations survive edits elsewhere in the file and vanish from
 * a statement once it is changed.
 */
import type { TracedStatement, TraceReport } from '../../../../protocol/protocol';
import { hoverAnnotation } from './present';

const key = (text: string): string => text.replace(/\s+/g, ' ').trim();

export class TraceResults {
  private readonly byUri = new Map<string, { report: TraceReport; byText: Map<string, TracedStatement>; texts: Map<number, string> }>();

  /** `texts`: statement index → its text when traced (the report keeps excerpts only). */
  set(uri: string, report: TraceReport, texts: Map<number, string>): void {
    const byText = new Map<string, TracedStatement>();
    for (const s of report.statements) {
      const t = texts.get(s.index);
      if (t !== undefined) byText.set(key(t), s);
    }
    this.byUri.set(uri, { report, byText, texts });
  }

  get(uri: string): TraceReport | undefined {
    return this.byUri.get(uri)?.report;
  }

  statementFor(uri: string, text: string): TracedStatement | undefined {
    return this.byUri.get(uri)?.byText.get(key(text));
  }

  /** The hover line for a statement, e.g. "Traced: ACCESS EXCLUSIVE on events for 2.3 s, rewrote events (1,150,000 rows)". */
  annotation(uri: string, text: string): string | undefined {
    const s = this.statementFor(uri, text);
    return s ? hoverAnnotation(s) : undefined;
  }

  forget(uri: string): void {
    this.byUri.delete(uri);
  }
}
