/** Scanner identity and finding descriptions, without loading the scanner itself. */
import { packageVersion } from "../util/package-version.ts";
import type { SecretFinding } from "./types.ts";

/** Changes when the rules change, so cached "no secret" verdicts are not trusted across versions. */
export const secretScannerVersion = `secretlint-preset-recommend@${packageVersion("@secretlint/secretlint-rule-preset-recommend")}`;

/** Rule and line only: never the matched text. */
export function describeFindings(findings: readonly SecretFinding[]): string {
  return findings
    .map(
      (f) =>
        `${f.ruleId.replace("@secretlint/secretlint-rule-", "")} (${f.messageId}) at line ${f.line}`,
    )
    .join(", ");
}
