/** The plan's path rules: what a plan may name, and what it may not, with the reason. */
import { expect, it } from "vitest";
import { pathProblem } from "../../src/plan/schema.ts";

it("accepts ordinary relative paths, dotfiles and names that merely start with .git", () => {
  for (const ok of ["src/a.ts", ".gitignore", "docs/.github/x.md", "a/.gitkeep", "-rf", "a b/c"])
    expect(pathProblem(ok), ok).toBeUndefined();
});

it("refuses absolute, escaping, empty-segment, control-character and .git paths", () => {
  expect(pathProblem("")).toBe("is empty");
  expect(pathProblem("/etc/passwd")).toMatch(/^is absolute/);
  expect(pathProblem("C:\\x")).toMatch(/^is absolute/);
  expect(pathProblem("a/../../b")).toBe('leaves the repository ("..")');
  expect(pathProblem("a//b")).toBe('has an empty or "." segment');
  expect(pathProblem("./a")).toBe('has an empty or "." segment');
  expect(pathProblem("a\nb")).toBe("contains a control character");
  for (const git of [".git/config", "vendor/lib/.git/hooks/post-checkout", ".GIT/HEAD", "x/.Git"])
    expect(pathProblem(git), git).toBe("is inside .git");
});
