/**
 * Checks text the way Prometheus parses alert labels and annotations: as a Go text/template with
 * Prometheus' template functions and the variables it declares in front of every template. A pure
 * port of the parts of Go's `text/template/parse` (lexer and parser) that decide whether a template
 * parses, so settings can refuse a template before `promtool check rules` or Prometheus would.
 * test/settings/goTemplate.tools.test.ts checks that it agrees with promtool.
 */
import { checkQuoted, fail, type Kind, lex, type Token, TemplateError } from "./goTemplateLexer";

/**
 * Prometheus' template functions (text mode, what alert labels and annotations use; `tmpl` exists
 * only in console templates). https://prometheus.io/docs/prometheus/latest/configuration/template_reference/
 * and `NewTemplateExpander` in https://github.com/prometheus/prometheus/blob/main/template/template.go
 */
export const PROMETHEUS_TEMPLATE_FUNCTIONS = [
  "query", "first", "label", "value", "strvalue", "sortByLabel", "args", "tableLink", "graphLink",
  "safeHtml", "match", "reReplaceAll", "title", "toUpper", "toLower", "stripPort", "stripDomain",
  "humanize", "humanize1024", "humanizeDuration", "humanizePercentage", "humanizeTimestamp",
  "toTime", "parseDuration", "pathPrefix", "externalURL",
] as const; // prettier-ignore

/** Go's predefined template functions. https://pkg.go.dev/text/template#hdr-Functions */
export const GO_TEMPLATE_BUILTINS = [
  "and", "or", "not", "len", "index", "slice", "print", "printf", "println", "html", "js",
  "urlquery", "call", "eq", "ne", "lt", "le", "gt", "ge",
] as const; // prettier-ignore

/**
 * Variables Prometheus declares before each alert template (`defs` in `testTemplateParsing`,
 * https://github.com/prometheus/prometheus/blob/main/model/rulefmt/rulefmt.go, and
 * https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/#templating).
 */
export const PROMETHEUS_TEMPLATE_VARIABLES = [
  "$labels",
  "$externalLabels",
  "$externalURL",
  "$value",
] as const;

/** What a template problem message ends with: where the functions are listed, how to escape `{{`. */
export const TEMPLATE_HELP =
  'Prometheus reads alert labels and annotations as Go templates with the functions of https://prometheus.io/docs/prometheus/latest/configuration/template_reference/; write a literal `{{` as `{{ "{{" }}`';

const FUNCTIONS: ReadonlySet<string> = new Set([
  ...PROMETHEUS_TEMPLATE_FUNCTIONS,
  ...GO_TEMPLATE_BUILTINS,
]);

/** A recursive-descent parser over the tokens, after Go's `text/template/parse` (parse.go). */
class Parser {
  private i = 0;
  private vars: string[] = ["$", ...PROMETHEUS_TEMPLATE_VARIABLES];
  private rangeDepth = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  private next(): Token {
    return this.tokens[this.i++];
  }
  private nextNonSpace(): Token {
    let token = this.next();
    while (token.kind === "space") token = this.next();
    return token;
  }
  private peekNonSpace(): Token {
    const token = this.nextNonSpace();
    this.i--;
    return token;
  }
  private expect(kind: Kind, context: string): void {
    const token = this.nextNonSpace();
    if (token.kind !== kind) this.unexpected(token, context);
  }
  private unexpected(token: Token, context: string): never {
    const what = token.kind === "eof" ? "EOF" : token.kind === "right" ? "}}" : token.value;
    return fail(`unexpected ${JSON.stringify(what)} in ${context}`);
  }

  parse(): void {
    while (this.tokens[this.i].kind !== "eof") {
      this.expect("left", "input");
      const first = this.peekNonSpace();
      if (first.kind === "keyword" && first.value === "define") {
        this.nextNonSpace();
        this.definition("define clause", true);
        continue;
      }
      const end = this.action();
      if (end !== undefined) fail(`unexpected {{${end.kind}}}`);
    }
  }

  /** A `define` or `block` body: a tree of its own, which sees only `$`. */
  private definition(context: string, expectDelim: boolean): void {
    this.templateName(this.nextNonSpace(), context);
    if (expectDelim) this.expect("right", context);
    else this.pipeline(context, "right");
    const [vars, rangeDepth] = [this.vars, this.rangeDepth];
    [this.vars, this.rangeDepth] = [["$"], 0];
    const end = this.itemList();
    if (end.kind !== "end") fail(`unexpected {{else}} in ${context}`);
    [this.vars, this.rangeDepth] = [vars, rangeDepth];
  }

  private templateName(token: Token, context: string): void {
    if (token.kind !== "string") this.unexpected(token, context);
    checkQuoted(token);
  }

  /** Items up to `{{end}}` or `{{else}}`, which it returns. */
  private itemList(): { kind: "end" | "else"; chained?: string } {
    while (this.tokens[this.i].kind !== "eof") {
      this.expect("left", "input");
      const end = this.action();
      if (end !== undefined) return end;
    }
    return fail("unexpected EOF");
  }

