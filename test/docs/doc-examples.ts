/**
 * Runs the `@example` blocks of TSDoc comments (house rule in STYLE.md: every export has a doc
 * comment whose `@example` runs).
 *
 * Example syntax understood here:
 * - a checked statement followed by a line starting with `[` or `(` needs a `;` (as in any
 *   semicolon-free JavaScript), else the runner reports the `//=>` as inside a statement;
 * - the block runs as the body of an async function with every public export of `src/index.ts`
 *   in scope (so `await` works and no imports are written);
 * - `expr //=> value` asserts that `expr` (the statement that ends just before the comment, which
 *   may also stand alone on the next line) evaluates to `value`; for `const x = …; //=> value`
 *   the declared variable is checked;
 * - `value` is a JavaScript literal (numbers, strings, `null`, `true`, arrays, objects with bare
 *   keys, `Infinity`, `NaN`); an optional trailing ` (comment)` is ignored;
 * - numbers are compared to 1e-9 relative; `33.33…` (or `33.33...`) means "approximately": within
 *   one unit of the last written digit (so both truncated and rounded digits pass);
 * - `≈ value` makes every number in `value` approximate in that sense (`≈ [0.5, 12.25]`);
 * - `"text…"` means the actual string starts with `text`;
 * - a trailing `…` in an object (`{ n: 3, … }`) means "these keys among others"; in an array
 *   (`[1, 2, …]`) it means "starts with these elements";
 * - a `Decimal` is compared to a string by `toString()` and to a number by value; a `Map` is
 *   compared to an object by its entries and to an array as `[...map]`;
 * - a block whose first line is `// illustrative` is only parsed, never run.
 */
import ts from "typescript";

/** One `@example` block found in a source file. */
export interface DocExample {
  /** Path relative to the repository root, e.g. `src/core/sum.ts`. */
  file: string;
  /** 1-based line of the `@example` tag. */
  line: number;
  /** Name of the declaration the comment documents (best effort). */
  name: string;
  /** The example code with the leading ` * ` removed. */
  code: string;
  /** True when the first line is `// illustrative`. */
  illustrative: boolean;
}

