// The part of Mixpanel's segmentation expression language the fake understands, for `on` and
// `where`: properties["x"], string/number/boolean/list literals, == != > < >= <=, `in`,
// defined(...), not, and, or, parentheses. Anything else is a 400, as Mixpanel answers.

export class ExpressionError extends Error {
  override name = 'ExpressionError';
}

type Props = Readonly<Record<string, unknown>>;
export type Compiled = (props: Props) => unknown;

type Token = { kind: 'str' | 'num' | 'word' | 'punct'; text: string; value?: string | number };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let text = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) j++;
        text += src[j];
        j++;
      }
      if (j >= src.length) throw new ExpressionError(`unterminated string at ${i}`);
      out.push({ kind: 'str', text, value: text });
      i = j + 1;
    } else if (/[0-9-]/.test(c) && /[0-9]/.test(src[c === '-' ? i + 1 : i] ?? '')) {
      const m = /^-?\d+(\.\d+)?/.exec(src.slice(i)) as RegExpExecArray;
      out.push({ kind: 'num', text: m[0], value: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][\w$]*/.exec(src.slice(i)) as RegExpExecArray;
      out.push({ kind: 'word', text: m[0] });
      i += m[0].length;
    } else {
      const two = src.slice(i, i + 2);
      const op = ['==', '!=', '>=', '<='].includes(two) ? two : c;
      if (!['==', '!=', '>=', '<=', '>', '<', '(', ')', '[', ']', ','].includes(op)) {
        throw new ExpressionError(`unexpected character "${c}" at ${i}`);
      }
      out.push({ kind: 'punct', text: op });
      i += op.length;
    }
  }
  return out;
}

const compare = (op: string, a: unknown, b: unknown): boolean => {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case 'in':
      return Array.isArray(b) ? b.includes(a) : typeof b === 'string' && typeof a === 'string' && b.includes(a);
  }
  if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string')) return false;
  const [x, y] = [a as number | string, b as number | string];
  return op === '>' ? x > y : op === '<' ? x < y : op === '>=' ? x >= y : x <= y;
};

const compiled = new Map<string, Compiled>();

/**
 * Compiles an expression into a function of an event's properties. Throws ExpressionError. The
 * same text gives the same function, so the event store can remember each event's value of it.
 */
export function compileExpression(src: string): Compiled {
  let fn = compiled.get(src);
  if (!fn) {
    fn = compileUncached(src);
    if (compiled.size < 1000) compiled.set(src, fn);
  }
  return fn;
}

function compileUncached(src: string): Compiled {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = () => tokens[pos];
  const isWord = (w: string) => peek()?.kind === 'word' && peek()?.text === w;
  const isPunct = (p: string) => peek()?.kind === 'punct' && peek()?.text === p;
  const expect = (p: string) => {
    if (!isPunct(p)) throw new ExpressionError(`expected "${p}" at token ${pos}`);
    pos++;
  };

  const primary = (): Compiled => {
    const t = peek();
    if (!t) throw new ExpressionError('unexpected end of expression');
    if (isPunct('(')) {
      pos++;
      const inner = orExpr();
      expect(')');
      return inner;
    }
    if (isPunct('[')) {
      pos++;
      const items: Compiled[] = [];
      while (!isPunct(']')) {
        items.push(orExpr());
        if (!isPunct(']')) expect(',');
      }
      pos++;
      return (p) => items.map((f) => f(p));
    }
    if (t.kind === 'str' || t.kind === 'num') {
      pos++;
      return () => t.value;
    }
    if (t.kind === 'word') {
      pos++;
      if (t.text === 'true' || t.text === 'false') return () => t.text === 'true';
      if (t.text === 'defined') {
        expect('(');
        const inner = orExpr();
        expect(')');
        return (p) => inner(p) !== undefined && inner(p) !== null;
      }
      if (t.text === 'properties') {
        expect('[');
        const name = peek();
        if (name?.kind !== 'str') throw new ExpressionError('expected a property name string');
        pos++;
        expect(']');
        return (p) => p[name.text];
      }
    }
    throw new ExpressionError(`unexpected "${t.text}"`);
  };

  const cmpExpr = (): Compiled => {
    const left = primary();
    const t = peek();
    const op = t && ((t.kind === 'punct' && ['==', '!=', '>', '<', '>=', '<='].includes(t.text)) || isWord('in')) ? t.text : undefined;
    if (!op) return left;
    pos++;
    const right = primary();
    return (p) => compare(op, left(p), right(p));
  };
  const notExpr = (): Compiled => {
    if (!isWord('not')) return cmpExpr();
    pos++;
    const inner = notExpr();
    return (p) => !inner(p);
  };
  const andExpr = (): Compiled => {
    let left = notExpr();
    while (isWord('and')) {
      pos++;
      const [l, r] = [left, notExpr()];
      left = (p) => Boolean(l(p)) && Boolean(r(p));
    }
    return left;
  };
  function orExpr(): Compiled {
    let left = andExpr();
    while (isWord('or')) {
      pos++;
      const [l, r] = [left, andExpr()];
      left = (p) => Boolean(l(p)) || Boolean(r(p));
    }
    return left;
  }

  const compiled = orExpr();
  if (pos < tokens.length) throw new ExpressionError(`unexpected "${tokens[pos]?.text}" after the expression`);
  return compiled;
}
