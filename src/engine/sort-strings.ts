// In-place sorting of short string lists, without the allocation of
// Array.prototype.sort.
//
// V8's sort allocates a work array on every call, several hundred bytes even
// for two elements. The engine sorts very many short lists (a node's indices,
// the parts of a product's canonical key: one to four entries nearly always),
// and those allocations were a sixth of what a long derivative allocated, so
// short lists are sorted here by insertion. The order is the one of `sort()`
// without a comparator for strings (UTF-16 code units, which is what `<` and
// `>` compare).

/** Sorts `list` in place (as `list.sort()` would) and returns it. */
export function sortStrings<T extends string>(list: T[]): T[] {
  if (list.length > 8) return list.sort();
  for (let k = 1; k < list.length; k++) {
    const x = list[k]!;
    let j = k - 1;
    while (j >= 0 && list[j]! > x) {
      list[j + 1] = list[j]!;
      j--;
    }
    list[j + 1] = x;
  }
  return list;
}
