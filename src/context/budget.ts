/**
 * Fitting a pack under a token budget. Files are kept strongest rank first and, within a rank,
 * smallest first (many small files usually tell a model more than one huge one); a file that
 * does not fit is dropped and the next, smaller one is tried. Pure.
 */

export interface BudgetItem {
  path: string;
  tokens: number;
  rank: number;
  /** Tokens the file costs besides its content: its wrapper and its line in the tree. */
  overhead: number;
}

export interface BudgetFit {
  kept: BudgetItem[];
  /** Lowest-ranked first: the order they were given up in. */
  dropped: BudgetItem[];
  /** Estimated total of the kept files plus the fixed overhead. */
  estimate: number;
}

export function keepOrder(a: BudgetItem, b: BudgetItem): number {
  return b.rank - a.rank || a.tokens - b.tokens || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

export function fitBudget(
  items: readonly BudgetItem[],
  budget: number,
  fixedOverhead: number,
): BudgetFit {
  const kept: BudgetItem[] = [];
  const dropped: BudgetItem[] = [];
  let used = fixedOverhead;
  for (const item of [...items].sort(keepOrder)) {
    const cost = item.tokens + item.overhead;
    if (used + cost <= budget) {
      kept.push(item);
      used += cost;
    } else {
      dropped.push(item);
    }
  }
  return { kept, dropped: dropped.reverse(), estimate: used };
}
