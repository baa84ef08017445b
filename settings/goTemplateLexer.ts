/**
 * The lexer of Go's text/template (`text/template/parse/lex.go`) for settings/goTemplate.ts: the
 * tokens inside `{{ … }}` actions, comments and trim markers, and Go's rules for quoted strings,
 * character constants and numbers. Pure.
 */

const KEYWORDS = new Set([
  "block", "break", "continue", "define", "else", "end", "if", "range", "template", "with",
]); // prettier-ignore

export type Kind =
  | "left" | "right" | "space" | "ident" | "keyword" | "bool" | "nil" | "dot" | "field" | "var"
  | "string" | "char" | "number" | "pipe" | "declare" | "assign" | "lparen" | "rparen" | "comma"
  | "other" | "eof"; // prettier-ignore
export interface Token {
  readonly kind: Kind;
  readonly value: string;
}

export class TemplateError extends Error {}
export const fail = (message: string): never => {
  throw new TemplateError(message);
};

const isSpace = (c: string | undefined): boolean =>
  c === " " || c === "\t" || c === "\r" || c === "\n";
const isAlnum = (c: string | undefined): boolean => c !== undefined && /^[\p{L}\p{Nd}_]$/u.test(c);
/** What may follow a variable, field or identifier (Go's `atTerminator`). */
const atTerminator = (text: string, i: number): boolean =>
  i >= text.length || isSpace(text[i]) || ".,|:()".includes(text[i]) || text.startsWith("}}", i);
/** Length of the right delimiter at `i`: `}}` or ` -}}` (trim marker), 0 when there is none. */
const rightDelim = (text: string, i: number): number =>
  text.startsWith("}}", i) ? 2 : isSpace(text[i]) && text.startsWith("-}}", i + 1) ? 4 : 0;

/** Where a quoted string or character constant that starts at `i` ends (after the quote). */
function quotedEnd(text: string, i: number, quote: string, what: string): number {
  for (let j = i + 1; ; j++) {
    const c = text[j];
    if (c === "\\" && text[j + 1] !== undefined && text[j + 1] !== "\n") j++;
    else if (c === undefined || c === "\n" || c === "\\") fail(`unterminated ${what}`);
    else if (c === quote) return j + 1;
  }
}

/** Go number literals a template accepts: decimal, float, hex, octal (`0o17`, `017`) and binary. */
const NUMBER =
  /^[+-]?(?:0[oO][0-7]+(?:_[0-7]+)*|0[bB][01]+(?:_[01]+)*|0[xX][\da-fA-F]+(?:_[\da-fA-F]+)*|(?:\d+(?:_\d+)*(?:\.(?:\d+(?:_\d+)*)?)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+)?)$/;

/** The tokens of the actions of `text` (the text between actions is not needed). */
export function lex(text: string): Token[] {
  const tokens: Token[] = [];
  const push = (kind: Kind, value = ""): void => void tokens.push({ kind, value });
  let pos = 0;
  for (let start = text.indexOf("{{"); start >= 0; start = text.indexOf("{{", pos)) {
    pos = start + 2;
    if (text[pos] === "-" && isSpace(text[pos + 1])) pos += 2;
    if (text.startsWith("/*", pos)) {
      const end = text.indexOf("*/", pos + 2);
      if (end < 0) fail("unclosed comment");
      const delim = rightDelim(text, end + 2);
      if (delim === 0) fail("comment ends before closing delimiter");
      pos = end + 2 + delim;
      continue;
    }
    push("left");
    let parens = 0;
    for (;;) {
      const delim = rightDelim(text, pos);
      if (delim > 0) {
        if (parens > 0) fail("unclosed left paren");
        push("right");
        pos += delim;
        break;
      }
      const c = text[pos];
      const from = pos;
      if (c === undefined) fail("unclosed action");
      else if (isSpace(c)) {
        do pos++;
        while (isSpace(text[pos]) && rightDelim(text, pos) === 0);
        push("space");
      } else if (c === "=" || c === "|" || c === ",") {
        push(c === "=" ? "assign" : c === "|" ? "pipe" : "comma", c);
        pos++;
      } else if (c === ":") {
        if (text[pos + 1] !== "=") fail("expected :=");
        push("declare");
        pos += 2;
      } else if (c === '"' || c === "'") {
        pos = quotedEnd(text, pos, c, c === '"' ? "quoted string" : "character constant");
        push(c === '"' ? "string" : "char", text.slice(from, pos));
      } else if (c === "`") {
        const end = text.indexOf("`", pos + 1);
        if (end < 0) fail("unterminated raw quoted string");
        pos = end + 1;
        push("string", text.slice(from, pos));
      } else if (c === "(" || c === ")") {
        parens += c === "(" ? 1 : -1;
        if (parens < 0) fail("unexpected right paren");
        push(c === "(" ? "lparen" : "rparen", c);
        pos++;
      } else if (
        c === "+" ||
        c === "-" ||
        /\d/.test(c) ||
        (c === "." && /\d/.test(text[pos + 1]))
      ) {
        pos++;
        while (
          /[\w.]/.test(text[pos] ?? "") ||
          (/[eEpP]/.test(text[pos - 1]) && /[+-]/.test(text[pos]))
        )
          pos++;
        const number = text.slice(from, pos);
        // A leading 0 makes an integer octal, so `08` does not parse.
        const octal = /^[+-]?0[\d_]+$/.test(number);
        if (!NUMBER.test(number) || (octal && /[89]/.test(number)))
          fail(`illegal number syntax: ${JSON.stringify(number)}`);
        push("number", number);
      } else if (c === "$" || c === "." || isAlnum(c)) {
        pos++;
        while (isAlnum(text[pos])) pos++;
        if (!atTerminator(text, pos)) fail(`bad character ${JSON.stringify(text[pos])}`);
        const word = text.slice(from, pos);
        if (c === "$") push("var", word);
        else if (c === ".") push(word === "." ? "dot" : "field", word);
        else if (KEYWORDS.has(word)) push("keyword", word);
        else if (word === "true" || word === "false") push("bool", word);
        else push(word === "nil" ? "nil" : "ident", word);
      } else if (c.charCodeAt(0) < 0x7f && c >= " ") {
        push("other", c);
        pos++;
      } else fail(`unrecognized character in action: ${JSON.stringify(c)}`);
    }
  }
  push("eof");
  return tokens;
}

/** Go's `strconv.Unquote` rules for the body of a "…" string or '…' constant. */
export function checkQuoted(token: Token): void {
  if (token.value.startsWith("`")) return;
  const quote = token.value[0];
  const body = token.value.slice(1, -1);
  const escape =
    /\\(?:[abfnrtv\\]|x[\da-fA-F]{2}|u[\da-fA-F]{4}|U[\da-fA-F]{8}|[0-3][0-7]{2}|["'])/y;
  let chars = 0;
  for (let i = 0; i < body.length; chars++) {
    if (body[i] !== "\\") {
      i += body.codePointAt(i)! > 0xffff ? 2 : 1;
      continue;
    }
    escape.lastIndex = i;
    const match = escape.exec(body)?.[0];
    const code = match !== undefined && /^\\[uU]/.test(match) ? parseInt(match.slice(2), 16) : 0;
    if (match === undefined || (match[1] !== quote && /["']/.test(match[1])))
      fail(`invalid escape in ${token.value}`);
    if ((code >= 0xd800 && code < 0xe000) || code > 0x10ffff)
      fail(`invalid escape in ${token.value}`);
    i += match!.length;
  }
  if (quote === "'" && chars !== 1) fail(`malformed character constant: ${token.value}`);
}
