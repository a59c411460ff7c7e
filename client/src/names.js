// How every screen names a person (issue 14, bug 2). One rule: a person is
// named by their name, also after they left or were sent away (they took
// part, and their marks and scores are theirs). Live screens, which know who
// is still in the room, add "(left)"; the facilitator is named by role; only
// someone the screen has no name for at all is "someone who left".
import { t } from './i18n.js';

export const FACILITATOR = 'facilitator';

// An anonymous room (docs/protocol.md, room options) shows participants an
// observer as an alias of the round, `observer-<n>`: "Observer 2".
const ALIAS = /^observer-(\d+)$/;

export function aliasName(id) {
  const m = typeof id === 'string' && ALIAS.exec(id);
  return m ? t('participants.observer_alias', { n: Number(m[1]) }) : null;
}

// From a room `state`: active `participants`, and `former` (people who
// left and appear in the round).
export function nameInState(state, id) {
  if (id === null || id === undefined) return t('results.someone'); // a time-out the room does not name
  if (id === FACILITATOR) return t('role.facilitator');
  const alias = aliasName(id);
  if (alias) return alias;
  const here = state && (state.participants || []).find((p) => p.id === id);
  if (here) return here.name;
  const gone = state && (state.former || []).find((p) => p.id === id);
  if (gone) return t('participants.left_name', { name: gone.name });
  return t('participants.former');
}

// From the results (debrief, report, guide), which name everyone who ever
// joined next to their id.
export function nameInResults(id, name) {
  if (id === null || id === undefined) return t('results.someone');
  if (id === FACILITATOR) return t('role.facilitator');
  return aliasName(id) || name || t('participants.former');
}
