import { describe, expect, it } from "vitest";
import { parsePlan, parsePlanMarkdown, PlanParseError } from "../../src/plan/parse.ts";
import { renderPlan } from "../../src/plan/render.ts";
import {
  planFiles,
  planJsonSchema,
  planSchema,
  stepDependencies,
  type Plan,
} from "../../src/plan/schema.ts";
import type { PlanDocument } from "../../src/plan/document.ts";

const meta = {
  id: "20261121-add-login",
  spec: "20261121-add-login",
  base: "a".repeat(40),
  cited: { "src/app.ts": "b".repeat(40), "src/new file.ts": "absent" },
};

const sample: Plan = planSchema.parse({
  title: "Add a login endpoint",
  summary: "Adds `POST /login` with a session cookie.\n\n- keeps the API stable",
  steps: [
    {
      id: "S1",
      title: "Session store",
      description: "Create the store.\n\n```ts\nexport const sessions = new Map();\n```",
      files: [{ path: "src/session.ts", action: "create" }],
      validate: ["npm test -- session"],
    },
    {
      id: "S2",
      title: "Route",
      description: "Wire the route.",
      files: [
        { path: "src/app.ts", action: "modify" },
        { path: "src/old `legacy`.ts", action: "delete", reason: 'the "legacy" module goes' },
        { path: "docs/a, b.md", action: "modify" },
      ],
      dependsOn: ["S1"],
    },
    {
      id: "S3",
      title: "Nothing to touch",
      description: "",
      files: [],
      dependsOn: [],
      validate: [],
    },
  ],
  validate: ["npm run lint", 'echo "`date`"'],
});

describe("AI-PLAN.md render and parse", () => {
  it("renders the documented layout", () => {
    const text = renderPlan({ meta, plan: sample });
    expect(text).toMatch(
      /^---\nspe: plan\/v1\nid: "20261121-add-login"\nspec: "20261121-add-login"\nbase: "a{40}"\nvalidate:\n {2}- "npm run lint"\n/,
    );
    expect(text).toContain(
      'cited:\n  "src/app.ts": "' +
        "b".repeat(40) +
        '"\n  "src/new file.ts": "absent"\n---\n\n# Add a login endpoint\n',
    );
    expect(text).toContain(
      '## S2: Route\n\nfiles: modify `src/app.ts`, delete "src/old `legacy`.ts" because "the \\"legacy\\" module goes", modify `docs/a, b.md`\ndepends: S1\n\nWire the route.\n',
    );
    expect(text).toContain(
      "## S3: Nothing to touch\n\nfiles: none\ndepends: none\nvalidate: none\n",
    );
  });

  it("parses what it renders back to the same plan", () => {
    const doc: PlanDocument = { meta, plan: sample };
    expect(parsePlan(renderPlan(doc))).toEqual(doc);
  });

  it("round-trips generated plans (randomized)", () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
    const words = [
      "alpha",
      "beta",
      "ünï",
      "漢字",
      "a`b",
      'q"uote',
      "co,mma",
      "sp ace",
      "#hash",
      "- dash",
      "x:y",
      "none",
      "S1",
      "🚀",
    ];
    const text = (n: number) =>
      Array.from({ length: 1 + Math.floor(random() * n) }, () => pick(words)).join(" ");
    const path = () =>
      Array.from({ length: 1 + Math.floor(random() * 3) }, () =>
        pick(words).replace(/\s/g, "_"),
      ).join("/");
    for (let trial = 0; trial < 200; trial++) {
      const stepCount = 1 + Math.floor(random() * 5);
      const raw = {
        title: text(5),
        summary: random() < 0.3 ? "" : `${text(8)}\n\n${text(8)}`,
        steps: Array.from({ length: stepCount }, (_, i) => ({
          id: `S${i + 1}`,
          title: text(4),
          description: random() < 0.2 ? "" : `${text(10)}\n\n    code ${text(3)}\n${text(5)}`,
          files: [...new Set(Array.from({ length: Math.floor(random() * 4) }, path))].map((p) => ({
            path: p,
            action: pick(["create", "modify", "delete"] as const),
            ...(random() < 0.3 ? { reason: `${text(3)}, "quoted" \\ because ${text(2)}` } : {}),
          })),
          ...(random() < 0.5
            ? { dependsOn: i === 0 ? [] : [`S${1 + Math.floor(random() * i)}`] }
            : {}),
          ...(random() < 0.5
            ? { validate: Array.from({ length: Math.floor(random() * 3) }, () => text(3)) }
            : {}),
        })),
        ...(random() < 0.5
          ? { validate: Array.from({ length: Math.floor(random() * 3) }, () => text(3)) }
          : {}),
      };
      const plan = planSchema.parse(raw);
      const doc = {
        meta: {
          ...meta,
          cited: Object.fromEntries(
            planFiles(plan).map((p) => [p, random() < 0.5 ? "absent" : "c".repeat(40)]),
          ),
        },
        plan,
      };
      expect(parsePlan(renderPlan(doc)), JSON.stringify(raw)).toEqual(doc);
    }
  });

  it("accepts a model's markdown without front matter", () => {
    const body = renderPlan({ meta, plan: sample }).replace(/^---\n[^]*?\n---\n/, "");
    expect(parsePlanMarkdown(body, { frontMatter: false }).plan).toEqual({
      ...sample,
      validate: undefined,
    });
  });
});

