/** POSIX shell quoting, for commands we print for the user to paste or run through `sh -c`. */
export function shellQuote(argv: readonly string[]): string {
  return argv
    .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
    .join(" ");
}
