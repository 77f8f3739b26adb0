// What a migration may not contain: the runner applies each migration and its _prisma_migrations record in
// one transaction of its own, so a migration that opens, ends or aborts a transaction would commit half of
// itself (and its record separately, or not at all), and CREATE INDEX CONCURRENTLY (or DROP/REINDEX … )
// cannot run inside a transaction. Comments, quoted strings and identifiers, and dollar-quoted bodies
// (plpgsql's BEGIN … END) are skipped.

export interface ForbiddenStatement {
  /** As written in the migration, upper-cased: BEGIN, START TRANSACTION, COMMIT, ROLLBACK, END, ABORT, CONCURRENTLY. */
  keyword: string;
  /** 1-based line of the keyword in migration.sql. */
  line: number;
}

const TRANSACTION_CONTROL = new Set(["BEGIN", "START", "COMMIT", "ROLLBACK", "END", "ABORT"]);

/** The first transaction-control statement or CONCURRENTLY in `sql`, or null. */
export function findForbiddenStatement(sql: string): ForbiddenStatement | null {
  let i = 0;
  let line = 1;
  let atStatementStart = true;
  let pendingStart: ForbiddenStatement | null = null; // START, waiting for TRANSACTION
  const skipTo = (end: number) => {
    for (let j = i; j < end; j++) if (sql[j] === "\n") line++;
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i]!;
    const rest = sql.slice(i, i + 2);
    if (rest === "--") {
      const end = sql.indexOf("\n", i);
      skipTo(end === -1 ? sql.length : end);
    } else if (rest === "/*") {
      // Nested, as PostgreSQL allows.
      let depth = 0;
      let j = i;
      while (j < sql.length) {
        if (sql.startsWith("/*", j)) {
          depth++;
          j += 2;
        } else if (sql.startsWith("*/", j)) {
          depth--;
          j += 2;
          if (depth === 0) break;
        } else j++;
      }
      skipTo(j);
    } else if (c === "'" || c === '"') {
      // E'…' strings may escape a quote with a backslash.
      const escapes = c === "'" && i > 0 && /[eE]/.test(sql[i - 1]!) && !/[\w$]/.test(sql[i - 2] ?? "");
      let j = i + 1;
      while (j < sql.length) {
        if (escapes && sql[j] === "\\") j += 2;
        else if (sql[j] === c && sql[j + 1] === c) j += 2;
        else if (sql[j] === c) break;
        else j++;
      }
      skipTo(j + 1);
      atStatementStart = false;
    } else if (c === "$" && !/[\w$]/.test(sql[i - 1] ?? "")) {
      const tag = /^\$([A-Za-z_][\w]*)?\$/.exec(sql.slice(i))?.[0];
      if (tag) {
        const end = sql.indexOf(tag, i + tag.length);
        skipTo(end === -1 ? sql.length : end + tag.length);
        atStatementStart = false;
      } else i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const word = /^[A-Za-z_][\w$]*/.exec(sql.slice(i))![0];
      const upper = word.toUpperCase();
      if (upper === "CONCURRENTLY") return { keyword: upper, line };
      if (pendingStart) {
        if (upper === "TRANSACTION") return { keyword: "START TRANSACTION", line: pendingStart.line };
        pendingStart = null;
      }
      if (atStatementStart && TRANSACTION_CONTROL.has(upper)) {
        if (upper !== "START") return { keyword: upper, line };
        pendingStart = { keyword: upper, line };
      }
      atStatementStart = false;
      i += word.length;
    } else {
      if (c === ";") atStatementStart = true;
      else if (!/\s/.test(c)) atStatementStart = false;
      skipTo(i + 1);
    }
  }
  return null;
}
