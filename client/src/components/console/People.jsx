// Who is in the room (with kick and ban) and the lock on the door.
import { useState } from 'preact/hooks';
import { t } from '../../i18n.js';
import { ConfirmButton, ErrorText, ParticipantList } from '../common.jsx';
import { AtTheDoor, TakeoverAsks } from '../Doorway.jsx';
import { LockIcon } from '../icons.jsx';

export function People({ conn }) {
  const { state } = conn;
  const [error, setError] = useState(null);
  const kick = async (p, ban) => {
    setError(null);
    const ack = await conn.send('kick', ban ? { participant: p.id, ban: true } : { participant: p.id });
    if (!ack.ok) setError(ack.error);
  };
  const online = state.participants.filter((p) => p.connected).length;
  return (
    <section class="people-panel" aria-labelledby="people-h" data-testid="people">
      <h2 id="people-h">{t('console.people', { online, count: state.participants.length })}</h2>
      <ErrorText error={error} />
      <ParticipantList
        state={state}
        actions={(p) => (
          <>
            <ConfirmButton
              label={t('console.kick')}
              question={t('console.kick_q', { name: p.name })}
              confirmLabel={t('console.kick_yes')}
              option={{ label: t('console.kick_ban'), confirmLabel: t('console.kick_ban_yes'), testid: 'kick-ban' }}
              onConfirm={(ban) => kick(p, ban)}
              class="btn btn-small btn-quiet"
              testid="kick"
            />
            <TakeoverAsks conn={conn} participant={p} />
          </>
        )}
      />
      <AtTheDoor conn={conn} />
    </section>
  );
}

export function LockToggle({ conn }) {
  const [error, setError] = useState(null);
  const locked = conn.state.locked;
  const toggle = async () => {
    setError(null);
    const ack = await conn.send('lock_room', { locked: !locked });
    if (!ack.ok) setError(ack.error);
  };
  // The button names what it does; the line under it says how things are now.
  return (
    <div class="lock">
      <p class={`lock-state ${locked ? 'is-locked' : 'is-open'}`} data-testid="lock-state" role="status">
        <LockIcon open={!locked} /> {locked ? t('console.locked_hint') : t('console.open_hint')}
      </p>
      <button type="button" class="btn" aria-pressed={locked ? 'true' : 'false'} onClick={toggle} data-testid="lock">
        <LockIcon open={locked} /> {locked ? t('console.unlock') : t('console.lock')}
      </button>
      <ErrorText error={error} />
    </div>
  );
}