  /** One action after `{{`; returns `{{end}}` and `{{else}}` for the enclosing list. */
  private action(): { kind: "end" | "else"; chained?: string } | undefined {
    const token = this.nextNonSpace();
    const word = token.kind === "keyword" ? token.value : "";
    if (word === "end") this.expect("right", "end");
    else if (word === "else") {
      const chained = this.peekNonSpace();
      if (chained.kind === "keyword" && (chained.value === "if" || chained.value === "with"))
        return { kind: "else", chained: chained.value };
      this.expect("right", "else");
    } else if (word === "break" || word === "continue") {
      if (this.rangeDepth === 0) fail(`{{${word}}} outside {{range}}`);
      this.expect("right", word);
    } else if (word === "if" || word === "range" || word === "with") this.control(word);
    else if (word === "block") this.definition("block clause", false);
    else if (word === "template") {
      this.templateName(this.nextNonSpace(), "template clause");
      if (this.nextNonSpace().kind !== "right") {
        this.i--;
        this.pipeline("template clause", "right");
      }
    } else {
      this.i--;
      this.pipeline("command", "right");
    }
    return word === "end" || word === "else" ? { kind: word } : undefined;
  }

  private control(context: "if" | "range" | "with"): void {
    const saved = this.vars.length;
    this.pipeline(context, "right");
    if (context === "range") this.rangeDepth++;
    const end = this.itemList();
    if (context === "range") this.rangeDepth--;
    if (end.kind === "else" && end.chained !== undefined) {
      // `{{else if …}}` is an `if` inside the else branch that shares its `{{end}}`.
      if (end.chained !== context) fail(`unexpected <${end.chained}> in else`);
      this.nextNonSpace();
      this.control(context);
    } else if (end.kind === "else" && this.itemList().kind !== "end")
      fail("expected end; found {{else}}");
    this.vars.length = saved;
  }

  private pipeline(context: string, end: "right" | "rparen"): void {
    // Declarations first: `$x :=`, `$x =`, and in a range `$i, $e :=`.
    for (let declared = 0; ;) {
      const start = this.i;
      const variable = this.nextNonSpace();
      const op = variable.kind === "var" ? this.nextNonSpace() : undefined;
      if (op?.kind !== "assign" && op?.kind !== "declare" && op?.kind !== "comma") {
        this.i = start;
        break;
      }
      this.vars.push(variable.value);
      if (op.kind !== "comma") break;
      if (context !== "range" || ++declared >= 2) fail(`too many declarations in ${context}`);
      if (!["var", "right", "rparen"].includes(this.peekNonSpace().kind))
        fail("range can only initialize variables");
    }
    const commands: Kind[] = [];
    for (;;) {
      const token = this.nextNonSpace();
      if (token.kind === end) break;
      if (!OPERAND_START.has(token.kind)) this.unexpected(token, context);
      this.i--;
      commands.push(this.command());
    }
    if (commands.length === 0) fail(`missing value for ${context}`);
    const stage = commands.findIndex((k, n) => n > 0 && NOT_EXECUTABLE.has(k));
    if (stage > 0) fail(`non executable command in pipeline stage ${stage + 1}`);
  }

  /** One command of a pipeline; returns the kind of its first operand. */
  private command(): Kind {
    const args: Kind[] = [];
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand !== undefined) args.push(operand);
      const token = this.next();
      if (token.kind === "space") continue;
      if (token.kind === "right" || token.kind === "rparen") this.i--;
      else if (token.kind !== "pipe") this.unexpected(token, "operand");
      break;
    }
    return args[0] ?? fail("empty command");
  }

  private operand(): Kind | undefined {
    const term = this.term();
    if (term !== undefined && this.tokens[this.i].kind === "field") {
      while (this.tokens[this.i].kind === "field") this.i++;
      if (NOT_EXECUTABLE.has(term)) fail(`unexpected . after term`);
      return "field";
    }
    return term;
  }

  private term(): Kind | undefined {
    const token = this.nextNonSpace();
    switch (token.kind) {
      case "ident":
        if (!FUNCTIONS.has(token.value))
          fail(`function ${JSON.stringify(token.value)} not defined`);
        break;
      case "var":
        if (!this.vars.includes(token.value))
          fail(`undefined variable ${JSON.stringify(token.value)}`);
        break;
      case "string":
      case "char":
        checkQuoted(token);
        break;
      case "lparen":
        this.pipeline("parenthesized pipeline", "rparen");
        break;
      case "dot":
      case "nil":
      case "field":
      case "bool":
      case "number":
        break;
      default:
        this.i--;
        return undefined;
    }
    return token.kind === "char" ? "number" : token.kind;
  }
}

const OPERAND_START: ReadonlySet<Kind> = new Set<Kind>([
  "bool", "char", "number", "dot", "field", "ident", "nil", "string", "var", "lparen",
]); // prettier-ignore
/** Operands that cannot start a later pipeline stage (Go's `checkPipeline`). */
const NOT_EXECUTABLE: ReadonlySet<Kind> = new Set<Kind>(["bool", "dot", "nil", "number", "string"]);

/**
 * Why `text` would not parse as a Prometheus alert template, or `undefined` when it parses, e.g.
 * `function "humanise" not defined` or `unclosed action`. Only parsing is checked, as promtool does:
 * a template that parses can still fail when it runs (a `{{ template }}` of an unknown name).
 */
export function templateProblem(text: string): string | undefined {
  if (!text.includes("{{")) return undefined;
  try {
    new Parser(lex(text)).parse();
    return undefined;
  } catch (error) {
    if (error instanceof TemplateError) return error.message;
    throw error;
  }
}
