/**
 * Secret scanning with secretlint's recommended preset (the scanner repomix uses). Files are
 * scanned in batches (one lintSource call per few MB: the per-call overhead, not the regexes,
 * dominates for small files) and findings are mapped back to their file by offset. A file that
 * carries `secretlint-disable` directives is scanned alone so its directives cannot reach into
 * its batch neighbours. Only rule ids and line numbers leave here, never the matched text.
 */
import { lintSource } from "@secretlint/core";
import { creator as recommendedPreset } from "@secretlint/secretlint-rule-preset-recommend";
import type { SecretFinding } from "./types.ts";

const config = {
  rules: [{ id: "@secretlint/secretlint-rule-preset-recommend", rule: recommendedPreset }],
};
const separator = "\n\n";
const batchChars = 4 * 1024 * 1024;

export interface SecretScanItem {
  key: string;
  text: string;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

async function lint(content: string) {
  const result = await lintSource({
    source: { filePath: "batch.txt", content, ext: ".txt", contentType: "text" },
    options: { config, maskSecrets: true },
  });
  return result.messages.filter((m) => m.type === "message" && m.severity !== "info");
}

async function scanBatch(
  items: readonly SecretScanItem[],
  out: Map<string, SecretFinding[]>,
): Promise<void> {
  const starts: number[] = [];
  let content = "";
  for (const item of items) {
    starts.push(content.length);
    content += item.text + separator;
  }
  for (const message of await lint(content)) {
    const offset = message.range[0];
    // The last item starting at or before the finding owns it.
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    const item = items[lo];
    if (!item) continue;
    const findings = out.get(item.key) ?? [];
    findings.push({
      ruleId: message.ruleId,
      messageId: message.messageId,
      line: lineAt(item.text, offset - (starts[lo] ?? 0)),
    });
    out.set(item.key, findings);
  }
}

/** Findings per item key; items without findings map to an empty list. */
export async function scanSecrets(
  items: readonly SecretScanItem[],
): Promise<Map<string, SecretFinding[]>> {
  const out = new Map<string, SecretFinding[]>(items.map((item) => [item.key, []]));
  let batch: SecretScanItem[] = [];
  let size = 0;
  for (const item of items) {
    if (item.text.includes("secretlint-disable")) {
      await scanBatch([item], out);
      continue;
    }
    batch.push(item);
    size += item.text.length;
    if (size >= batchChars) {
      await scanBatch(batch, out);
      batch = [];
      size = 0;
    }
  }
  if (batch.length > 0) await scanBatch(batch, out);
  return out;
}
