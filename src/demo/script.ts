/**
 * The demo's project and its scripted model answers: a small ESM package (`slugkit`) whose
 * `slugify` mangles accented titles, a request to fix that, the spec and plan a Gemini model
 * might write, and the turns a Claude model might take to carry the plan out — including a
 * first attempt at S3 whose test fails validation and a repair that fixes it, so the demo shows
 * validation doing its job.
 */
import type { MockAnswer, MockUsage } from "../mock-model/types.ts";

export const request =
  'slugify mangles accented titles: "Crème brûlée" comes out as "cr-me-br-l-e". Make it ' +
  "transliterate accents, and let callers choose the separator.";

const slugifyV1 = `/**
 * Turns a title into a URL slug: "Hello, World!" -> "hello-world".
 * @param {string} text
 * @returns {string}
 */
export function slugify(text) {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}
`;

const slugifyV2Body = `export function slugify(text) {
  return text
    .normalize("NFKD")
    .replace(/[\\u0300-\\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}
`;

const slugifyV3 = `/**
 * Turns a title into a URL slug: "Hello, World!" -> "hello-world".
 * Accented letters lose their accents ("Crème" -> "creme"); other non-ASCII letters are dropped.
 * @param {string} text
 * @param {{ separator?: string }} [options] separator: what joins the words (default "-")
 * @returns {string}
 */
export function slugify(text, { separator = "-" } = {}) {
  const sep = escapeRegExp(separator);
  return text
    .normalize("NFKD")
    .replace(/[\\u0300-\\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, separator)
    .replace(new RegExp(\`^(\${sep})+|(\${sep})+$\`, "g"), "");
}

function escapeRegExp(s) {
  return s.replace(/[.*+?^\${}()|[\\]\\\\]/g, "\\\\$&");
}
`;

const testV1 = `import test from "node:test";
import assert from "node:assert/strict";
import { slugify } from "../src/slugify.js";

test("lower-cases and joins words with dashes", () => {
  assert.equal(slugify("Hello, World!"), "hello-world");
});

test("trims leading and trailing separators", () => {
  assert.equal(slugify("  --Already slugged--  "), "already-slugged");
});
`;

const newTests = `
test("transliterates accented letters", () => {
  assert.equal(slugify("Crème brûlée"), "creme-brulee");
  assert.equal(slugify("Ærøskøbing, Danmark"), "aeroskobing-danmark");
});

test("joins words with a chosen separator", () => {
  assert.equal(slugify("Hello, World!", { separator: "_" }), "hello_world");
  assert.equal(slugify("..a b..", { separator: "." }), "a.b");
});
`;

const readmeV1 = `# slugkit

Turns titles into URL slugs.

\`\`\`js
import { slugify } from "slugkit";
slugify("Hello, World!"); // "hello-world"
\`\`\`
`;

const readmeAddition = `
Accents are transliterated, and the separator is yours to choose:

\`\`\`js
slugify("Crème brûlée"); // "creme-brulee"
slugify("Hello, World!", { separator: "_" }); // "hello_world"
\`\`\`
`;

const folding = `const letters = { æ: "ae", ø: "o", œ: "oe", ß: "ss", đ: "d", ł: "l", þ: "th" };

`;

/** The project the demo commits first. */
export const projectFiles: Record<string, string> = {
  "package.json": `${JSON.stringify(
    {
      name: "slugkit",
      version: "1.0.0",
      description: "Turns titles into URL slugs",
      type: "module",
      main: "src/index.js",
      scripts: { test: "node --test" },
      license: "MIT",
    },
    null,
    2,
  )}\n`,
  ".gitignore": "node_modules/\n",
  "README.md": readmeV1,
  "src/index.js": 'export { slugify } from "./slugify.js";\n',
  "src/slugify.js": slugifyV1,
  "test/slugify.test.js": testV1,
};

/** What the spec model answers (the structured spec; git spe renders AI-SPEC.md from it). */
export const specAnswer = {
  title: "Accents and custom separators in slugify",
  goal:
    'Titles with accented letters should give readable slugs ("Crème brûlée" → "creme-brulee") ' +
    "instead of losing the accented letters, and callers should be able to pick the character " +
    "that joins words.",
  context:
    "`slugify(text)` in src/slugify.js lower-cases the text and replaces every run of characters " +
    "outside a-z0-9 with a dash, so each accented letter becomes a separator. Tests use node:test " +
    "(`npm test`). The package is ESM with no dependencies, and should stay that way.",
  acceptanceCriteria: [
    'slugify("Crème brûlée") returns "creme-brulee"',
    'slugify("Hello, World!", { separator: "_" }) returns "hello_world"',
    "slugify(text) without options behaves as before for ASCII input",
    "npm test passes, with tests for both behaviours",
  ],
  outOfScope: ["Transliterating non-Latin scripts (Cyrillic, CJK)", "A CLI"],
  openQuestions: [
    {
      question: "Letters with no ASCII form (e.g. 日本): keep them or drop them?",
      proposedAnswer: "Drop them, as today, so slugs stay ASCII.",
    },
  ],
};

