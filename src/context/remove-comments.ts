/**
 * Comment removal by a small lexer that knows each family's strings, so `"// not a comment"`,
 * `'#'`, template literals, regex literals and heredocs survive. A comment inside one line
 * becomes a space (so `int/*x*\/y` stays two tokens); lines left blank by a removal are dropped;
 * a shebang line stays. Languages without a known syntax are returned unchanged. Pure.
 */
import { commentSyntaxFor, type CommentSyntax } from "./comment-syntax.ts";

const plainRun = /[A-Za-z0-9_ \t]*/y;
/** Rust: `r` and `b` may open a raw or byte string, so they are looked at one by one. */
const rustPlainRun = /[A-Zac-qs-z0-9_ \t]*/y;
const regexAfterChars = new Set("(,=:[!&|?{};+-*%<>~^".split(""));
const regexAfterWords = new Set([
  "return",
  "typeof",
  "case",
  "do",
  "else",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "instanceof",
  "yield",
  "await",
]);

class Lexer {
  out = "";
  i = 0;
  /** Line numbers (0-based) where something was removed. */
  readonly touched = new Set<number>();
  private line = 0;
  /** JS: brace depth at which each open template literal resumes. */
  private readonly templates: number[] = [];
  private braces = 0;

  constructor(
    private readonly src: string,
    private readonly syntax: CommentSyntax,
  ) {}

  private emit(text: string): void {
    for (const ch of text) if (ch === "\n") this.line++;
    this.out += text;
  }

  private copyUntil(end: number): void {
    this.emit(this.src.slice(this.i, end));
    this.i = end;
  }

  private removeUntil(end: number, inline: string): void {
    const removed = this.src.slice(this.i, end);
    const newlines = removed.split("\n").length - 1;
    this.touched.add(this.line);
    for (let n = 0; n < newlines; n++) this.touched.add(this.line + n + 1);
    this.emit(newlines > 0 ? "\n".repeat(newlines) : inline);
    this.i = end;
  }

  /** End index of a quoted string starting at i (after the closing quote). */
  private stringEnd(start: number, quote: string, escapes: boolean): number {
    let j = start + quote.length;
    while (j < this.src.length) {
      const ch = this.src[j];
      if (escapes && ch === "\\") j += 2;
      else if (this.src.startsWith(quote, j)) return j + quote.length;
      else if (
        ch === "\n" &&
        quote.length === 1 &&
        quote !== "`" &&
        !(this.syntax.hashAtWordStart && escapes)
      )
        return j;
      else j++;
    }
    return j;
  }

  /** The word or character before `i`, skipping whitespace (bounded look-back). */
  private previousSignificant(i: number): string {
    let j = i - 1;
    while (j >= 0 && /\s/.test(this.src[j] as string)) j--;
    if (j < 0) return "";
    let k = j;
    while (k >= 0 && k > j - 12 && /[\w$]/.test(this.src[k] as string)) k--;
    return k < j ? this.src.slice(k + 1, j + 1) : (this.src[j] as string);
  }

  private regexEnd(start: number): number | undefined {
    let j = start + 1;
    let inClass = false;
    while (j < this.src.length) {
      const ch = this.src[j];
      if (ch === "\n") return undefined;
      if (ch === "\\") j += 2;
      else {
        if (ch === "[") inClass = true;
        else if (ch === "]") inClass = false;
        else if (ch === "/" && !inClass) return j + 1;
        j++;
      }
    }
    return undefined;
  }

  private atWordStart(): boolean {
    const prev = this.src[this.i - 1];
    return prev === undefined || /[\s;|&()]/.test(prev);
  }