/** Extract every `@example` block of the `/** … *\/` comments in `text`. */
export function extractExamples(file: string, text: string): DocExample[] {
  const out: DocExample[] = [];
  const commentRe = /\/\*\*[\s\S]*?\*\//g;
  for (let m = commentRe.exec(text); m !== null; m = commentRe.exec(text)) {
    const comment = m[0];
    const startLine = text.slice(0, m.index).split("\n").length;
    const lines = comment
      .replace(/^\/\*\*/, "")
      .replace(/\*\/$/, "")
      .split("\n")
      .map((l) => l.replace(/^\s*\* ?/, ""));
    const after = text.slice(m.index + comment.length);
    const decl =
      /^\s*(?:export\s+)?(?:declare\s+)?(?:default\s+)?(?:async\s+)?(?:abstract\s+)?(?:function\*?|class|const|let|var|interface|type|enum)\s+([\w$]+)/.exec(
        after,
      );
    const member = /^\s*(?:(?:static|readonly|public|get|set|async)\s+)*([\w$]+)\s*[(:=<]/.exec(after);
    const name = decl?.[1] ?? member?.[1] ?? "?";
    for (let i = 0; i < lines.length; i++) {
      const tag = /^\s*@example\b(.*)$/.exec(lines[i]!);
      if (!tag) continue;
      const body: string[] = [];
      if (tag[1]!.trim() !== "") body.push(tag[1]!.trim());
      let j = i + 1;
      for (; j < lines.length && !/^\s*@\w/.test(lines[j]!); j++) body.push(lines[j]!);
      let code = body.join("\n");
      const fence = /```[\w-]*\n([\s\S]*?)```/.exec(code);
      if (fence) code = fence[1]!;
      code = code.replace(/^\s*\n/, "").trimEnd();
      out.push({
        file,
        line: startLine + i,
        name,
        code,
        illustrative: /^\s*\/\/\s*illustrative\b/i.test(code),
      });
      i = j - 1;
    }
  }
  return out;
}

/** An `//=>` assertion: the source of the checked expression and the expected-value text. */
export interface ExampleAssertion {
  expression: string;
  expected: string;
}

/** JavaScript ready to run plus its assertions (indexed by the first argument of `__check`). */
export interface CompiledExample {
  js: string;
  assertions: ExampleAssertion[];
}

/** Syntax errors of an example, as messages (empty when it parses). */
export function syntaxErrors(code: string): string[] {
  const r = ts.transpileModule(code, {
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  });
  return (r.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

/** Rewrite `expr //=> value` into `__check(k, (expr))` calls and transpile to JavaScript. */
export function compileExample(code: string): CompiledExample {
  const sf = ts.createSourceFile("example.ts", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const marks: { pos: number; expected: string }[] = [];
  let offset = 0;
  for (const line of code.split("\n")) {
    const at = line.indexOf("//=>");
    if (at >= 0) marks.push({ pos: offset + at, expected: line.slice(at + 4).trim() });
    offset += line.length + 1;
  }
  const edits: { at: number; text: string }[] = [];
  const assertions: ExampleAssertion[] = [];
  marks.forEach((mark, k) => {
    let target: ts.Statement | undefined;
    for (const s of sf.statements) {
      if (s.getEnd() <= mark.pos) target = s;
      else if (s.getStart(sf) < mark.pos) {
        throw new Error(
          `//=> inside the statement \`${s.getText(sf)}\`: the next line continues it (a line starting with \`[\` or \`(\`?); end the checked line with \`;\``,
        );
      }
    }
    if (target === undefined) throw new Error(`//=> at offset ${mark.pos} follows no statement`);
    if (ts.isExpressionStatement(target)) {
      const e = target.expression;
      edits.push({ at: e.getStart(sf), text: `__check(${k}, (` }, { at: e.getEnd(), text: "))" });
      assertions.push({ expression: e.getText(sf), expected: mark.expected });
    } else if (ts.isVariableStatement(target) && target.declarationList.declarations.length === 1) {
      const d = target.declarationList.declarations[0]!;
      if (!ts.isIdentifier(d.name)) throw new Error("//=> after a destructuring declaration");
      edits.push({ at: target.getEnd(), text: `;__check(${k}, ${d.name.text});` });
      assertions.push({ expression: d.name.text, expected: mark.expected });
    } else {
      throw new Error(
        `//=> must follow an expression or a single declaration; found ${ts.SyntaxKind[target.kind]}: ${target.getText(sf)}`,
      );
    }
  });
  edits.sort((a, b) => b.at - a.at);
  let src = code;
  for (const e of edits) src = src.slice(0, e.at) + e.text + src.slice(e.at);
  const r = ts.transpileModule(src, {
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  });
  const errors = (r.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  if (errors.length > 0) throw new Error(`example does not parse: ${errors.join("; ")}`);
  return { js: r.outputText.replace(/^export \{\};\s*$/m, ""), assertions };
}

// ---------------------------------------------------------------------------------------------
// Expected values
// ---------------------------------------------------------------------------------------------

class Approx {
  constructor(readonly text: string) {}
  get value(): number {
    return Number(this.text);
  }
  /** One unit of the last written digit. */
  get tolerance(): number {
    const m = /^-?(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(this.text);
    const decimals = m?.[2]?.length ?? 0;
    const exp = Number(m?.[3] ?? 0);
    return 10 ** (exp - decimals);
  }
}
class Prefix {
  constructor(readonly text: string) {}
}
const PARTIAL = Symbol("partial");

/** Turn the `…` shorthands into helper calls so the value can be evaluated as JavaScript. */
function desugar(raw: string): string {
  let out = "";
  let i = 0;
  const ellipsisAt = (j: number) => (raw.startsWith("…", j) ? 1 : raw.startsWith("...", j) ? 3 : 0);
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      while (j < raw.length && raw[j] !== c) j += raw[j] === "\\" ? 2 : 1;
      const lit = raw.slice(i, j + 1);
      const inner = lit.slice(1, -1);
      const e = inner.endsWith("…") ? 1 : inner.endsWith("...") ? 3 : 0;
      out += e > 0 ? `__prefix(${c}${inner.slice(0, -e)}${c})` : lit;
      i = j + 1;
      continue;
    }
    const num = /^(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?/i.exec(raw.slice(i));
    if (num && !/[\w$.]/.test(raw[i - 1] ?? "")) {
      const e = ellipsisAt(i + num[0].length);
      if (e > 0) {
        const negative = out.endsWith("-");
        if (negative) out = out.slice(0, -1);
        out += `__approx("${negative ? "-" : ""}${num[0]}")`;
        i += num[0].length + e;
        continue;
      }
      out += num[0];
      i += num[0].length;
      continue;
    }
    const e = ellipsisAt(i);
    if (e > 0) {
      const rest = raw.slice(i + e).trimStart();
      if (rest.startsWith("}")) {
        out += "[__PARTIAL]: true";
        i += e;
        continue;
      }
      if (rest.startsWith("]")) {
        out += "__PARTIAL";
        i += e;
        continue;
      }
    }
    out += c;
    i++;
  }
  return out;
}

/** Evaluate the expected-value text of an assertion (with `scope` names available). */
export function parseExpected(raw: string, scope: Record<string, unknown>): unknown {
  const names = Object.keys(scope).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k));
  const values = names.map((k) => scope[k]);
  const tryEval = (text: string): { ok: true; value: unknown } | { ok: false } => {
    // `≈ value`: every number in value is approximate (as if written `1.23…`).
    if (/^\s*≈/.test(text))
      text = text
        .replace(/^\s*≈\s*/, "")
        .replace(/(?<![\w$.])(\d+\.?\d*|\.\d+)(e[+-]?\d+)?(?![\d.…])/gi, "$1$2…");
    try {
      const f = new Function(
        "__approx",
        "__prefix",
        "__PARTIAL",
        ...names,
        `"use strict"; return (${desugar(text)});`,
      );
      return {
        ok: true,
        value: f(
          (t: string) => new Approx(t),
          (t: string) => new Prefix(t),
          PARTIAL,
          ...values,
        ),
      };
    } catch {
      return { ok: false };
    }
  };
  const whole = tryEval(raw);
  if (whole.ok) return whole.value;
  // Drop a trailing " (comment)": try each " (" from the left.
  for (let i = raw.indexOf(" ("); i >= 0; i = raw.indexOf(" (", i + 1)) {
    const r = tryEval(raw.slice(0, i));
    if (r.ok) return r.value;
  }
  throw new Error(`cannot read the expected value \`${raw}\``);
}

function isDecimal(x: unknown): x is { toString(): string; toNumber(): number } {
  return (
    typeof x === "object" &&
    x !== null &&
    typeof (x as { toNumber?: unknown }).toNumber === "function" &&
    typeof (x as { isFinite?: unknown }).isFinite === "function"
  );
}

function show(x: unknown): string {
  if (x instanceof Approx) return `${x.text}…`;
  if (x instanceof Prefix) return `"${x.text}…"`;
  if (isDecimal(x)) return `Decimal(${x.toString()})`;
  if (x instanceof Map) return `Map(${show([...x])})`;
  try {
    const s = JSON.stringify(x, (_k, v) => {
      if (typeof v === "number" && !Number.isFinite(v)) return String(v);
      if (v instanceof Map) return { Map: [...v] };
      if (v instanceof Approx) return `${v.text}…`;
      if (v instanceof Prefix) return `${v.text}…`;
      if (typeof v === "bigint") return `${v}n`;
      if (typeof v === "object" && v !== null && isDecimal(v)) return `Decimal(${v.toString()})`;
      return v;
    });
    return s === undefined ? String(x) : s.length > 600 ? `${s.slice(0, 600)}…` : s;
  } catch {
    return String(x);
  }
}

/** Numbers equal to 1e-9 relative (or exactly, which covers ±Infinity; NaN equals NaN). */
export function numbersMatch(actual: number, expected: number): boolean {
  if (Number.isNaN(actual) && Number.isNaN(expected)) return true;
  if (actual === expected) return true;
  const diff = Math.abs(actual - expected);
  return diff <= 1e-9 * Math.max(Math.abs(actual), Math.abs(expected)) || diff <= 1e-300;
}

/** Compare `actual` with an evaluated expected value; returns a mismatch description or null. */
export function mismatch(actual: unknown, expected: unknown, path = "$"): string | null {
  const fail = () => `${path}: expected ${show(expected)}, got ${show(actual)}`;
  if (isDecimal(actual) && (typeof expected === "number" || expected instanceof Approx)) {
    return mismatch(actual.toNumber(), expected, path);
  }
  if (isDecimal(actual) && (typeof expected === "string" || expected instanceof Prefix)) {
    return mismatch(actual.toString(), expected, path);
  }
  if (expected instanceof Approx) {
    if (typeof actual !== "number") return fail();
    return Math.abs(actual - expected.value) <= expected.tolerance * (1 + 1e-12) ? null : fail();
  }
  if (expected instanceof Prefix) {
    return typeof actual === "string" && actual.startsWith(expected.text) ? null : fail();
  }
  if (typeof expected === "number") {
    if (typeof actual === "bigint") return numbersMatch(Number(actual), expected) ? null : fail();
    return typeof actual === "number" && numbersMatch(actual, expected) ? null : fail();
  }
  if (expected === null || typeof expected !== "object") {
    if (actual instanceof Date && typeof expected === "string") {
      return actual.toISOString() === expected ? null : fail();
    }
    return Object.is(actual, expected) || actual === expected ? null : fail();
  }
  if (Array.isArray(expected)) {
    let list: unknown[];
    if (Array.isArray(actual)) list = actual;
    else if (actual instanceof Map || actual instanceof Set) list = [...actual];
    else if (ArrayBuffer.isView(actual)) list = Array.from(actual as unknown as ArrayLike<number>);
    else return fail();
    const partial = expected[expected.length - 1] === PARTIAL;
    const want = partial ? expected.slice(0, -1) : expected;
    if (partial ? list.length < want.length : list.length !== want.length) {
      return `${path}: expected ${partial ? "at least " : ""}${want.length} elements, got ${list.length}: ${show(actual)}`;
    }
    for (let i = 0; i < want.length; i++) {
      const m = mismatch(list[i], want[i], `${path}[${i}]`);
      if (m) return m;
    }
    return null;
  }
  if (actual === null || typeof actual !== "object") return fail();
  const exp = expected as Record<string | symbol, unknown>;
  const partial = exp[PARTIAL] === true;
  const act: Record<string, unknown> =
    actual instanceof Map ? Object.fromEntries(actual) : (actual as Record<string, unknown>);
  const wantKeys = Object.keys(exp).filter((k) => exp[k] !== undefined);
  if (!partial) {
    const extra = Object.keys(act).filter((k) => act[k] !== undefined && !(k in exp));
    if (extra.length > 0) return `${path}: unexpected keys ${extra.join(", ")} in ${show(actual)}`;
  }
  for (const k of wantKeys) {
    if (!(k in act)) return `${path}: missing key ${k} in ${show(actual)}`;
    const m = mismatch(act[k], exp[k], `${path}.${k}`);
    if (m) return m;
  }
  return null;
}

// biome-ignore lint/complexity/useArrowFunction: need the AsyncFunction constructor
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor as new (
  ...args: string[]
) => (...args: unknown[]) => Promise<unknown>;

/** Run an example with `scope` in scope; throws on the first failed assertion or error. */
export async function runExample(example: DocExample, scope: Record<string, unknown>): Promise<number> {
  const { js, assertions } = compileExample(example.code);
  const expected = assertions.map((a) => parseExpected(a.expected, scope));
  const names = Object.keys(scope).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k));
  const failures: string[] = [];
  const check = (k: number, actual: unknown) => {
    const m = mismatch(actual, expected[k]);
    if (m) failures.push(`\`${assertions[k]!.expression}\` //=> ${assertions[k]!.expected}\n    ${m}`);
    return actual;
  };
  const fn = new AsyncFunction(...names, "__check", `"use strict";\n{\n${js}\n}`);
  await fn(...names.map((k) => scope[k]), check);
  if (failures.length > 0) throw new Error(failures.join("\n"));
  return assertions.length;
}
