/**
 * Whether an imported regular expression can be run on numbers that callers choose.
 *
 * Number rules are JavaScript regexes from a configuration file, and they run on every caller's
 * number in the page's only thread: `^(\d+)+$` on 30 digits and an "x" takes seconds, on 40
 * hours. JavaScript has no time limit for a match, so the rules are checked on import instead,
 * and run only on numbers of at most MAX_RULE_INPUT characters (number-rules.ts). Two things make
 * a backtracking engine slow:
 *
 * - exponential: a repeated part that can match the same text in more than one way (a quantifier
 *   inside a repeated group, or alternatives that can start with the same character), or a
 *   backreference. Refused whatever the input's length.
 * - polynomial: several repeats that can share characters (`\d*\d*\d*\d*\d*x`). Harmless on 64
 *   characters as long as there are few of them, so their product is bounded (MAX_WAYS).
 *
 * The check is structural and errs on the side of refusing: inside a repeated group it wants
 * fixed counts and alternatives that start differently, which number rules rarely need.
 *
 * Libraries weighed (2026): safe-regex2 (star height only: passes `(\d|\d\d)+$` and
 * `(a|a)*$`, refuses lookbehind), redos-detector (3.8 s to judge `(a|a)*$`, itself a hang on
 * import; refuses harmless polynomial rules; 200 KB), scslre with refa (passes `(\d|\d\d)+$`;
 * over 1 MB). None fits a check that runs in the page on every import, so this one is ours.
 */

/** Numbers longer than this are never given to a rule (number-rules.ts). */
export const MAX_RULE_INPUT = 64;
/** Longer expressions are refused: no number rule needs more. */
export const MAX_PATTERN_LENGTH = 1000;
/** Most ways a 64-character number may be split among the repeats: `\d*` four times is ~1.8e7: about 0.1 s on the bench machine (`npm run bench`, "number rules"). */
const MAX_WAYS = 2e7;

type Node =
  | { t: "char"; src: string } // one character: a literal, a class, an escape such as \d, or "."
  | { t: "assert" } // ^ $ \b \B
  | { t: "backref" }
  | { t: "group"; alts: Node[][]; look: boolean }
  | { t: "repeat"; node: Node; min: number; max: number };

