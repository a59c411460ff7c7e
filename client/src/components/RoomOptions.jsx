// The room's options (docs/protocol.md `set_options`): ticked when a room is
// made (the landing page) and changed in the console, where each one changes
// the whole room at once; the server's state says what is set, so every tab
// of the facilitator shows the same.
import { useState } from 'preact/hooks';
import { t } from '../i18n.js';
import { ErrorText } from './common.jsx';

const OPTIONS = ['anonymous', 'name_timeouts', 'fishbowl', 'projector_live'];

// The checkboxes of these options, with what each one does.
export function OptionBoxes({ keys, values, onChange, idPrefix = 'option' }) {
  return keys.map((key) => (
    <label class="room-option" key={key}>
      <input
        type="checkbox"
        checked={Boolean(values[key])}
        onChange={(e) => onChange(key, e.currentTarget.checked)}
        data-testid={`${idPrefix}-${key}`}
        aria-describedby={`${idPrefix}-${key}-hint`}
      />
      <span>
        <span class="room-option-label">{t(`options.${key}`)}</span>
        <span class="muted small room-option-hint" id={`${idPrefix}-${key}-hint`}>
          {t(`options.${key}_hint`)}
        </span>
      </span>
    </label>
  ));
}

export function RoomOptions({ conn }) {
  const [error, setError] = useState(null);
  // what was just ticked shows at once; the room's state (which comes
  // before the ack) then holds it, and a refusal puts it back
  const [pending, setPending] = useState({});
  const options = { ...(conn.state.options || {}), ...pending };
  const set = async (key, value) => {
    setPending((p) => ({ ...p, [key]: value }));
    setError(null);
    const ack = await conn.send('set_options', { [key]: value });
    setPending(({ [key]: _done, ...rest }) => rest);
    if (!ack.ok) setError(ack.error);
  };
  // naming time-outs means nothing in an anonymous room; live counts on the
  // projector exist in a fishbowl only
  const shown = OPTIONS.filter((k) => (k !== 'projector_live' || options.fishbowl) && (k !== 'name_timeouts' || !options.anonymous));
  return (
    <fieldset class="room-options" data-testid="room-options">
      <legend>{t('options.title')}</legend>
      <OptionBoxes keys={shown} values={options} onChange={set} />
      <ErrorText error={error} />
    </fieldset>
  );
}
