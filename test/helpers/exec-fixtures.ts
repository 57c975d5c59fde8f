/**
 * Exec scenarios: a small Node project whose `npm test` fails until `square` exists, a spec and
 * plan seeded through the real store, and the Anthropic replies of a model doing a step.
 */
import { openStore } from "../../src/store/open-store.ts";
import { listTreeBlobs } from "../../src/git/files.ts";
import { renderPlan } from "../../src/plan/render.ts";
import { planFiles, planSchema } from "../../src/plan/schema.ts";
import { openRepository } from "../../src/workspace.ts";
import { mockReply, type MockAnswer } from "./mock-model-server.ts";
import type { TestRepo } from "./git-repo.ts";

export const mathSource = "export function add(a, b) {\n  return a + b;\n}\n";
export const squareSource = `${mathSource}\nexport function square(x) {\n  return x * x;\n}\n`;
/** A square that the test of square fails. */
export const wrongSquareSource = `${mathSource}\nexport function square(x) {\n  return x + x;\n}\n`;

export const projectFiles = (config: Record<string, unknown> = {}): Record<string, string> => ({
  "package.json": `${JSON.stringify({ name: "math", version: "1.0.0", type: "module", scripts: { test: "node --test" } }, null, 2)}\n`,
  "src/math.js": mathSource,
  "test/math.test.js":
    'import test from "node:test";\nimport assert from "node:assert/strict";\nimport * as math from "../src/math.js";\n\n' +
    'test("add", () => assert.equal(math.add(2, 3), 5));\ntest("square", () => assert.equal(math.square?.(3), 9));\n',
  ".sperc.json": `${JSON.stringify({ validate: ["npm test"], models: { exec: "anthropic:claude-sonnet-5-5" }, exec: { worktree: { deps: "none" }, maxRepairs: 1 }, ...config }, null, 2)}\n`,
});

export const twoStepPlan = {
  title: "Add square",
  summary: "square(x) and a doc line.",
  steps: [
    {
      id: "S1",
      title: "Add square",
      description: "Add `square(x)` to src/math.js.",
      files: [{ path: "src/math.js", action: "modify" }],
    },
    {
      id: "S2",
      title: "Document square",
      description: "Create docs/math.md describing add and square.",
      files: [{ path: "docs/math.md", action: "create" }],
    },
  ],
};

/** S1 of twoStepPlan alone. */
export const oneStepPlan = { ...twoStepPlan, steps: [twoStepPlan.steps[0]] };

/** Writes spec, plan and state into the repository's configured store; returns the spec id. */
export async function seedSpec(
  repo: TestRepo,
  plan: unknown = twoStepPlan,
  id = "20261121-add-square",
): Promise<string> {
  const { git, paths } = await openRepository({
    cwd: repo.dir,
    env: process.env,
    signal: new AbortController().signal,
  });
  // The store the config names (.sperc.json here); a .spe.config.ts repo uses the default.
  const json = (await repo.exists(".sperc.json")) ? JSON.parse(await repo.read(".sperc.json")) : {};
  const store = openStore(json.store ?? "dir", {
    git,
    paths,
  });
  const parsed = planSchema.parse(plan);
  const base = await repo.git(["rev-parse", "HEAD"]);
  const blobs = await listTreeBlobs(git, base, planFiles(parsed));
  const cited = Object.fromEntries(planFiles(parsed).map((p) => [p, blobs.get(p) ?? "absent"]));
  const now = new Date().toISOString();
  await store.write(
    id,
    {
      "USER-SPEC.md": "add square\n",
      "AI-SPEC.md": `---\nspe: spec/v1\nid: "${id}"\n---\n\n# Add square\n\n## Goal\n\nsquare(x) in src/math.js.\n`,
      "AI-PLAN.md": renderPlan({ meta: { id, spec: id, base, cited }, plan: parsed }),
      "state.json": `${JSON.stringify({ spe: "state/v1", id, title: "Add square", phase: "plan", status: "planned", createdAt: now, updatedAt: now, base }, null, 2)}\n`,
    },
    { attachTo: base },
  );
  return id;
}

export const edit = (
  input: Record<string, unknown>,
  options: Parameters<typeof mockReply.toolCall>[2] = {},
): MockAnswer => mockReply.toolCall("str_replace_based_edit_tool", input, options);
export const bash = (command: string): MockAnswer => mockReply.toolCall("bash", { command });

/** The editor call that adds square to src/math.js. */
export const addSquare = edit({
  command: "str_replace",
  path: "src/math.js",
  old_str: mathSource,
  new_str: squareSource,
});

/** A one-step plan: add square to src/math.js, and whatever else the step lists. */
export function squarePlan(
  files: { path: string; action: "create" | "modify" | "delete"; reason?: string }[] = [],
) {
  return {
    title: "Add square",
    summary: "square(x).",
    steps: [
      {
        id: "S1",
        title: "Add square",
        description: "Add square(x) to src/math.js.",
        files: [{ path: "src/math.js", action: "modify" as const }, ...files],
      },
    ],
  };
}

/** The model's turns for S1 (add square, run the tests) and S2 (write the doc). */
export const goodSession = {
  s1: [
    addSquare,
    bash('npm test 2>&1 | grep -E "(pass|fail) [0-9]"'),
    mockReply.text("Added square(x) to src/math.js."),
  ],
  s2: [
    edit({
      command: "create",
      path: "docs/math.md",
      file_text: "# math\n\n- add(a, b)\n- square(x)\n",
    }),
    mockReply.text("Documented add and square."),
  ],
};

export function anthropicEnv(baseUrl: string): NodeJS.ProcessEnv {
  return { ANTHROPIC_API_KEY: "sk-ant-dummy-exec-key-0001", ANTHROPIC_BASE_URL: baseUrl };
}
