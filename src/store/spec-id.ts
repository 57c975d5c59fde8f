/**
 * Spec ids: `YYYYMMDD-slug`. An id becomes a directory name (`.spe/<id>`), part of a branch name
 * (`spe/<id>`) and a JSON key, and it can come from model output or the command line, so it is
 * treated as hostile: only lowercase ASCII letters, digits, ".", "_" and "-", starting with a
 * letter or digit (never an option), no "..", nothing that git refuses in a ref name and no
 * Windows device name. Pure: the date is passed in.
 */
import { usageError } from "../errors.ts";

export const maxSpecIdLength = 80;
const maxSlugLength = 50;

/** Why `id` is not a valid spec id, or undefined when it is one. */
export function specIdProblem(id: string): string | undefined {
  if (id === "") return "it is empty";
  if (id.length > maxSpecIdLength) return `it is longer than ${maxSpecIdLength} characters`;
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(id)) {
    return "use lowercase letters, digits, '.', '_' and '-', starting with a letter or digit";
  }
  if (id.includes("..")) return 'it contains ".."';
  if (id.endsWith(".") || id.endsWith(".lock")) return 'it ends with "." or ".lock"';
  if (/^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/.test(id)) return "it is a Windows device name";
  return undefined;
}

/** A printable, bounded rendering of untrusted input for error messages. */
export function quoteInput(input: string): string {
  const shown = input.length > 100 ? `${input.slice(0, 100)}…` : input;
  return JSON.stringify(shown);
}

/** Returns `id` when it is a valid spec id; throws a usage error that says why otherwise. */
export function validateSpecId(id: string): string {
  const problem = specIdProblem(id);
  if (problem !== undefined) {
    throw usageError(`invalid spec id ${quoteInput(id)}: ${problem}`, {
      hint: "Spec ids look like 20250131-add-login-form; git spe status lists them.",
    });
  }
  return id;
}

const transliterations: Record<string, string> = {
  ß: "ss",
  æ: "ae",
  œ: "oe",
  ø: "o",
  đ: "d",
  ð: "d",
  þ: "th",
  ł: "l",
  ı: "i",
};

/** The title as an ASCII slug: lowercase, non-alphanumerics → "-", at most 50 characters. */
export function slugify(title: string): string {
  const ascii = title
    .toLowerCase()
    .replace(/[ßæœøđðþłı]/g, (c) => transliterations[c] ?? "")
    // Decompose accented letters and drop the combining marks: é → e.
    .normalize("NFKD")
    .replace(/\p{M}/gu, "");
  const full = ascii.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  let slug = full;
  if (slug.length > maxSlugLength) {
    slug = full.slice(0, maxSlugLength);
    // Cut at a word boundary when the cut fell inside a word and that keeps most of the slug.
    const lastDash = slug.lastIndexOf("-");
    if (full.charAt(maxSlugLength) !== "-" && lastDash >= 20) slug = slug.slice(0, lastDash);
    slug = slug.replace(/-+$/, "");
  }
  return slug === "" ? "spec" : slug;
}

/** `YYYYMMDD` of `date` in local time: the day the user sees on their calendar. */
export function formatIdDate(date: Date): string {
  const pad = (n: number, width: number) => String(n).padStart(width, "0");
  return `${pad(date.getFullYear(), 4)}${pad(date.getMonth() + 1, 2)}${pad(date.getDate(), 2)}`;
}

/** A new id `YYYYMMDD-slug` for `title`, with `-2`, `-3`, … appended when it is taken. */
export function makeSpecId(title: string, date: Date, existingIds: Iterable<string>): string {
  const taken = new Set(existingIds);
  const stem = `${formatIdDate(date)}-${slugify(title)}`;
  if (!taken.has(stem)) return stem;
  for (let n = 2; ; n++) {
    const candidate = `${stem}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/**
 * The id `input` names among `ids`: an exact match wins, otherwise a unique prefix. No match or
 * several matches are usage errors that say what to do.
 */
export function resolveSpecId(input: string, ids: readonly string[]): string {
  if (ids.includes(input)) return input;
  const matches = input === "" ? [] : ids.filter((id) => id.startsWith(input));
  if (matches.length === 1) return matches[0] as string;
  if (matches.length === 0) {
    throw usageError(`no spec matches ${quoteInput(input)} (git spe status lists them)`);
  }
  const sorted = [...matches].sort();
  throw usageError(`${quoteInput(input)} matches ${sorted.length} specs: ${sorted.join(", ")}`, {
    hint: "Give more of the id; git spe status lists them.",
  });
}