describe("AI-PLAN.md errors name the line", () => {
  const text = renderPlan({ meta, plan: sample });
  const lineOf = (needle: string) => text.split("\n").findIndex((l) => l.startsWith(needle)) + 1;

  function problemsOf(edited: string): string[] {
    try {
      parsePlan(edited);
    } catch (error) {
      if (error instanceof PlanParseError) return error.message.split("\n");
      throw error;
    }
    throw new Error("expected the plan to be refused");
  }

  it("an unknown action in a files line", () => {
    const line = lineOf("files: modify `src/app.ts`");
    expect(
      problemsOf(text.replace("files: modify `src/app.ts`", "files: edit `src/app.ts`")),
    ).toEqual([
      `AI-PLAN.md:${line}: S2 files: expected "create", "modify" or "delete" before a path at "edit \`src/app.ts\`, d"`,
    ]);
  });

  it("a path that leaves the repository", () => {
    const line = lineOf("files: create `src/session.ts`");
    expect(problemsOf(text.replace("create `src/session.ts`", "create `../escape.ts`"))).toEqual([
      `AI-PLAN.md:${line}: S1 files: path "../escape.ts" leaves the repository ("..")`,
    ]);
  });

  it("a dependency on a later step and steps out of order", () => {
    const edited = text
      .replace("depends: S1", "depends: S3")
      .replace("## S3: Nothing", "## S4: Nothing");
    expect(problemsOf(edited)).toEqual([
      `AI-PLAN.md:${lineOf("depends: S1")}: S2 depends: S3 is not an earlier step`,
      `AI-PLAN.md:${lineOf("## S3:")}: S4: steps are numbered in order: expected S3 here`,
    ]);
  });

  it("a broken front matter and a missing title", () => {
    const edited = text
      .replace('base: "', 'bass: "')
      .replace("# Add a login endpoint", "Add a login endpoint");
    const problems = problemsOf(edited);
    expect(problems).toContain(`AI-PLAN.md:${lineOf("base:")}: unknown front matter key "bass"`);
    expect(problems).toContain("AI-PLAN.md:1: front matter needs base");
    expect(problems).toContain(
      `AI-PLAN.md:${lineOf("# Add a login")}: expected the plan title as "# Title"`,
    );
  });
});

describe("plan schema helpers", () => {
  it("lists the files a plan names, once, in order", () => {
    expect(planFiles(sample)).toEqual([
      "src/session.ts",
      "src/app.ts",
      "src/old `legacy`.ts",
      "docs/a, b.md",
    ]);
  });

  it("defaults a step's dependency to the step before it", () => {
    expect([0, 1, 2].map((i) => stepDependencies(sample, i))).toEqual([[], ["S1"], []]);
  });

  it("refuses hostile paths", () => {
    for (const path of ["/etc/passwd", "a/../../b", ".git/config", "a//b", "new\nline", "C:\\x"]) {
      const result = planSchema.safeParse({
        ...sample,
        steps: [{ ...sample.steps[0], files: [{ path, action: "create" }] }],
      });
      expect(result.success, path).toBe(false);
    }
  });

  it("gives the model a JSON schema with the step fields", () => {
    const schema = planJsonSchema() as {
      properties: { steps: { items: { properties: Record<string, unknown> } } };
    };
    expect(Object.keys(schema.properties.steps.items.properties).sort()).toEqual([
      "dependsOn",
      "description",
      "files",
      "id",
      "title",
      "validate",
    ]);
  });
});
