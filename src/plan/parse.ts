/**
 * AI-PLAN.md → plan, for plans a person edited or a model wrote as markdown. Every problem is
 * reported with its line: `AI-PLAN.md:14: S2 files: unknown action "edit"`. Pure.
 */
import { absentBlob, planFormat, type PlanDocument, type PlanMeta } from "./document.ts";
import { planSchema, type Plan } from "./schema.ts";

export class PlanParseError extends Error {
  override name = "PlanParseError";
  constructor(
    readonly problems: { line: number; message: string }[],
    readonly file = "AI-PLAN.md",
  ) {
    super(problems.map((p) => `${file}:${p.line}: ${p.message}`).join("\n"));
  }
}

type Problems = { line: number; message: string }[];

/** One `…` or "…" token at `text[i]`; returns the value and where it ends. */
function readToken(text: string, i: number): { value: string; end: number } | { error: string } {
  if (text[i] === "`") {
    const end = text.indexOf("`", i + 1);
    if (end === -1) return { error: "unclosed `" };
    return { value: text.slice(i + 1, end), end: end + 1 };
  }
  if (text[i] === '"') {
    for (let j = i + 1; j < text.length; j++) {
      if (text[j] === "\\") j++;
      else if (text[j] === '"') {
        try {
          return { value: JSON.parse(text.slice(i, j + 1)) as string, end: j + 1 };
        } catch {
          return { error: `bad string ${text.slice(i, j + 1)}` };
        }
      }
    }
    return { error: 'unclosed "' };
  }
  return { error: `expected \`…\` or "…" at "${text.slice(i, i + 20)}"` };
}

/** "a, b, c" of items read by `item`; "none" is the empty list. */
function readList<T>(
  text: string,
  item: (text: string, i: number) => { value: T; end: number } | { error: string },
): T[] | { error: string } {
  const trimmed = text.trim();
  if (trimmed === "none") return [];
  const out: T[] = [];
  let i = 0;
  while (i < trimmed.length) {
    const read = item(trimmed, i);
    if ("error" in read) return read;
    out.push(read.value);
    i = read.end;
    if (i >= trimmed.length) break;
    if (!trimmed.startsWith(", ", i))
      return { error: `expected ", " between items at "${trimmed.slice(i, i + 20)}"` };
    i += 2;
  }
  return out;
}

function readFileItem(text: string, i: number) {
  const match = /^(create|modify|delete) /.exec(text.slice(i));
  if (!match)
    return {
      error: `expected "create", "modify" or "delete" before a path at "${text.slice(i, i + 20)}"`,
    };
  const token = readToken(text, i + match[0].length);
  if ("error" in token) return token;
  const file = { action: match[1] as "create" | "modify" | "delete", path: token.value };
  if (!text.startsWith(" because ", token.end)) return { value: file, end: token.end };
  const start = token.end + " because ".length;
  if (text[start] !== '"')
    return { error: `expected "…" after "because" at "${text.slice(start, start + 20)}"` };
  const reason = readToken(text, start);
  if ("error" in reason) return reason;
  return { value: { ...file, reason: reason.value }, end: reason.end };
}

function scalar(raw: string): string {
  const value = raw.trim();
  if (value.startsWith('"')) return JSON.parse(value) as string;
  return value;
}

function parseFrontMatter(
  lines: string[],
  problems: Problems,
): { meta: Partial<PlanMeta>; validate?: string[]; end: number } {
  const meta: Partial<PlanMeta> = {};
  let validate: string[] | undefined;
  if (lines[0] !== "---") {
    problems.push({ line: 1, message: 'expected front matter starting with "---"' });
    return { meta, end: 0 };
  }
  let i = 1;
  const seen = new Set<string>();
  for (; i < lines.length && lines[i] !== "---"; i++) {
    const line = lines[i] as string;
    const lineNo = i + 1;
    const match = /^([A-Za-z]+):(.*)$/.exec(line);
    if (!match) {
      problems.push({
        line: lineNo,
        message: `expected "key: value" in the front matter, got "${line}"`,
      });
      continue;
    }
    const [, key = "", rest = ""] = match;
    if (seen.has(key)) problems.push({ line: lineNo, message: `${key} is given twice` });
    seen.add(key);
    // Indented continuation lines belong to this key.
    const block: { text: string; line: number }[] = [];
    while (i + 1 < lines.length && /^ {2}/.test(lines[i + 1] as string))
      block.push({ text: (lines[++i] as string).slice(2), line: i + 1 });
    try {
      if (key === "spe") {
        if (scalar(rest) !== planFormat)
          problems.push({ line: lineNo, message: `spe: expected ${planFormat}` });
      } else if (key === "id" || key === "spec" || key === "base") {
        meta[key] = scalar(rest);
      } else if (key === "validate") {
        validate =
          rest.trim() === "[]"
            ? []
            : block.map((b) => {
                if (!b.text.startsWith("- "))
                  throw Object.assign(new Error(`expected "- command"`), { line: b.line });
                return scalar(b.text.slice(2));
              });
      } else if (key === "cited") {
        const cited: Record<string, string> = {};
        if (rest.trim() !== "{}") {
          for (const b of block) {
            const entry = /^("(?:[^"\\]|\\.)*"|[^:]+): (.*)$/.exec(b.text);
            if (!entry) throw Object.assign(new Error(`expected "path": blob`), { line: b.line });
            cited[scalar(entry[1] ?? "")] = scalar(entry[2] ?? "") || absentBlob;
          }
        }
        meta.cited = cited;
      } else {
        problems.push({ line: lineNo, message: `unknown front matter key "${key}"` });
      }
    } catch (error) {
      problems.push({
        line: (error as { line?: number }).line ?? lineNo,
        message: `${key}: ${(error as Error).message}`,
      });
    }
  }
  if (i >= lines.length) problems.push({ line: 1, message: 'front matter has no closing "---"' });
  return { meta, ...(validate !== undefined ? { validate } : {}), end: i + 1 };
}

