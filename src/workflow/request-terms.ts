/**
 * What a request or a spec names: file paths and code identifiers. They rank the context so
 * the files a request is about survive the budget. Pure.
 */

const stopWords = new Set(
  "this that with from when then they them their there should would could which while into have been make made must also only does each other about after before these those where what your more most some such than very just like".split(
    " ",
  ),
);

/** Path-like tokens: contain a slash or end in a file extension. */
export function pathMentions(text: string): string[] {
  const out = new Set<string>();
  for (const match of text.matchAll(
    /(?:^|[\s`'"(])((?:\.?[\w@-]+\/)*[\w@.-]+\.[A-Za-z][\w]{0,7}|(?:[\w@.-]+\/)+[\w@.-]*)(?=$|[\s`'"),:;])/gm,
  )) {
    const token = (match[1] ?? "").replace(/^\.\//, "").replace(/[.,]+$/, "");
    if (
      token.length >= 3 &&
      !token.includes("..") &&
      !/^https?:/.test(token) &&
      !/^\d+(\.\d+)+$/.test(token)
    )
      out.add(token);
  }
  return [...out];
}

/** Identifiers worth grepping: code spans and camelCase/snake_case/PascalCase words. */
export function identifierMentions(text: string, limit = 12): string[] {
  const out = new Set<string>();
  for (const match of text.matchAll(/`([^`\n]{3,60})`/g)) {
    const span = (match[1] ?? "").trim();
    if (/^[\w$.:-]+$/.test(span) && !span.includes("/")) out.add(span);
  }
  for (const match of text.matchAll(/\b([A-Za-z_$][\w$]{3,})\b/g)) {
    const word = match[1] ?? "";
    const codeLike = /[a-z][A-Z]|_|^[A-Z][a-z]+[A-Z]/.test(word);
    if (codeLike && !stopWords.has(word.toLowerCase())) out.add(word);
  }
  return [...out].slice(0, limit);
}
