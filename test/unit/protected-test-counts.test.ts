/**
 * Reading how many tests a validator ran from the runners' own summaries. The vitest, node
 * --test and pytest outputs are what those programs printed here (colour codes included where
 * they print them); jest, go and cargo follow their documented formats.
 */
import { describe, expect, it } from "vitest";
import { fewerTests } from "../../src/protected/ratchet.ts";
import { readTestCounts, testsRun } from "../../src/protected/test-counts.ts";

const esc = "\u001b";
const vitestOutput = [
  ` ${esc}[32m✓${esc}[39m test/a.test.ts (3 tests | 1 skipped) 4ms`,
  ` ${esc}[31m×${esc}[39m test/b.test.ts (1 test | 1 failed) 5ms`,
  "",
  `${esc}[2m Test Files ${esc}[22m ${esc}[1m${esc}[31m1 failed${esc}[39m${esc}[22m${esc}[2m | ${esc}[22m${esc}[1m${esc}[32m1 passed${esc}[39m${esc}[22m${esc}[90m (2)${esc}[39m`,
  `${esc}[2m      Tests ${esc}[22m ${esc}[1m${esc}[31m1 failed${esc}[39m${esc}[22m${esc}[2m | ${esc}[22m${esc}[1m${esc}[32m2 passed${esc}[39m${esc}[22m${esc}[2m | ${esc}[22m${esc}[33m1 skipped${esc}[39m${esc}[90m (4)${esc}[39m`,
  `${esc}[2m   Start at ${esc}[22m 00:28:52`,
].join("\n");

describe("readTestCounts", () => {
  it("reads vitest's summary through its colour codes", () => {
    expect(readTestCounts(vitestOutput, "npm test")).toEqual({
      runner: "vitest",
      passed: 2,
      failed: 1,
      skipped: 1,
    });
  });

  it("reads jest's summary", () => {
    const output =
      "Test Suites: 1 failed, 2 passed, 3 total\nTests:       1 failed, 1 skipped, 1 todo, 5 passed, 8 total\nSnapshots:   0 total\nTime:        1.2 s\n";
    expect(readTestCounts(output, "npx jest")).toEqual({
      runner: "jest",
      passed: 5,
      failed: 1,
      skipped: 2,
    });
  });

  it("reads node --test with the tap and the spec reporter", () => {
    const tap =
      "1..3\n# tests 3\n# suites 0\n# pass 2\n# fail 0\n# cancelled 0\n# skipped 1\n# todo 0\n# duration_ms 141.7\n";
    const spec =
      "✔ three (0.17ms)\nℹ tests 3\nℹ suites 0\nℹ pass 2\nℹ fail 0\nℹ cancelled 0\nℹ skipped 1\nℹ todo 0\nℹ duration_ms 140.7\n";
    const expected = { runner: "node --test", passed: 2, failed: 0, skipped: 1 };
    expect(readTestCounts(tap, "node --test")).toEqual(expected);
    expect(readTestCounts(spec, "node --test")).toEqual(expected);
  });

  it("reads pytest's summary, banner or -q, deselected tests counted as not run", () => {
    const banner =
      "FAILED tests/test_a.py::test_d - assert False\n==================== 1 failed, 2 passed, 1 skipped in 0.69s ====================\n";
    expect(readTestCounts(banner, "pytest")).toEqual({
      runner: "pytest",
      passed: 2,
      failed: 1,
      skipped: 1,
    });
    const quiet =
      "..s                                                                      [100%]\n2 passed, 1 skipped, 1 deselected in 0.66s\n";
    expect(readTestCounts(quiet, "pytest -q")).toEqual({
      runner: "pytest",
      passed: 2,
      failed: 0,
      skipped: 2,
    });
    expect(readTestCounts("=== no tests ran in 0.01s ===\n", "pytest")).toEqual({
      runner: "pytest",
      passed: 0,
      failed: 0,
      skipped: 0,
    });
  });

  it("reads go test -v and -json, and cargo test summed over its test binaries", () => {
    const verbose =
      "=== RUN   TestA\n--- PASS: TestA (0.00s)\n=== RUN   TestB\n--- SKIP: TestB (0.00s)\n    --- PASS: TestC/sub (0.00s)\nPASS\nok  \texample.com/m\t0.01s\n";
    expect(readTestCounts(verbose, "go test -v ./...")).toEqual({
      runner: "go test",
      passed: 2,
      failed: 0,
      skipped: 1,
    });
    const json =
      '{"Time":"t","Action":"pass","Package":"m","Test":"TestA","Elapsed":0}\n{"Time":"t","Action":"fail","Package":"m","Test":"TestB","Elapsed":0}\n{"Time":"t","Action":"pass","Package":"m","Elapsed":0}\n';
    expect(readTestCounts(json, "go test -json")).toEqual({
      runner: "go test",
      passed: 1,
      failed: 1,
      skipped: 0,
    });
    const cargo =
      "test result: ok. 5 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.00s\n\n   Doc-tests m\ntest result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 3 filtered out; finished in 0.1s\n";
    expect(readTestCounts(cargo, "cargo test")).toEqual({
      runner: "cargo test",
      passed: 7,
      failed: 0,
      skipped: 4,
    });
  });

  it("finds nothing in output that has no summary (go test without -v, a linter)", () => {
    expect(readTestCounts("ok  \texample.com/m\t0.01s\n", "go test ./...")).toBeUndefined();
    expect(readTestCounts("src/a.ts: 0 problems\n", "npm run lint")).toBeUndefined();
  });

  it("asks the plugins' readers first", () => {
    const reader = (output: string) =>
      /^RESULT (\d+)\/(\d+)$/m.exec(output)
        ? { runner: "mine", passed: 9, failed: 0, skipped: 0 }
        : undefined;
    expect(readTestCounts("RESULT 9/9\n# tests 1\n# pass 1\n# fail 0\n", "mine", [reader])).toEqual(
      { runner: "mine", passed: 9, failed: 0, skipped: 0 },
    );
    expect(readTestCounts("# tests 1\n# pass 1\n# fail 0\n", "node --test", [reader])?.runner).toBe(
      "node --test",
    );
  });
});

describe("fewerTests", () => {
  const counts = (passed: number, failed = 0, skipped = 0) => ({
    runner: "vitest",
    passed,
    failed,
    skipped,
  });

  it("flags a validator that ran fewer tests than on the base, or lost its summary", () => {
    const base = [
      { command: "npm test", tests: counts(10, 2) },
      { command: "pytest", tests: counts(4) },
      { command: "npm run lint" },
    ];
    expect(testsRun(counts(10, 2, 5))).toBe(12);
    expect(
      fewerTests(base, [
        { command: "npm test", tests: counts(11, 0, 1) },
        { command: "pytest" },
        { command: "npm run lint" },
      ]),
    ).toEqual([
      { command: "npm test", kind: "fewer tests ran", detail: "12 at the base, 11 now (vitest)" },
      {
        command: "pytest",
        kind: "fewer tests ran",
        detail: "4 at the base, no vitest summary now",
      },
    ]);
  });

  it("lets as many or more tests through, and validators the base did not count", () => {
    expect(
      fewerTests(
        [{ command: "npm test", tests: counts(3) }, { command: "make check" }],
        [
          { command: "npm test", tests: counts(5) },
          { command: "make check", tests: counts(0) },
          { command: "new", tests: counts(0) },
        ],
      ),
    ).toEqual([]);
  });
});
