/**
 * The spec: the JSON a spec model answers with, and AI-SPEC.md rendered from it. The rendered
 * file is for people and for the planner; it is not parsed back beyond its front matter. Pure.
 */
import { z } from "zod";

const text = z.string().transform((s) => s.replace(/\r\n?/g, "\n").trim());
const line = text.pipe(
  z
    .string()
    .min(1)
    .refine((s) => !s.includes("\n"), "must be a single line"),
);

export const specAnswerSchema = z.object({
  title: line,
  goal: text.pipe(z.string().min(1, "must say what the change is for")),
  context: text,
  acceptanceCriteria: z.array(text.pipe(z.string().min(1))).min(1, "needs at least one criterion"),
  outOfScope: z.array(text.pipe(z.string().min(1))).default([]),
  openQuestions: z
    .array(
      z.object({
        question: text.pipe(z.string().min(1)),
        proposedAnswer: text.pipe(z.string().min(1)),
      }),
    )
    .default([]),
});

export type SpecAnswer = z.output<typeof specAnswerSchema>;

export function specJsonSchema(): Record<string, unknown> {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(specAnswerSchema, {
    io: "input",
  }) as Record<string, unknown>;
  return schema;
}

export interface AnsweredQuestion {
  question: string;
  proposedAnswer: string;
  answer: string;
  /** "accepted" (the proposal was taken), "answered" (a person wrote the answer). */
  how: "accepted" | "answered";
}

export interface SpecMeta {
  id: string;
  created: string;
  /** The commit the spec was written against. */
  base: string | undefined;
}

const list = (items: readonly string[]) =>
  items.map((item) => `- ${item.replace(/\n/g, "\n  ")}`).join("\n");

export function renderSpec(
  meta: SpecMeta,
  spec: SpecAnswer,
  questions: readonly AnsweredQuestion[],
): string {
  const front = [
    "---",
    "spe: spec/v1",
    `id: ${JSON.stringify(meta.id)}`,
    `created: ${JSON.stringify(meta.created)}`,
  ];
  if (meta.base) front.push(`base: ${JSON.stringify(meta.base)}`);
  front.push("---");
  const sections = [`# ${spec.title}`, `## Goal\n\n${spec.goal}`];
  if (spec.context) sections.push(`## Context and boundaries\n\n${spec.context}`);
  sections.push(`## Acceptance criteria\n\n${list(spec.acceptanceCriteria)}`);
  if (spec.outOfScope.length > 0) sections.push(`## Out of scope\n\n${list(spec.outOfScope)}`);
  if (questions.length > 0) {
    const items = questions.map(
      (q, i) =>
        `${i + 1}. ${q.question.replace(/\n/g, "\n   ")}\n   - Proposed: ${q.proposedAnswer.replace(/\n/g, "\n     ")}\n   - Answer (${q.how}): ${q.answer.replace(/\n/g, "\n     ")}`,
    );
    sections.push(`## Open questions\n\n${items.join("\n")}`);
  }
  return `${front.join("\n")}\n\n${sections.join("\n\n")}\n`;
}

/** The `# title` of an AI-SPEC.md, for listings. */
export function specTitle(markdown: string): string | undefined {
  return /^# (.+)$/m.exec(markdown)?.[1]?.trim();
}
