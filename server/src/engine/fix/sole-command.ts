/** Recipes rewrite one subcommand; an ALTER TABLE with several is left to the user (no fix). */
import { type AstObject, list, nodeOfKind, str } from '../parse/ast';
import type { Statement } from '../model/statement';

/** The statement's only ALTER TABLE subcommand, when it is of `subtype`. */
export function soleCommand(stmt: Statement, subtype: string): AstObject | undefined {
  if (stmt.kind !== 'AlterTableStmt') return undefined;
  const cmds = list(stmt.node, 'cmds');
  const cmd = cmds.length === 1 ? nodeOfKind(cmds[0], 'AlterTableCmd') : undefined;
  return str(cmd, 'subtype') === subtype ? cmd : undefined;
}
