/** A small Node project and scripted spec/plan answers for the spec and plan phase tests. */
import type { TestRepo } from "./git-repo.ts";

export const projectFiles: Record<string, string> = {
  "package.json": `${JSON.stringify({ name: "calc", type: "module", scripts: { test: "node --test" } }, null, 2)}\n`,
  "src/calc.js": "export function add(a, b) {\n  return a + b;\n}\n",
  "test/calc.test.js":
    'import test from "node:test";\nimport assert from "node:assert";\nimport { add } from "../src/calc.js";\n\ntest("add", () => assert.equal(add(2, 3), 5));\n',
};

export async function makeProject(repo: TestRepo): Promise<string> {
  return repo.commit("calc project", projectFiles);
}

export const specAnswer = {
  title: "Add a square function",
  goal: "Offer `square(x)` next to `add` in src/calc.js so callers stop writing `x * x`.",
  context: "src/calc.js exports pure arithmetic helpers; tests use node:test.",
  acceptanceCriteria: ["`square(3)` returns 9", "npm test passes"],
  outOfScope: ["Other powers"],
  openQuestions: [
    { question: "Should square accept strings?", proposedAnswer: "No, numbers only." },
  ],
};

export const planAnswer = {
  title: "Add square to calc",
  summary: "One function and its test.",
  steps: [
    {
      id: "S1",
      title: "Add square",
      description: "Export `square(x)` returning `x * x` from src/calc.js.",
      files: [{ path: "src/calc.js", action: "modify" }],
    },
    {
      id: "S2",
      title: "Test square",
      description: "Add a test for `square` to test/calc.test.js.",
      files: [
        { path: "test/calc.test.js", action: "modify" },
        { path: "test/square.test.js", action: "create" },
      ],
      validate: ["node --test"],
    },
  ],
};

/** Environment for the google back end against the mock server. */
export function geminiEnv(baseUrl: string): NodeJS.ProcessEnv {
  return { GEMINI_API_KEY: "AIza-dummy-phase-key-0001", GOOGLE_GEMINI_BASE_URL: baseUrl };
}
