/** SARIF 2.1.0 for code-scanning uploads. Columns are 1-based UTF-16 code units (SARIF's default). */
import { allRules, engineRuleIds } from '../../../../rules';
import type { FileResult } from '../../node/lint-file';
import type { Reporter } from './reporter';

/** SARIF needs the whole run at once: results (small objects) are collected, analyses are not. */
export function sarifReporter(displayPath: (p: string) => string, version: string, docUrl: (id: string) => string): Reporter {
  const collected: object[] = [];
  return {
    file(r: FileResult): string {
      collected.push(...sarifResults(r, displayPath));
      return '';
    },
    end: () => `${sarifDocument(collected, version, docUrl)}\n`,
  };
}

function sarifDocument(sarifResults: object[], version: string, docUrl: (id: string) => string): string {
  const rules = [
    ...allRules.map((r) => ({
      id: r.meta.id,
      shortDescription: { text: r.meta.summary },
      helpUri: docUrl(r.meta.id),
      defaultConfiguration: { level: level(r.meta.severity) },
    })),
    ...engineRuleIds.map((id) => ({
      id,
      shortDescription: { text: id === 'syntax-error' ? 'Statement the PostgreSQL parser rejects' : 'Ignore comment that suppresses nothing' },
      helpUri: docUrl(id),
    })),
  ];
  return JSON.stringify({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'pg-migration-guard', version, rules } }, results: sarifResults }],
  });
}

function sarifResults(r: FileResult, displayPath: (p: string) => string): object[] {
  return r.analysis.findings.map((f) => {
    const range = r.analysis.lines.rangeOf(f.start, f.end);
    return {
      ruleId: f.rule,
      level: level(f.severity),
      message: { text: f.help ? `${f.message} ${f.help}` : f.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: displayPath(r.path).replace(/\\/g, '/') },
            region: {
              startLine: range.start.line + 1,
              startColumn: range.start.character + 1,
              endLine: range.end.line + 1,
              endColumn: range.end.character + 1,
            },
          },
        },
      ],
    };
  });
}

function level(s: string): 'error' | 'warning' | 'note' {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note';
}
