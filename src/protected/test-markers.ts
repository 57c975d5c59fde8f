/**
 * What a test file's text says about which of its tests run: the markers that skip, focus or
 * expect a test to fail, and how many test cases it declares, in the syntax of the common
 * runners. Counted, not parsed: a marker added or a case gone between two versions of a file is
 * what matters, and a count over the same rules compares like with like. Pure.
 */

interface Marker {
  /** Shown in messages: "`.skip` added". */
  name: string;
  pattern: RegExp;
}

const markers: readonly Marker[] = [
  // vitest, jest, mocha, node:test: it.skip, describe.only, test.todo, it.concurrent.skip, …
  {
    name: ".skip",
    pattern: /\b(?:it|test|describe|suite|context|specify|bench)(?:\.\w+)*\.skip(?:If)?\b/g,
  },
  {
    name: ".only",
    pattern: /\b(?:it|test|describe|suite|context|specify|bench)(?:\.\w+)*\.only\b/g,
  },
  { name: ".todo", pattern: /\b(?:it|test|describe|suite)(?:\.\w+)*\.todo\b/g },
  { name: ".fails", pattern: /\b(?:it|test)(?:\.\w+)*\.fails\b/g },
  { name: "xit/xdescribe", pattern: /\bx(?:it|test|describe|context|specify)\s*\(/g },
  { name: "fit/fdescribe", pattern: /\bf(?:it|describe)\s*\(/g },
  // node:test options and context
  { name: "skip: option", pattern: /\b(?:skip|todo)\s*:\s*(?:true|["'`])/g },
  { name: "t.skip()", pattern: /\bt\.(?:skip|todo)\s*\(/g },
  // pytest, unittest
  { name: "pytest skip", pattern: /@pytest\.mark\.(?:skip|skipif)\b/g },
  { name: "xfail", pattern: /@pytest\.mark\.xfail\b|\bpytest\.xfail\s*\(/g },
  { name: "pytest.skip()", pattern: /\bpytest\.(?:skip|importorskip)\s*\(/g },
  { name: "pytestmark", pattern: /^\s*pytestmark\s*=/gm },
  { name: "unittest skip", pattern: /@unittest\.(?:skip|skipIf|skipUnless|expectedFailure)\b/g },
  { name: "skipTest()", pattern: /\.skipTest\s*\(/g },
  // go, rust, JVM, .NET
  { name: "t.Skip()", pattern: /\b[bt]\.(?:Skip|SkipNow|Skipf)\s*\(/g },
  { name: "#[ignore]", pattern: /#\[ignore\b/g },
  { name: "@Disabled/@Ignore", pattern: /@(?:Disabled|Ignore)\b/g },
  { name: "Skip =", pattern: /\[(?:Fact|Theory|Test)\s*\([^)]*Skip\s*=|\[Ignore\b/g },
];

/** Ruby's markers are plain words: only looked for in Ruby files. */
const rubyMarkers: readonly Marker[] = [
  { name: "xit/skip/pending", pattern: /^\s*(?:xit|xdescribe|xcontext|skip|pending)\b/gm },
];

const testCases = [
  /(?<![.\w$])(?:it|test|specify)(?:\.\w+)*\s*(?:\(|`)/g,
  /^\s*(?:async\s+)?def\s+test\w*\s*\(/gm,
  /^func\s+(?:Test|Benchmark|Fuzz)\w*\s*\(/gm,
  /#\[(?:tokio::)?test\b/g,
  /@(?:Test|ParameterizedTest)\b/g,
  /\[(?:Fact|Theory|Test|TestMethod)\b/g,
  /^\s*(?:it|specify|test)\s+["']/gm,
];

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

/** Markers whose count grew from `before` to `after` ("`.skip` added"). */
export function addedMarkers(path: string, before: string, after: string): string[] {
  const rules = path.endsWith(".rb") ? [...markers, ...rubyMarkers] : markers;
  return rules.filter((m) => count(after, m.pattern) > count(before, m.pattern)).map((m) => m.name);
}

/** How many test cases a file declares, by the common runners' syntax. */
export function countTestCases(text: string): number {
  return testCases.reduce((sum, pattern) => sum + count(text, pattern), 0);
}
