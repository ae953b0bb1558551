/**
 * What earlier statements of the same section established beyond the schema model: tables created
 * here (new and empty, so lock warnings do not apply) and the constraints named here, with validated
 * `CHECK (col IS NOT NULL)` ones (PG 12+ SET NOT NULL skips its scan). Indexes and foreign keys
 * live in `schema`, which every statement updates too.
 */
export interface KnownConstraint {
  table: string;
  kind: 'check' | 'foreign' | 'unique' | 'primary' | 'exclusion' | 'other';
  valid: boolean;
  /** For `CHECK (col IS NOT NULL)`. */
  notNullColumn?: string;
  /** Only seen in VALIDATE CONSTRAINT: defined by an earlier migration, expression unknown here. */
  definitionUnknown?: boolean;
}

import { SchemaModel } from '../schema/schema-model';

export class FileState {
  /** The schema as of the current statement: earlier migrations plus what this section did so far. */
  readonly schema: SchemaModel;
  readonly createdTables = new Set<string>();
  readonly constraints = new Map<string, KnownConstraint>();

  constructor(baseline?: SchemaModel) {
    this.schema = baseline ? baseline.clone() : new SchemaModel();
  }

  isNewTable(name: string): boolean {
    return this.createdTables.has(name) || this.schema.isNewTable(name);
  }

  /**
   * A valid `CHECK (column IS NOT NULL)` on the table. A constraint validated here but defined in an
   * earlier migration counts when its name mentions the column (the `<table>_<col>_not_null` recipe);
   * replaying earlier migrations would make this exact.
   */
  hasValidNotNullCheck(table: string, column: string): boolean {
    if (this.schema.hasValidNotNullCheck(table, column)) return true;
    for (const [name, c] of this.constraints) {
      if (c.table !== table || !c.valid) continue;
      if (c.notNullColumn === column) return true;
      if (c.definitionUnknown && name.includes(column)) return true;
    }
    return false;
  }
}
