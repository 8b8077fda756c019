import { forwardRef, type KeyboardEvent, useEffect, useId, useState } from 'react';
import type { ContactListResponseBody } from '../../../shared/api/contacts.ts';
import { api } from '../apiClient.ts';
import { currentToken, formatAddress, splitAddresses } from '../composeDrafts.ts';

type Contact = ContactListResponseBody['data'][number];

/**
 * A recipients field (comma-separated addresses) that suggests people from
 * the index as one types (GET /v1/email/contacts, debounced): arrows move,
 * Enter or Tab takes the suggestion, Escape closes the list (not the message).
 */
export const AddressField = forwardRef<HTMLInputElement, { label: string; value: string; onChange(value: string): void }>(
  function AddressField({ label, value, onChange }, ref) {
    const [suggestions, setSuggestions] = useState<Contact[]>([]);
    const [active, setActive] = useState(0);
    const [focused, setFocused] = useState(false);
    const listId = useId();
    const { before, token } = currentToken(value);

    useEffect(() => {
      if (!focused || token.length < 1 || token.includes('<') || /,\s*$/.test(value)) {
        setSuggestions([]);
        return;
      }
      const controller = new AbortController();
      const timer = setTimeout(() => {
        api.contacts(token, controller.signal).then(
          ({ data }) => {
            // Addresses already in the field are not offered again.
            const present = new Set(splitAddresses(before).map((a) => (/<([^<>]*)>\s*$/.exec(a)?.[1] ?? a).toLowerCase()));
            setSuggestions(data.filter((c) => !present.has(c.email)));
            setActive(0);
          },
          () => {},
        );
      }, 120);
      return () => {
        clearTimeout(timer);
        controller.abort();
      };
    }, [token, before, focused, value]);

    const open = focused && suggestions.length > 0;
    const choose = (contact: Contact) => {
      onChange(`${before}${formatAddress(contact)}, `);
      setSuggestions([]);
    };
    const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
      if (!open) return;
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setActive((i) => (i + step + suggestions.length) % suggestions.length);
      } else if ((event.key === 'Enter' && !event.ctrlKey && !event.metaKey) || (event.key === 'Tab' && !event.shiftKey)) {
        const contact = suggestions[active];
        if (!contact) return;
        event.preventDefault();
        event.stopPropagation();
        choose(contact);
      } else if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        setSuggestions([]);
      }
    };

    return (
      <div className="address-field">
        <label>
          {label}
          <input
            ref={ref}
            value={value}
            role="combobox"
            aria-autocomplete="list"
            aria-expanded={open}
            aria-controls={listId}
            aria-activedescendant={open ? `${listId}-${active}` : undefined}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => onChange(e.target.value)}
            onKeyDown={onKeyDown}
            onFocus={() => setFocused(true)}
            onBlur={() => setFocused(false)}
          />
        </label>
        {open && (
          <div id={listId} role="listbox" aria-label={`${label} suggestions`} className="address-suggestions">
            {suggestions.map((c, i) => (
              <div
                key={c.email}
                tabIndex={-1}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                // mousedown, not click: the input keeps focus, so the list is still there when the choice lands.
                onMouseDown={(event) => {
                  event.preventDefault();
                  choose(c);
                }}
              >
                {c.name ? (
                  <>
                    <strong>{c.name}</strong> <span className="muted">{c.email}</span>
                  </>
                ) : (
                  c.email
                )}
              </div>
            ))}
          </div>
        )}
      </div>
    );
  },
);
