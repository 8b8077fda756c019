import { useState } from 'react';
import { browserNotificationsOn, setBrowserNotifications } from '../browserNotifications.ts';

/** In a browser tab: new-mail notifications, off until turned on here (the browser asks its permission then). */
export function BrowserNotificationSettings() {
  const [on, setOn] = useState(browserNotificationsOn);
  const [refused, setRefused] = useState(false);
  const change = async () => {
    const permission = await setBrowserNotifications(!on);
    setRefused(!on && permission !== 'granted');
    setOn(browserNotificationsOn());
  };
  return (
    <section aria-labelledby="browser-notifications-title">
      <h3 id="browser-notifications-title">Notifications</h3>
      <label>
        <input type="checkbox" checked={on} onChange={() => void change()} /> Show a browser notification when new mail arrives in
        the inbox (while this tab is open)
      </label>
      {refused && (
        <p className="error" role="alert">
          The browser does not allow notifications for this page: allow them in its site settings, then turn this on again.
        </p>
      )}
    </section>
  );
}