  run(): string {
    const { src, syntax } = this;
    if (src.startsWith("#!"))
      this.copyUntil(src.indexOf("\n") === -1 ? src.length : src.indexOf("\n"));
    while (this.i < src.length) {
      const i = this.i;
      const ch = src[i] as string;
      // Template literal text (JS), resumed after a `}` closed its ${…}.
      if (syntax.javascript && ch === "}" && this.templates.at(-1) === this.braces) {
        this.templates.pop();
        this.copyTemplate(i + 1);
        continue;
      }
      const block = syntax.block.find(([open]) => src.startsWith(open, i));
      if (block) {
        this.removeUntil(this.blockEnd(i, block[0], block[1]), " ");
        continue;
      }
      const line = syntax.line.find((marker) => src.startsWith(marker, i));
      if (line && (!syntax.hashAtWordStart || line !== "#" || this.atWordStart())) {
        const end = src.indexOf("\n", i);
        this.removeUntil(end === -1 ? src.length : end, "");
        continue;
      }
      if (syntax.tripleQuotes && (src.startsWith('"""', i) || src.startsWith("'''", i))) {
        this.copyUntil(this.stringEnd(i, src.slice(i, i + 3), true));
        continue;
      }
      if (syntax.rust && (ch === "r" || ch === "b" || ch === "'") && this.rustLiteral(i)) continue;
      if (syntax.heredoc && src.startsWith("<<", i) && this.heredoc(i)) continue;
      if (syntax.quotes.includes(ch)) {
        this.copyUntil(this.stringEnd(i, ch, true));
        continue;
      }
      if (syntax.rawQuotes?.includes(ch)) {
        this.copyUntil(this.stringEnd(i, ch, false));
        continue;
      }
      if (syntax.javascript) {
        if (ch === "`") {
          this.copyTemplate(i + 1);
          continue;
        }
        if (ch === "/") {
          const prev = this.previousSignificant(i);
          const end =
            prev === "" || regexAfterChars.has(prev) || regexAfterWords.has(prev)
              ? this.regexEnd(i)
              : undefined;
          if (end !== undefined) {
            this.copyUntil(end);
            continue;
          }
        }
        if (ch === "{") this.braces++;
        if (ch === "}") this.braces--;
      }
      // Letters, digits and spaces never start a comment or string: copy a run of them at once.
      const run = syntax.rust ? rustPlainRun : plainRun;
      run.lastIndex = i + 1;
      this.copyUntil(run.test(src) ? run.lastIndex : i + 1);
    }
    return this.out;
  }

  private blockEnd(start: number, open: string, close: string): number {
    let depth = 1;
    let j = start + open.length;
    while (j < this.src.length) {
      if (this.syntax.nestedBlocks && this.src.startsWith(open, j)) {
        depth++;
        j += open.length;
      } else if (this.src.startsWith(close, j)) {
        if (--depth === 0) return j + close.length;
        j += close.length;
      } else j++;
    }
    return j;
  }

  /** Copies from `this.i` through template text to the closing backtick or the next `${`. */
  private copyTemplate(from: number): void {
    let j = from;
    while (j < this.src.length) {
      if (this.src[j] === "\\") j += 2;
      else if (this.src[j] === "`") {
        j++;
        break;
      } else if (this.src.startsWith("${", j)) {
        j += 2;
        this.templates.push(this.braces);
        break;
      } else j++;
    }
    this.copyUntil(j);
  }

  private rustLiteral(i: number): boolean {
    const raw = /^(?:b?r)(#*)"/.exec(this.src.slice(i, i + 260));
    if (raw && !/[\w]/.test(this.src[i - 1] ?? "")) {
      const close = `"${raw[1] ?? ""}`;
      const end = this.src.indexOf(close, i + raw[0].length);
      this.copyUntil(end === -1 ? this.src.length : end + close.length);
      return true;
    }
    if (this.src[i] === "'") {
      // 'x', '\n', '\u{1F600}' are chars; 'a (no closing quote soon) is a lifetime.
      const char = /^'(?:\\(?:u\{[0-9a-fA-F]+\}|x[0-9a-fA-F]{2}|.)|[^\\'\n])'/u.exec(
        this.src.slice(i, i + 16),
      );
      this.copyUntil(i + (char ? char[0].length : 1));
      return true;
    }
    return false;
  }

  private heredoc(i: number): boolean {
    const match = /^<<-?\s*(['"]?)([A-Za-z_][\w]*)\1/.exec(this.src.slice(i, i + 80));
    if (!match) return false;
    const bodyStart = this.src.indexOf("\n", i);
    if (bodyStart === -1) return false;
    const terminator = new RegExp(`^[\\t]*${match[2]}$`, "m");
    const rest = this.src.slice(bodyStart + 1);
    const found = terminator.exec(rest);
    // Copy the rest of the `<<WORD` line as code would be safer, but comments there are rare.
    const end = found ? bodyStart + 1 + found.index + found[0].length : this.src.length;
    this.copyUntil(end);
    return true;
  }
}

export function removeComments(text: string, filePath: string): string {
  const syntax = commentSyntaxFor(filePath);
  if (!syntax) return text;
  const lexer = new Lexer(text, syntax);
  const out = lexer.run();
  const lines = out.split("\n");
  const kept: string[] = [];
  lines.forEach((line, index) => {
    if (!lexer.touched.has(index)) kept.push(line);
    else if (line.trim() !== "") kept.push(line.trimEnd());
  });
  return kept.join("\n");
}

export function removeEmptyLines(text: string): string {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .join("\n");
}
