/**
 * `triggerParam.boolExp`: trigger names joined by `&`, `|`, `!` and parentheses (`&&` and `||`
 * are read as `&` and `|`). `!` binds tightest, then `&`, then `|`.
 */
export type BoolExp =
  | { op: 'name'; name: string }
  | { op: 'not'; of: BoolExp }
  | { op: 'and' | 'or'; left: BoolExp; right: BoolExp };

const TOKEN = /\s*(&&|\|\||[&|!()]|[A-Za-z][A-Za-z0-9_.-]*)/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(text);
    if (!m) throw new Error(`unexpected "${text.slice(at).trim()[0]}" at position ${at + 1}`);
    tokens.push(m[1] === '&&' ? '&' : m[1] === '||' ? '|' : m[1]);
    at = TOKEN.lastIndex;
  }
  return tokens;
}

/** Parses an expression; throws an Error whose message says what is wrong. */
export function parseBoolExp(text: string): BoolExp {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i];
  const or = (): BoolExp => {
    let left = and();
    while (peek() === '|') {
      i++;
      left = { op: 'or', left, right: and() };
    }
    return left;
  };
  const and = (): BoolExp => {
    let left = unary();
    while (peek() === '&') {
      i++;
      left = { op: 'and', left, right: unary() };
    }
    return left;
  };
  const unary = (): BoolExp => {
    const t = tokens[i++];
    if (t === undefined) throw new Error('ends where a trigger name was expected');
    if (t === '!') return { op: 'not', of: unary() };
    if (t === '(') {
      const inner = or();
      if (tokens[i++] !== ')') throw new Error('a "(" is not closed');
      return inner;
    }
    if (/^[A-Za-z]/.test(t)) return { op: 'name', name: t };
    throw new Error(`"${t}" where a trigger name was expected`);
  };
  const exp = or();
  if (i < tokens.length) throw new Error(`unexpected "${tokens[i]}"`);
  return exp;
}

export function namesIn(exp: BoolExp, into = new Set<string>()): Set<string> {
  if (exp.op === 'name') into.add(exp.name);
  else if (exp.op === 'not') namesIn(exp.of, into);
  else {
    namesIn(exp.left, into);
    namesIn(exp.right, into);
  }
  return into;
}

export function evaluate(exp: BoolExp, value: (name: string) => boolean): boolean {
  switch (exp.op) {
    case 'name':
      return value(exp.name);
    case 'not':
      return !evaluate(exp.of, value);
    case 'and':
      return evaluate(exp.left, value) && evaluate(exp.right, value);
    case 'or':
      return evaluate(exp.left, value) || evaluate(exp.right, value);
  }
}

/** `true`/`false` when the expression has that value whatever the triggers (the spec refuses those), else undefined. */
export function constantValue(exp: BoolExp): boolean | undefined {
  const names = [...namesIn(exp)];
  let seen: boolean | undefined;
  for (let bits = 0; bits < 1 << names.length; bits++) {
    const v = evaluate(exp, (n) => (bits & (1 << names.indexOf(n))) !== 0);
    if (seen === undefined) seen = v;
    else if (seen !== v) return undefined;
  }
  return seen;
}