/** Parses a pattern that `new RegExp(source)` accepted (no flags: the Annex B syntax). */
function parse(source: string): Node[][] {
  let i = 0;
  const named = /\(\?<[^=!]/.test(source);

  function escape(): Node {
    const start = i++; // at "\"
    const c = source[i++] ?? "";
    if ("bB".includes(c)) return { t: "assert" };
    if (/[1-9]/.test(c)) return { t: "backref" };
    if (c === "k" && named && source[i] === "<") {
      i = source.indexOf(">", i) + 1;
      return { t: "backref" };
    }
    if (c === "x" && /^[0-9a-fA-F]{2}/.test(source.slice(i))) i += 2;
    else if (c === "u" && /^[0-9a-fA-F]{4}/.test(source.slice(i))) i += 4;
    else if (c === "c" && /^[a-zA-Z]/.test(source.slice(i))) i += 1;
    return { t: "char", src: source.slice(start, i) };
  }

  function charClass(): Node {
    const start = i++; // at "["
    while (i < source.length && source[i] !== "]") i += source[i] === "\\" ? 2 : 1;
    i++;
    return { t: "char", src: source.slice(start, i) };
  }

  function quantifier(): { min: number; max: number } | undefined {
    const c = source[i];
    let q: { min: number; max: number } | undefined;
    if (c === "*") q = { min: 0, max: Infinity };
    else if (c === "+") q = { min: 1, max: Infinity };
    else if (c === "?") q = { min: 0, max: 1 };
    else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
      if (!m) return undefined; // a literal "{" (Annex B)
      const min = Number(m[1]);
      q = { min, max: m[2] === undefined ? min : m[3] ? Number(m[3]) : Infinity };
      i += m[0].length - 1;
    }
    if (!q) return undefined;
    i++;
    if (source[i] === "?") i++; // lazy: the same ways to try, in another order
    return q;
  }

  function alternatives(): Node[][] {
    const alts: Node[][] = [[]];
    while (i < source.length && source[i] !== ")") {
      const c = source[i]!;
      let node: Node;
      if (c === "|") {
        i++;
        alts.push([]);
        continue;
      } else if (c === "(") {
        const head = /^\((\?(?:[:=!]|<[=!]|<[^>]*>|[a-z-]*:))?/.exec(source.slice(i))![0];
        i += head.length;
        node = { t: "group", alts: alternatives(), look: /^\(\?<?[=!]/.test(head) };
        i++; // ")"
      } else if (c === "\\") node = escape();
      else if (c === "[") node = charClass();
      else if (c === "^" || c === "$") {
        i++;
        node = { t: "assert" };
      } else {
        i++;
        node = { t: "char", src: c === "." ? "." : c };
      }
      const q = quantifier();
      alts.at(-1)!.push(q ? { t: "repeat", node, ...q } : node);
    }
    return alts;
  }

  return alternatives();
}

function nullable(node: Node): boolean {
  switch (node.t) {
    case "char":
      return false;
    case "repeat":
      return node.min === 0 || nullable(node.node);
    case "group":
      return node.look || node.alts.some((a) => a.every(nullable));
    default:
      return true;
  }
}

/** The characters a sequence can start with, as the sources of one-character matchers. */
function firstOf(seq: readonly Node[]): string[] {
  const out: string[] = [];
  for (const node of seq) {
    if (node.t === "char") out.push(node.src);
    else if (node.t === "repeat") out.push(...firstOf([node.node]));
    else if (node.t === "group" && !node.look) for (const alt of node.alts) out.push(...firstOf(alt));
    if (!nullable(node)) break;
  }
  return out;
}

/** Characters to try two matchers on: every character of the pattern (ends of ranges too) and a spread of others. */
function probesFor(source: string): string[] {
  const probes = new Set("0123456789aAzZ_ \t\n\r+-*#()./,;:%@!?$&=~'\"[]{}|\\^`<>é€\u00a0\u2028\u{1f600}");
  for (const c of source) probes.add(c);
  for (const m of source.matchAll(/\\x([0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})/g)) probes.add(String.fromCharCode(parseInt(m[1] ?? m[2]!, 16)));
  return [...probes];
}

/** Why running `source` on a caller's number could hang the page, or undefined if it cannot. */
export function regexHazard(source: string): string | undefined {
  if (source.length > MAX_PATTERN_LENGTH) return `is longer than ${MAX_PATTERN_LENGTH} characters`;
  const probes = probesFor(source);
  const matchers = new Map<string, RegExp>();
  const matches = (src: string, c: string) => {
    let re = matchers.get(src);
    if (!re) matchers.set(src, (re = new RegExp(`^(?:${src})$`)));
    return re.test(c);
  };
  const overlap = (a: string[], b: string[]) => probes.some((c) => a.some((x) => matches(x, c)) && b.some((y) => matches(y, c)));

  let ways = 1;
  const visit = (seq: readonly Node[], inRepeat: boolean): string | undefined => {
    for (const node of seq) {
      if (node.t === "backref") return "uses a backreference (\\1, \\k<name>): it can make matching take for ever";
      if (node.t === "group") {
        if (node.alts.length > 1) ways *= node.alts.length;
        if (inRepeat && node.alts.length > 1) {
          const firsts = node.alts.map(firstOf);
          for (let a = 0; a < firsts.length; a++)
            for (let b = a + 1; b < firsts.length; b++)
              if (overlap(firsts[a]!, firsts[b]!))
                return "repeats a choice whose alternatives can start with the same character: it can make matching take for ever (make them start differently)";
        }
        for (const alt of node.alts) {
          const problem = visit(alt, inRepeat);
          if (problem) return problem;
        }
      } else if (node.t === "repeat") {
        if (inRepeat && node.min !== node.max)
          return "has a quantifier inside a repeated group, as in (\\d+)+: it can make matching take for ever";
        if (node.min !== node.max) ways *= Math.max(1, Math.min(node.max, MAX_RULE_INPUT) - node.min + 1);
        const problem = visit([node.node], inRepeat || node.max > 1);
        if (problem) return problem;
      }
    }
    return undefined;
  };
  for (const alt of parse(source)) {
    const problem = visit(alt, false);
    if (problem) return problem;
  }
  if (ways > MAX_WAYS) return "has too many quantifiers (*, +, ?, {m,n}) to match quickly: use fewer";
  return undefined;
}
