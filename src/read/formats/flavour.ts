// A trainer's flavour of a general line format: the general parser reads the lines, then the table is named (and tidied) for that trainer.

import type { LineParser } from '../format.js';
import type { Table } from '../table.js';

/** Wraps a parser so that its finished table goes through `finish` (a new name, columns dropped, a focus set). */
export function flavoured(parser: LineParser, finish: (table: Table) => Table): LineParser {
  return {
    builder: parser.builder,
    line: (text, lineNo, terminated) => parser.line(text, lineNo, terminated),
    overlong: (lineNo) => parser.overlong(lineNo),
    finish: () => finish(parser.finish()),
  };
}

/** Renames a CSV table's format, keeping the delimiter the CSV reader named: "csv (tab-separated)" → "keras csvlogger (tab-separated)". */
export function renamedCsv(name: string): (table: Table) => Table {
  return (table) => ({ ...table, format: table.format.startsWith('csv') ? name + table.format.slice('csv'.length) : name });
}

export function renamed(name: string): (table: Table) => Table {
  return (table) => ({ ...table, format: name });
}
