// The SOQL subset the fake org answers: SELECT fields FROM object [WHERE conditions] [ORDER BY ...]
// [LIMIT n] [OFFSET n], with AND/OR/NOT, comparison operators, LIKE, IN/NOT IN over literal lists or a
// semi-join (SELECT one field FROM ...), and string, number, boolean, null, date and date-time literals.
// A query it cannot read fails with Salesforce's MALFORMED_QUERY error.

export type SoqlLiteral = string | number | boolean | null | { date: string } | { datetime: number };

export type SoqlCondition =
  | { kind: 'and' | 'or'; parts: SoqlCondition[] }
  | { kind: 'not'; cond: SoqlCondition }
  | { kind: 'cmp'; field: string; op: '=' | '!=' | '<' | '<=' | '>' | '>=' | 'like'; value: SoqlLiteral }
  | { kind: 'in'; field: string; negate: boolean; values: SoqlLiteral[] | SoqlQuery };

export interface SoqlOrder {
  field: string;
  desc: boolean;
  nullsLast: boolean;
}

export interface SoqlQuery {
  fields: string[];
  object: string;
  where?: SoqlCondition;
  orderBy: SoqlOrder[];
  limit?: number;
  offset?: number;
}

export class SoqlError extends Error {
  readonly errorCode: string;
  constructor(errorCode: string, message: string) {
    super(message);
    this.errorCode = errorCode;
  }
}

interface Token {
  kind: 'word' | 'string' | 'number' | 'date' | 'datetime' | 'punct';
  text: string;
}

const TOKEN =
  /\s*(?:(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}))|(\d{4}-\d{2}-\d{2})(?![\w-])|('(?:[^'\\]|\\.)*')|(-?\d+(?:\.\d+)?)(?![\w.])|([A-Za-z_][\w.]*)|(<=|>=|!=|<>|[=<>(),]))/y;

