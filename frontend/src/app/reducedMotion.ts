import { useSyncExternalStore } from 'react';

// People who ask their system for less motion (a vestibular disorder, a slow phone) get the
// workbench without Ant Design's animations: dialogs, drawers and lists appear in place at once.
// It also removes a lost click: a dialog zooms in from the pointer for 0.3 s, and a Save pressed
// while it grows can be released over the dialog's backdrop, so no click reaches the button.
const query = '(prefers-reduced-motion: reduce)';

function subscribe(onChange: () => void) {
  const list = window.matchMedia(query);
  list.addEventListener('change', onChange);
  return () => list.removeEventListener('change', onChange);
}

export function usePrefersReducedMotion(): boolean {
  return useSyncExternalStore(subscribe, () => window.matchMedia(query).matches);
}
