/**
 * What a message's headers say about the mailing list it came through and the
 * mailboxes it was delivered to, for `list:` and `deliveredto:` (Gmail's
 * operators). Read from the raw message's headers (Gmail, imports) or Graph's
 * internetMessageHeaders (Outlook): the same header names and values either way.
 */
export interface ListAndDelivery {
  /**
   * The message's mailing-list identities as dotted names: List-Id's id in angle
   * brackets ("Irish Linux Users' Group <ilug.linux.ie>" -> "ilug.linux.ie") and
   * List-Post's address with its "@" as a dot ("<mailto:ilug@linux.ie>" ->
   * "ilug.linux.ie"), so `list:ilug.linux.ie` and `list:ilug@linux.ie` find both.
   */
  lists: string[];
  /** Every Delivered-To address, lower case (Gmail adds its own; forwarding adds more). */
  deliveredTo: string[];
}

export function listAndDelivery(headers: Iterable<{ name: string; value: string }>): ListAndDelivery {
  const lists = new Set<string>();
  const deliveredTo = new Set<string>();
  for (const { name, value } of headers) {
    switch (name.toLowerCase()) {
      case 'list-id': {
        // RFC 2919: an optional phrase, then the id in angle brackets; older lists send the id last, bare
        // ("mailing list zzzzteana@yahoogroups.com").
        const id = /<([^<>]+)>\s*$/.exec(value)?.[1] ?? value.trim().split(/\s+/).at(-1) ?? '';
        const identity = listIdentity(id);
        if (identity) lists.add(identity);
        break;
      }
      case 'list-post':
        // RFC 2369: <mailto:...> URLs, or NO (the list takes no posts).
        for (const [, address] of value.matchAll(/<\s*mailto:([^>?\s]+)[^>]*>/gi)) {
          const identity = listIdentity(percentDecoded(address as string));
          if (identity) lists.add(identity);
        }
        break;
      case 'delivered-to': {
        // An address, bracketed or not; qmail's lists write "mailing list foo@example.com".
        const address = (value.trim().split(/\s+/).at(-1) ?? '').replace(/^<|>$/g, '').toLowerCase();
        if (address) deliveredTo.add(address);
        break;
      }
    }
  }
  return { lists: [...lists], deliveredTo: [...deliveredTo] };
}

/**
 * A list as `list:` takes it, or as a header names it, reduced to one dotted
 * name: lower case, without brackets, "mailto:" or a leading "@", its "@" a dot.
 * Empty when nothing of a name is left.
 */
export function listIdentity(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/^<|>$/g, '')
    .replace(/^mailto:/, '')
    .replace(/^@+/, '')
    .replace(/@/g, '.')
    .replace(/\.+$/, '');
}

/** A mailto: address's %-escapes decoded; a malformed escape leaves the address as written. */
function percentDecoded(address: string): string {
  try {
    return decodeURIComponent(address);
  } catch {
    return address;
  }
}