function tokenize(soql: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < soql.length) {
    if (/^\s*$/.test(soql.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(soql);
    if (!m) throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${soql.slice(pos).trim().split(/\s/)[0]}'`);
    pos = TOKEN.lastIndex;
    if (m[1]) out.push({ kind: 'datetime', text: m[1] });
    else if (m[2]) out.push({ kind: 'date', text: m[2] });
    else if (m[3]) out.push({ kind: 'string', text: m[3].slice(1, -1).replace(/\\(.)/g, '$1') });
    else if (m[4]) out.push({ kind: 'number', text: m[4] });
    else if (m[5]) out.push({ kind: 'word', text: m[5] });
    else out.push({ kind: 'punct', text: m[6] === '<>' ? '!=' : (m[6] as string) });
  }
  return out;
}

class Parser {
  private i = 0;
  private readonly tokens: Token[];
  constructor(tokens: Token[]) {
    this.tokens = tokens;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }
  private isWord(word: string, offset = 0): boolean {
    const t = this.tokens[this.i + offset];
    return t?.kind === 'word' && t.text.toUpperCase() === word;
  }
  private fail(): never {
    const t = this.peek();
    throw new SoqlError('MALFORMED_QUERY', t ? `unexpected token: '${t.text}'` : 'unexpected end of query');
  }
  private expectWord(word: string): void {
    if (!this.isWord(word)) this.fail();
    this.i++;
  }
  private expectPunct(p: string): void {
    const t = this.peek();
    if (t?.kind !== 'punct' || t.text !== p) this.fail();
    this.i++;
  }
  private name(): string {
    const t = this.peek();
    if (t?.kind !== 'word') this.fail();
    this.i++;
    return t.text;
  }

  query(nested: boolean): SoqlQuery {
    this.expectWord('SELECT');
    const fields = [this.name()];
    while (this.peek()?.text === ',') {
      this.i++;
      fields.push(this.name());
    }
    this.expectWord('FROM');
    const q: SoqlQuery = { fields, object: this.name(), orderBy: [] };
    if (this.isWord('WHERE')) {
      this.i++;
      q.where = this.or();
    }
    if (this.isWord('ORDER')) {
      this.i++;
      this.expectWord('BY');
      do {
        if (q.orderBy.length > 0) this.i++;
        const field = this.name();
        let desc = false;
        if (this.isWord('ASC') || this.isWord('DESC')) desc = this.tokens[this.i++]?.text.toUpperCase() === 'DESC';
        let nullsLast = desc;
        if (this.isWord('NULLS')) {
          this.i++;
          nullsLast = this.isWord('LAST');
          if (!nullsLast) this.expectWord('FIRST');
          else this.i++;
        }
        q.orderBy.push({ field, desc, nullsLast });
      } while (this.peek()?.text === ',');
    }
    if (this.isWord('LIMIT')) {
      this.i++;
      q.limit = this.integer();
    }
    if (this.isWord('OFFSET')) {
      this.i++;
      q.offset = this.integer();
    }
    if (!nested && this.peek()) this.fail();
    return q;
  }

  private integer(): number {
    const t = this.peek();
    if (t?.kind !== 'number' || !/^\d+$/.test(t.text)) this.fail();
    this.i++;
    return Number(t.text);
  }

  private or(): SoqlCondition {
    const parts = [this.and()];
    while (this.isWord('OR')) {
      this.i++;
      parts.push(this.and());
    }
    return parts.length === 1 ? (parts[0] as SoqlCondition) : { kind: 'or', parts };
  }

  private and(): SoqlCondition {
    const parts = [this.unary()];
    while (this.isWord('AND')) {
      this.i++;
      parts.push(this.unary());
    }
    return parts.length === 1 ? (parts[0] as SoqlCondition) : { kind: 'and', parts };
  }

  private unary(): SoqlCondition {
    if (this.isWord('NOT')) {
      this.i++;
      return { kind: 'not', cond: this.unary() };
    }
    if (this.peek()?.text === '(') {
      this.i++;
      const inner = this.or();
      this.expectPunct(')');
      return inner;
    }
    const field = this.name();
    if (this.isWord('IN') || (this.isWord('NOT') && this.isWord('IN', 1))) {
      const negate = this.isWord('NOT');
      this.i += negate ? 2 : 1;
      this.expectPunct('(');
      if (this.isWord('SELECT')) {
        const sub = this.query(true);
        if (sub.fields.length !== 1) throw new SoqlError('MALFORMED_QUERY', 'a semi-join selects exactly one field');
        this.expectPunct(')');
        return { kind: 'in', field, negate, values: sub };
      }
      const values = [this.literal()];
      while (this.peek()?.text === ',') {
        this.i++;
        values.push(this.literal());
      }
      this.expectPunct(')');
      return { kind: 'in', field, negate, values };
    }
    if (this.isWord('LIKE')) {
      this.i++;
      return { kind: 'cmp', field, op: 'like', value: this.literal() };
    }
    const t = this.peek();
    if (t?.kind !== 'punct' || !['=', '!=', '<', '<=', '>', '>='].includes(t.text)) this.fail();
    this.i++;
    return { kind: 'cmp', field, op: t.text as '=', value: this.literal() };
  }

  private literal(): SoqlLiteral {
    const t = this.peek();
    if (!t) this.fail();
    this.i++;
    switch (t.kind) {
      case 'string':
        return t.text;
      case 'number':
        return Number(t.text);
      case 'date':
        return { date: t.text };
      case 'datetime':
        return { datetime: Date.parse(t.text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) };
      case 'word': {
        const w = t.text.toUpperCase();
        if (w === 'TRUE' || w === 'FALSE') return w === 'TRUE';
        if (w === 'NULL') return null;
      }
    }
    this.i--;
    return this.fail();
  }
}

/** Parses one SOQL statement (the subset above). */
export function parseSoql(soql: string): SoqlQuery {
  return new Parser(tokenize(soql)).query(false);
}