interface StepDraft {
  id: string;
  title: string;
  line: number;
  fields: Record<string, { value: string; line: number }>;
  description: string[];
}

/** Parses a plan's markdown. Without front matter (a model's answer) only the plan is read. */
export function parsePlanMarkdown(
  text: string,
  options: { frontMatter: boolean; file?: string },
): PlanDocument {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const problems: Problems = [];
  let meta: Partial<PlanMeta> = {};
  let validate: string[] | undefined;
  let i = 0;
  if (options.frontMatter) {
    const front = parseFrontMatter(lines, problems);
    ({ meta } = front);
    validate = front.validate;
    i = front.end;
  }
  while (i < lines.length && (lines[i] as string).trim() === "") i++;
  const titleLine = i + 1;
  const titleMatch = /^# (.+)$/.exec(lines[i] ?? "");
  if (!titleMatch)
    problems.push({ line: titleLine, message: 'expected the plan title as "# Title"' });
  i++;
  const summary: string[] = [];
  while (i < lines.length && !/^## S\d+: /.test(lines[i] as string))
    summary.push(lines[i++] as string);
  const steps: StepDraft[] = [];
  for (; i < lines.length; i++) {
    const line = lines[i] as string;
    const header = /^## (S\d+): (.*)$/.exec(line);
    if (header) {
      steps.push({
        id: header[1] ?? "",
        title: header[2] ?? "",
        line: i + 1,
        fields: {},
        description: [],
      });
      continue;
    }
    const step = steps.at(-1) as StepDraft;
    const field = /^(files|depends|validate):(.*)$/.exec(line);
    if (field && step.description.every((l) => l.trim() === "")) {
      const name = field[1] ?? "";
      if (step.fields[name])
        problems.push({ line: i + 1, message: `${step.id}: ${name} is given twice` });
      step.fields[name] = { value: field[2] ?? "", line: i + 1 };
      step.description = [];
    } else {
      step.description.push(line);
    }
  }
  const draft = {
    title: titleMatch?.[1] ?? "",
    summary: summary.join("\n"),
    steps: steps.map((step) => {
      const out: Record<string, unknown> = {
        id: step.id,
        title: step.title,
        description: step.description.join("\n"),
        files: [],
      };
      const files = step.fields.files;
      if (!files) problems.push({ line: step.line, message: `${step.id}: missing "files:" line` });
      else {
        const list = readList(files.value, readFileItem);
        if ("error" in list)
          problems.push({ line: files.line, message: `${step.id} files: ${list.error}` });
        else out.files = list;
      }
      const depends = step.fields.depends;
      if (depends) {
        const ids =
          depends.value.trim() === "none" ? [] : depends.value.split(",").map((s) => s.trim());
        out.dependsOn = ids;
      }
      const check = step.fields.validate;
      if (check) {
        const list = readList(check.value, readToken);
        if ("error" in list)
          problems.push({ line: check.line, message: `${step.id} validate: ${list.error}` });
        else out.validate = list;
      }
      return out;
    }),
    ...(validate !== undefined ? { validate } : {}),
  };
  const parsed = planSchema.safeParse(draft);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [first, index, field] = issue.path;
      const step = first === "steps" && typeof index === "number" ? steps[index] : undefined;
      const fieldName = field === "dependsOn" ? "depends" : String(field ?? "");
      const line = step
        ? (step.fields[fieldName]?.line ?? step.line)
        : first === "title"
          ? titleLine
          : 1;
      const where = step
        ? `${step.id}${field && field !== "id" ? ` ${fieldName}` : ""}`
        : String(first ?? "plan");
      problems.push({ line, message: `${where}: ${issue.message}` });
    }
  }
  if (options.frontMatter) {
    for (const key of ["id", "spec", "base"] as const)
      if (!meta[key]) problems.push({ line: 1, message: `front matter needs ${key}` });
  }
  if (problems.length > 0)
    throw new PlanParseError(
      problems.sort((a, b) => a.line - b.line),
      options.file,
    );
  return {
    meta: {
      id: meta.id ?? "",
      spec: meta.spec ?? "",
      base: meta.base ?? "",
      cited: meta.cited ?? {},
    },
    plan: (parsed as { data: Plan }).data,
  };
}

export function parsePlan(text: string, file = "AI-PLAN.md"): PlanDocument {
  return parsePlanMarkdown(text, { frontMatter: true, file });
}
