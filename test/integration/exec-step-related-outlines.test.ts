/**
 * A step's prompt carries, after its own files, the outlines of the files that import them (and
 * that they import); files that only share a common name and unrelated files are not there,
 * bodies are left out, and a related file the secret scan flags is withheld like any file a
 * model is shown.
 */
import { describe, expect, it } from "vitest";
import { exec, type ExecSummary } from "../../src/commands/exec.ts";
import { testCommandContext } from "../helpers/command-context.ts";
import { withGitRepo } from "../helpers/git-repo.ts";
import {
  anthropicEnv,
  goodSession,
  mathSource,
  projectFiles,
  seedSpec,
  squarePlan,
} from "../helpers/exec-fixtures.ts";
import { withMockModelServer } from "../helpers/mock-model-server.ts";

const accessKeyId = "AKIA4HTXQ7Z2KR5VLMNP";
const secretKey = "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";

describe("a step's related outlines", () => {
  it("shows the outlines of what its files use and what uses them, nothing else", async () => {
    await withMockModelServer(async (server) => {
      await withGitRepo(async (repo) => {
        await repo.commit("project", {
          ...projectFiles(),
          // Uses add, which the step's file declares.
          "src/geometry.js":
            'import { add } from "./math.js";\n\n/** The perimeter of a rectangle. */\nexport function perimeter(w, h) {\n  const half = add(w, h);\n  return half * 2;\n}\n',
          // Unrelated.
          "src/other.js": "export function unrelatedThing(x) {\n  return x;\n}\n",
          // Declare add too, import nothing: a name this common links nothing.
          ...Object.fromEntries(
            [1, 2, 3, 4].map((v) => [
              `src/calc/v${v}.js`,
              `export function add(a, b) {\n  const sum = a + b + ${v} - ${v};\n  return sum;\n}\n`,
            ]),
          ),
          // Calls one of those adds (no import): shares only that common name with the step.
          "src/calc/user.js":
            "export function twice(x) {\n  const doubled = add(x, x);\n  return doubled;\n}\n",
          // Uses add too, and holds a key: never shown.
          "src/keys.js": `import { add } from "./math.js";\nexport const awsAccessKeyId = "${accessKeyId}";\nexport const awsSecretAccessKey = "${secretKey}";\nexport function total(a) {\n  return add(a, 1);\n}\n`,
        });
        expect(mathSource).toContain("export function add(a, b)");
        await seedSpec(repo, squarePlan());
        server.reply("anthropic", ...goodSession.s1);
        const ctx = testCommandContext(repo.dir, { env: anthropicEnv(server.anthropicBaseUrl) });
        const result = (await exec(ctx, {})) as ExecSummary;
        expect(result.status).toBe("merged");

        const first = JSON.stringify(server.requestsTo("anthropic")[0]?.body);
        const prompt = JSON.parse(first) as { messages: { content: unknown }[] };
        const text = JSON.stringify(prompt.messages[0]?.content);
        expect(text).toContain("# Outlines of related files");
        expect(text).toContain("## src/geometry.js (outline)");
        expect(text).toContain("export function perimeter(w, h) { /* … 2 lines */ }");
        expect(text).not.toContain("const half");
        expect(text).not.toContain("src/other.js (outline)");
        expect(text).not.toContain("src/calc/");
        expect(text).not.toContain(accessKeyId);
        expect(text).not.toContain(secretKey);
        expect(text).not.toContain("src/keys.js (outline)");
        expect(ctx.log.lines.map((l) => l.text)).toContainEqual(
          "S1: src/keys.js is not shown to the model: it may hold a secret",
        );
      });
    });
  }, 60_000);
});