/** What the plan model answers. */
export const planAnswer = {
  title: "Fold accents, then add a separator option",
  summary:
    "Fold accents with Unicode decomposition, add a `separator` option, then test and document both.",
  steps: [
    {
      id: "S1",
      title: "Transliterate accented letters",
      description:
        'Before lower-casing, decompose the text with `normalize("NFKD")` and drop the combining ' +
        "marks (U+0300–U+036F), so é becomes e. Letters without an ASCII form are still dropped.",
      files: [{ path: "src/slugify.js", action: "modify" }],
    },
    {
      id: "S2",
      title: "Add a separator option",
      description:
        'Accept `slugify(text, { separator = "-" } = {})`: join words with `separator` and trim ' +
        "it from both ends (escape it before building the trim pattern). Update the JSDoc.",
      files: [{ path: "src/slugify.js", action: "modify" }],
    },
    {
      id: "S3",
      title: "Test and document",
      description:
        "Add tests for accented titles (French and Danish) and for a custom separator to " +
        "test/slugify.test.js, and show both in README.md.",
      files: [
        { path: "test/slugify.test.js", action: "modify" },
        { path: "README.md", action: "modify" },
      ],
    },
  ],
};

const edit = (input: Record<string, string>, usage: MockUsage): MockAnswer => ({
  toolCalls: [{ name: "str_replace_based_edit_tool", input }],
  usage,
});
const bash = (command: string, usage: MockUsage): MockAnswer => ({
  toolCalls: [{ name: "bash", input: { command } }],
  usage,
});
const say = (text: string, usage: MockUsage): MockAnswer => ({ text, usage });

/** Plausible token counts for one exec turn (prompt cached after the first turn of a step). */
const turn = (n: number, output: number): MockUsage =>
  n === 0
    ? { input: 2_900, cacheWrite: 2_600, output }
    : { input: 150 + 90 * n, cacheRead: 2_600 + 400 * n, output };

/** The exec model's turns, in order: S1, S2, S3 attempt 1 (fails validation), S3 repair. */
export const execTurns: MockAnswer[] = [
  // S1
  edit(
    {
      command: "str_replace",
      path: "src/slugify.js",
      old_str: "  return text\n    .toLowerCase()",
      new_str:
        '  return text\n    .normalize("NFKD")\n    .replace(/[\\u0300-\\u036f]/g, "")\n    .toLowerCase()',
    },
    turn(0, 180),
  ),
  bash(
    `node -e 'import("./src/slugify.js").then((m) => console.log(m.slugify("Crème brûlée")))'`,
    turn(1, 90),
  ),
  say(
    'slugify now decomposes accented letters and drops the combining marks: "Crème brûlée" → "creme-brulee".',
    turn(2, 60),
  ),
  // S2
  edit(
    {
      command: "str_replace",
      path: "src/slugify.js",
      old_str: slugifyV1.slice(0, slugifyV1.indexOf("export function")) + slugifyV2Body,
      new_str: slugifyV3,
    },
    turn(0, 420),
  ),
  bash("npm test 2>&1 | tail -n 8", turn(1, 40)),
  say(
    "Added the `separator` option; it is escaped before it goes into the trim pattern.",
    turn(2, 50),
  ),
  // S3, attempt 1: the Danish test fails (NFKD leaves æ and ø whole).
  edit(
    {
      command: "str_replace",
      path: "test/slugify.test.js",
      old_str: 'assert.equal(slugify("  --Already slugged--  "), "already-slugged");\n});\n',
      new_str: `assert.equal(slugify("  --Already slugged--  "), "already-slugged");\n});\n${newTests}`,
    },
    turn(0, 260),
  ),
  edit(
    {
      command: "str_replace",
      path: "README.md",
      old_str: 'slugify("Hello, World!"); // "hello-world"\n```\n',
      new_str: `slugify("Hello, World!"); // "hello-world"\n\`\`\`\n${readmeAddition}`,
    },
    turn(1, 140),
  ),
  say("Added tests for accents and separators, and documented both in the README.", turn(2, 40)),
  // S3, attempt 2: the validation output came back; fold the letters NFKD cannot decompose.
  edit(
    {
      command: "str_replace",
      path: "src/slugify.js",
      old_str: "/**\n * Turns a title",
      new_str: `${folding}/**\n * Turns a title`,
    },
    turn(0, 150),
  ),
  edit(
    {
      command: "str_replace",
      path: "src/slugify.js",
      old_str: "    .toLowerCase()\n    .replace(/[^a-z0-9]+/g, separator)",
      new_str:
        "    .toLowerCase()\n    .replace(/[æøœßđłþ]/g, (c) => letters[c])\n    .replace(/[^a-z0-9]+/g, separator)",
    },
    turn(1, 110),
  ),
  bash("npm test 2>&1 | tail -n 8", turn(2, 40)),
  say(
    "NFKD leaves æ, ø, œ, ß, đ, ł and þ whole, so slugify now maps them to ASCII first " +
      "(src/slugify.js, beyond the planned files). npm test passes.",
    turn(3, 70),
  ),
];

export const specUsage: MockUsage = { input: 2_400, output: 610, thoughts: 900 };
export const planUsage: MockUsage = { input: 3_300, output: 820, thoughts: 1_200 };
