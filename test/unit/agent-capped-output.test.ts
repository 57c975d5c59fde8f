import { expect, it } from "vitest";
import { CappedOutput } from "../../src/agent/capped-output.ts";

it("passes short output through untouched", () => {
  const out = new CappedOutput(10);
  out.push(Buffer.from("abc"));
  out.push(Buffer.from("defghij"));
  expect(out.text()).toBe("abcdefghij");
  expect(out.cutBytes).toBe(0);
});

it("keeps the first and last halves across chunk boundaries and notes the cut", () => {
  const out = new CappedOutput(6);
  for (const chunk of ["012", "345", "67", "89ab", "c"]) out.push(Buffer.from(chunk));
  expect(out.totalBytes).toBe(13);
  expect(out.cutBytes).toBe(7);
  expect(out.text()).toBe(
    "012\n[… 7 bytes of output cut: showing the first 3 and the last 3 of 13 bytes …]\nabc",
  );
});
