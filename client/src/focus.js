// Keyboard focus after the page changes under it. A phase command disables
// the button that was pressed and the panel is then swapped, which leaves
// focus on <body>: these helpers put it on the next thing to do instead.

const FOCUSABLE = 'button, [href], input, select, textarea, summary, [tabindex]:not([tabindex="-1"])';

// Where Tab (or Shift+Tab) goes from `current` in a ring of `count` items:
// past the last back to the first and before the first to the last, so focus
// never leaves the ring. `current` -1 means focus is outside it.
export function nextInRing(count, current, backwards) {
  if (count <= 0) return -1;
  if (current < 0) return backwards ? count - 1 : 0;
  return backwards ? (current - 1 + count) % count : (current + 1) % count;
}

export function focusables(container) {
  return [...container.querySelectorAll(FOCUSABLE)].filter((el) => !el.disabled && el.getClientRects().length > 0);
}

// A keydown handler for a sheet that covers the page: Tab cycles inside it.
export function trapTab(event, container) {
  if (event.key !== 'Tab' || !container) return;
  const items = focusables(container);
  const at = items.indexOf(document.activeElement);
  const next = nextInRing(items.length, at, event.shiftKey);
  if (next < 0) return;
  event.preventDefault();
  items[next].focus();
}

// The main action of what is on screen now (marked data-main-action, or the
// first enabled button inside the marked element); false while it is not
// there yet or still disabled.
export function focusMainAction(root = document) {
  for (const el of root.querySelectorAll('[data-main-action]')) {
    const target = el.matches(FOCUSABLE) || el.hasAttribute('tabindex') ? el : focusables(el)[0];
    if (target && !target.disabled) {
      target.focus();
      return document.activeElement === target;
    }
  }
  return false;
}
