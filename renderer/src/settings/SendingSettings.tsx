import { useState } from 'react';
import { setUndoSendSeconds, UNDO_SEND_CHOICES, undoSendSeconds } from '../undoSend.ts';

/** Preferences of this device for sending: how long a sent message can still be taken back. */
export function SendingSettings() {
  const [seconds, setSeconds] = useState(undoSendSeconds);
  return (
    <section aria-labelledby="sending-title">
      <h3 id="sending-title">Sending</h3>
      <label>
        Undo send{' '}
        <select
          className="setting-choice"
          value={seconds}
          onChange={(event) => {
            const next = Number(event.target.value);
            setUndoSendSeconds(next);
            setSeconds(next);
          }}
        >
          {UNDO_SEND_CHOICES.map((choice) => (
            <option key={choice} value={choice}>
              {choice === 0 ? 'Off: send at once' : `${choice} seconds`}
            </option>
          ))}
        </select>
      </label>
      <p className="muted">
        A sent message waits this long in the Outbox, with Undo, before it goes to the provider. Scripts sending through the API
        are not held unless they ask (send_delay_seconds).
      </p>
    </section>
  );
}
