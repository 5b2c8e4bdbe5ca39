/**
 * A Svelte action for a `<select>` that saves what it says: a choice picked from the open
 * list (mouse, or Enter in the list) is committed at once; a choice made by moving through
 * the closed box with the arrow keys or by typing is committed only when the person settles
 * on it (Enter, or leaving the box), so one arrow press never saves a value on the way.
 * Escape puts back the value the box had before the keys moved it.
 *
 *     <select use:settledChange={(value) => save(value)}>
 */
export function settledChange(node: HTMLSelectElement, commit: (value: string) => void) {
  let onCommit = commit;
  /** A key moved the closed box since the last commit. */
  let keyed = false;
  /** A keyed change is waiting to be committed. */
  let pending = false;
  let before = node.value;

  function settle() {
    if (pending) onCommit(node.value);
    pending = false;
    keyed = false;
    before = node.value;
  }
  function onKeydown(e: KeyboardEvent) {
    if (e.key === "Enter") {
      if (pending) e.preventDefault();
      settle();
    } else if (e.key === "Escape") {
      if (pending) {
        e.preventDefault();
        e.stopPropagation();
        node.value = before;
      }
      pending = false;
      keyed = false;
    } else if (e.key !== "Tab" && e.key !== "Shift" && !e.altKey) {
      keyed = true;
    }
  }
  function onChange() {
    if (keyed) {
      pending = true;
      return;
    }
    onCommit(node.value);
    before = node.value;
  }
  function onFocus() {
    before = node.value;
  }
  const onPointer = () => (keyed = false);

  node.addEventListener("keydown", onKeydown);
  node.addEventListener("change", onChange);
  node.addEventListener("blur", settle);
  node.addEventListener("focus", onFocus);
  node.addEventListener("pointerdown", onPointer);
  return {
    update(next: (value: string) => void) {
      onCommit = next;
    },
    destroy() {
      node.removeEventListener("keydown", onKeydown);
      node.removeEventListener("change", onChange);
      node.removeEventListener("blur", settle);
      node.removeEventListener("focus", onFocus);
      node.removeEventListener("pointerdown", onPointer);
    },
  };
}
